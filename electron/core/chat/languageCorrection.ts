// Language correction: after a reply in the wrong language, starts one fresh reply with the strong rule when the policy says so.
import type { AnyEvent, MethodOutput } from '../../../shared/contract';
import type { Message } from '../../../shared/domain';
import { decideCorrection } from '../language/correctionPolicy';
import type { Logger } from '../logger';
import type { Db } from '../store/openDatabase';
import { findActiveLeafId } from '../store/repos/conversations';
import type { ConversationRules } from './conversationRules';
import type { ReplyEnding, ReplyPlan } from './replyStream';

export interface LanguageCorrectionOptions {
  db: () => Db;
  conversations: ConversationRules;
  emit: (clientId: string, event: AnyEvent) => void;
  logger: Logger;
  /** Starts a new reply to the same user message, as a sibling of the wrong one. */
  startSiblingReply: (plan: ReplyPlan) => MethodOutput<'chat.regenerate'>;
}

/** Decides, after each completed reply, whether to regenerate it in the language asked for. */
export function createLanguageCorrection(options: LanguageCorrectionOptions) {
  const { db, conversations, emit, logger } = options;

  /** After a reply in the wrong language: regenerate once with the strong rule, if the policy says so. */
  function correctIfNeeded(
    plan: ReplyPlan,
    reply: Message,
    assessment: NonNullable<ReplyEnding['assessment']>,
    asked: NonNullable<ReplyEnding['asked']>,
  ): void {
    const conversation = conversations.findLive(plan.conversation.id);
    if (!conversation) return;
    const decision = decideCorrection({
      policy: conversation.languageCorrection,
      verdict: assessment.verdict,
      detected: assessment.detected,
      asked,
      correctiveAttempts: plan.correctiveAttempts,
      completed: true,
    });
    if (decision.action !== 'regenerate') return;
    // Only if the user has not moved on: the wrong reply must still be the visible leaf.
    if (findActiveLeafId(db(), conversation.id) !== reply.id) return;
    logger.info('chat.language_correction', { detected: assessment.detected, asked });
    try {
      // A fresh reply, even after a continuation: the wrong-language text is not carried on.
      const started = options.startSiblingReply({
        clientId: plan.clientId,
        conversation,
        userMessageId: plan.userMessageId,
        strength: decision.instructionStrength,
        correctiveAttempts: plan.correctiveAttempts + 1,
      });
      emit(plan.clientId, {
        name: 'chat.started',
        payload: {
          streamId: started.streamId,
          message: started.assistantMessage,
          replaces: reply.id,
          reason: 'language-correction',
        },
      });
    } catch (error) {
      logger.error('chat.language_correction_failed', { error });
    }
  }

  return { correctIfNeeded };
}
