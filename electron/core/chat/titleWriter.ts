// Model-written titles: after a conversation's first reply, asks its model for a title and saves it if the user has not chosen one.
import type { AnyEvent } from '../../../shared/contract';
import { fallbackTitle } from '../../../shared/conversationTitle';
import type { Conversation, Message, ModelRef } from '../../../shared/domain';
import { isReplyLanguageCode, type ReplyLanguageCode } from '../../../shared/languages';
import { toAppError } from '../coreError';
import type { Logger } from '../logger';
import type { ResolvedModel } from '../providers/chatProvider';
import type { Db } from '../store/openDatabase';
import { findConversation, renameConversation } from '../store/repos/conversations';
import { findMessage } from '../store/repos/messages';
import { requestTitle, TITLE_TIMEOUT_MS } from './autoTitle';
import type { ConversationRules } from './conversationRules';

export interface TitleWriterOptions {
  db: () => Db;
  conversations: ConversationRules;
  resolveModel: (model: ModelRef) => ResolvedModel;
  emit: (clientId: string, event: AnyEvent) => void;
  /** Delivers an event to every connected page (a new title belongs in every sidebar). */
  broadcast: ((event: AnyEvent) => void) | null;
  /** Whether a new conversation's model writes its title (read on each use: it is a setting). */
  modelTitles?: () => boolean;
  /** How long a title request may take; {@link TITLE_TIMEOUT_MS} unless set. */
  titleTimeoutMs?: number;
  logger: Logger;
}

/** The first exchange a title is written for, and the page that started it. */
export interface TitleRequest {
  clientId: string;
  conversationId: string;
  /** The user message the reply answered. */
  userMessageId: string;
}

/** Writes titles in the background; `close` stops the requests in flight and waits for them. */
export function createTitleWriter(options: TitleWriterOptions) {
  const { db, conversations, emit, broadcast, logger } = options;
  /** Title requests in flight, so closing can stop them and wait. */
  const titleTasks = new Map<AbortController, Promise<void>>();

  /**
   * After the first exchange of a conversation, asks its model for a title in a request of its
   * own (never streamed to the page, never stored as a message). The first-words title stays when
   * the setting is off, the model is local, or the request fails or answers nothing usable; a title
   * the user chose is never replaced.
   */
  function writeTitleIfFirst(request: TitleRequest, reply: Message): void {
    if (options.modelTitles && !options.modelTitles()) return;
    try {
      const conversation = conversations.findLive(request.conversationId);
      const question = findMessage(db(), request.userMessageId);
      if (!conversation) return;
      if (!question || question.parentId !== null) return;
      const firstWords = fallbackTitle(question.content);
      // Renamed by the user, or already titled by the model: leave it.
      if (conversation.title !== firstWords) return;
      const model = reply.model ?? conversation.model;
      // The local runtime writes one reply at a time: a title would hold up the next message.
      if (model.provider === 'local') return;
      const { provider } = options.resolveModel(model);
      const language = titleLanguage(conversation, reply);
      const controller = new AbortController();
      const signal = AbortSignal.any([
        controller.signal,
        AbortSignal.timeout(options.titleTimeoutMs ?? TITLE_TIMEOUT_MS),
      ]);
      const task = (async () => {
        try {
          const title = await requestTitle(provider, {
            model: model.model,
            exchange: { user: question.content, reply: reply.content },
            language,
            signal,
          });
          if (!title) {
            logger.info('chat.title.unusable', { conversationId: conversation.id });
            return;
          }
          const updated = db().transaction(() => {
            // Checked again at write time: the user may have renamed it while the model thought.
            const current = conversations.findLive(conversation.id);
            if (!current || current.title !== firstWords) return null;
            renameConversation(db(), conversation.id, title);
            return findConversation(db(), conversation.id) ?? null;
          })();
          if (!updated) {
            logger.info('chat.title.superseded', { conversationId: conversation.id });
            return;
          }
          logger.info('chat.title.written', { conversationId: conversation.id });
          const event: AnyEvent = {
            name: 'conversations.changed',
            payload: { conversation: updated },
          };
          if (broadcast) broadcast(event);
          else emit(request.clientId, event);
        } catch (error) {
          // The first-words title simply stays; nothing to tell the user.
          const appErr = toAppError(error);
          if (appErr.code === 'INTERNAL') logger.error('chat.title.failed', { error });
          else logger.warn('chat.title.failed', { code: appErr.code });
        }
      })();
      titleTasks.set(controller, task);
      void task.finally(() => titleTasks.delete(controller));
    } catch (error) {
      logger.warn('chat.title.skipped', { code: toAppError(error).code });
    }
  }

  /** Stops the title requests in flight and waits until each has let go. */
  async function stopAll(): Promise<void> {
    const titles = [...titleTasks.entries()];
    for (const [controller] of titles) controller.abort();
    await Promise.all(titles.map(([, task]) => task));
    for (const [controller] of titles) titleTasks.delete(controller);
  }

  return { writeTitleIfFirst, stopAll, pendingCount: () => titleTasks.size };
}

/** The title writer's shape. */
export type TitleWriter = ReturnType<typeof createTitleWriter>;

/**
 * The language a title is written in: the conversation's forced reply language, else the one the
 * first reply was asked in (the user's language), else the one it was detected in.
 */
function titleLanguage(conversation: Conversation, reply: Message): ReplyLanguageCode | null {
  for (const code of [conversation.replyLanguage, reply.replyLanguage, reply.detectedLanguage]) {
    if (code && isReplyLanguageCode(code)) return code;
  }
  return null;
}
