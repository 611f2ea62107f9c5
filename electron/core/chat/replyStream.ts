// One reply's stream: deltas batched into events, partial text checkpointed, and exactly one ending.
import type { AnyEvent } from '../../../shared/contract';
import type { Conversation, Message, Usage } from '../../../shared/domain';
import type { AppError } from '../../../shared/errors';
import {
  isReplyLanguageCode,
  type ReplyLanguage,
  type ReplyLanguageCode,
} from '../../../shared/languages';
import { CoreError, toAppError } from '../coreError';
import { assessReply, createStreamingLanguageCheck } from '../language/detectLanguage';
import { languageToCheck } from '../language/languageRequest';
import {
  applyReplyLanguage,
  resolveReplyLanguage,
  type InstructionStrength,
} from '../language/replyInstruction';
import type { Logger } from '../logger';
import type { ProviderChunk, ProviderMessage, ResolvedModel } from '../providers/chatProvider';
import { fitToContext } from '../providers/contextBudget';
import type { Db } from '../store/openDatabase';
import { checkpointMessageContent, findMessage, finishMessage } from '../store/repos/messages';
import { listPathToLeaf } from '../store/repos/thread';

/** Context assumed for a model that does not say how much it has. */
const DEFAULT_CONTEXT_TOKENS = 32_768;
/** Tokens kept free for the reply when the conversation sets no maximum. */
const DEFAULT_REPLY_RESERVE = 2_048;

/** What a stream is asked to write, and for whom. */
export interface ReplyPlan {
  clientId: string;
  conversation: Conversation;
  /** The user message the reply answers. */
  userMessageId: string;
  strength: InstructionStrength;
  /** Automatic language corrections already made for this answer. */
  correctiveAttempts: number;
  /** The text already written when this stream continues a reply that stopped part-way. */
  resumeFrom?: string;
}

export interface ReplyStreamOptions {
  db: () => Db;
  resolveModel: (model: Conversation['model']) => ResolvedModel;
  emit: (clientId: string, event: AnyEvent) => void;
  logger: Logger;
  /** How long deltas are gathered before one event is sent. */
  deltaBatchMs: number;
  /** How often partial text is saved while streaming (bounded, never per token). */
  checkpointMs: number;
  now: () => number;
  /** The interface language, which Auto falls back on when the conversation says nothing clear. */
  uiLanguage?: () => ReplyLanguageCode | undefined;
}

/** The language asked for, when the reply-language rule applies. */
export type AskedLanguage = ReturnType<typeof resolveReplyLanguage>;

/** How a stream ended, once its ending event has been sent. */
export interface ReplyEnding {
  status: 'complete' | 'cancelled' | 'error';
  /** The reply as saved (or, if it could not be read back, as it was in memory). */
  message: Message;
  /** The language the reply was asked in; null when no rule applied. */
  asked: AskedLanguage;
  /** How the finished text matches `asked`; null without a rule or without text. */
  assessment: ReturnType<typeof assessReply> | null;
}

/**
 * Streams one reply into `placeholder`. Every stream ends with exactly one `chat.done`,
 * `chat.error` or `chat.cancelled`, and the text written so far is saved however it ends.
 */
export async function runReplyStream(
  options: ReplyStreamOptions,
  streamId: string,
  placeholder: Message,
  plan: ReplyPlan,
  signal: AbortSignal,
): Promise<ReplyEnding> {
  const { db, emit, logger, now } = options;
  const { clientId } = plan;
  const messageId = placeholder.id;
  // A continuation starts from the text already written: whatever happens, it is saved again.
  let text = plan.resumeFrom ?? '';
  let pending = '';
  let seq = 0;
  let usage: Usage | null = null;
  let flushTimer: NodeJS.Timeout | undefined;
  let lastCheckpointAt = now();
  const startedAt = now();
  let firstTokenAt: number | null = null;
  let droppedTurns = 0;
  let asked: AskedLanguage = null;

  const flush = () => {
    clearTimeout(flushTimer);
    flushTimer = undefined;
    if (!pending) return;
    emit(clientId, { name: 'chat.delta', payload: { streamId, seq: seq++, text: pending } });
    pending = '';
  };

  let outcome:
    { status: 'complete' } | { status: 'cancelled' } | { status: 'error'; error: AppError };
  try {
    const model = options.resolveModel(plan.conversation.model);
    const request = buildRequest(db(), plan, model, options.uiLanguage?.());
    asked = request.asked;
    if (!request.fit.ok) throw new CoreError('VALIDATION', request.fit.message);
    droppedTurns = request.fit.droppedTurns;
    const languageCheck = asked ? createStreamingLanguageCheck(asked) : null;
    if (text) languageCheck?.push(text);
    const stream: AsyncIterable<ProviderChunk> = model.provider.streamChat({
      model: plan.conversation.model.model,
      messages: request.fit.messages,
      signal,
      ...(plan.conversation.params ? { params: plan.conversation.params } : {}),
    });
    for await (const chunk of stream) {
      // Stop must take effect even if the abort never reaches the HTTP body (undici can lose
      // it after a garbage collection): leaving the loop closes the stream.
      if (signal.aborted) break;
      if (chunk.type === 'usage') {
        usage = chunk.usage;
        continue;
      }
      firstTokenAt ??= now();
      text += chunk.text;
      pending += chunk.text;
      languageCheck?.push(chunk.text);
      flushTimer ??= setTimeout(flush, options.deltaBatchMs);
      if (now() - lastCheckpointAt >= options.checkpointMs) {
        checkpointMessageContent(db(), { id: messageId, content: text, updatedAt: now() });
        lastCheckpointAt = now();
      }
    }
    outcome = signal.aborted ? { status: 'cancelled' } : { status: 'complete' };
  } catch (error) {
    if (signal.aborted) {
      outcome = { status: 'cancelled' };
    } else {
      const appErr = toAppError(error);
      if (appErr.code === 'INTERNAL') logger.error('chat.stream.failed', { streamId, error });
      else logger.warn('chat.stream.provider_error', { streamId, code: appErr.code });
      outcome = { status: 'error', error: appErr };
    }
  }
  flush();

  const assessment = asked && text ? assessReply(text, asked) : null;
  const finishedAt = now();
  const completionTokens = usage?.completionTokens ?? 0;
  const generationSeconds = firstTokenAt === null ? 0 : (finishedAt - firstTokenAt) / 1000;
  try {
    finishMessage(db(), {
      id: messageId,
      content: text,
      status: outcome.status,
      usage,
      error: outcome.status === 'error' ? outcome.error : null,
      updatedAt: finishedAt,
      replyLanguage: asked,
      detectedLanguage:
        assessment && assessment.detected !== 'unknown' ? assessment.detected : null,
      ttftMs: firstTokenAt === null ? null : firstTokenAt - startedAt,
      tokensPerSec:
        completionTokens > 0 && generationSeconds > 0 ? completionTokens / generationSeconds : null,
    });
  } catch (error) {
    logger.error('chat.stream.save_failed', { streamId, error });
    outcome = {
      status: 'error',
      error: {
        code: 'STORAGE',
        message: 'The reply could not be saved (is the disk full?).',
        retryable: true,
      },
    };
  }
  const final = outcome;
  // Read back what was saved; if even that fails, describe the reply from memory.
  const message: Message = safeFind(options, messageId) ?? {
    ...placeholder,
    content: text,
    status: final.status,
    error: final.status === 'error' ? final.error : null,
  };
  if (final.status === 'complete') {
    emit(clientId, { name: 'chat.done', payload: { streamId, message, droppedTurns } });
  } else if (final.status === 'cancelled') {
    emit(clientId, { name: 'chat.cancelled', payload: { streamId, message } });
  } else {
    emit(clientId, { name: 'chat.error', payload: { streamId, message, error: final.error } });
  }
  return { status: final.status, message, asked, assessment };
}

/** The request to send: the thread, the reply-language rule where the model honours it, trimmed to fit. */
function buildRequest(
  db: Db,
  plan: ReplyPlan,
  model: ResolvedModel,
  uiLanguage: ReplyLanguageCode | undefined,
) {
  const path = toProviderHistory(listPathToLeaf(db, plan.userMessageId));
  // A continuation ends with the reply so far, marked as the prefix the model carries on from.
  const history: ProviderMessage[] = plan.resumeFrom
    ? [...path, { role: 'assistant', content: plan.resumeFrom, prefix: true }]
    : path;
  const language = toReplyLanguage(plan.conversation.replyLanguage);
  const asked = resolveReplyLanguage(language, history, { uiLanguage });
  const messages = applyReplyLanguage(history, {
    language,
    userSystemPrompt: plan.conversation.systemPrompt ?? undefined,
    templateKind: model.templateKind,
    strength: plan.strength,
    uiLanguage,
  });
  const contextLength = model.contextLength ?? DEFAULT_CONTEXT_TOKENS;
  // Room for the reply: what the conversation asks for, else a share of a small context.
  const reserveForReply =
    plan.conversation.params?.maxTokens ??
    Math.min(DEFAULT_REPLY_RESERVE, Math.floor(contextLength / 4));
  const fit = fitToContext(messages, { contextLength, reserveForReply });
  // The rule gives way when the user asks for another language: that reply is not checked.
  return { asked: languageToCheck(asked, history), fit };
}

/** The history sent to a provider: finished turns only; empty and failed replies are left out. */
export function toProviderHistory(path: readonly Message[]): ProviderMessage[] {
  return path
    .filter((message) => message.content.length > 0)
    .map((message) => ({ role: message.role, content: message.content }));
}

function toReplyLanguage(stored: string | null): ReplyLanguage {
  return stored && isReplyLanguageCode(stored) ? stored : 'auto';
}

function safeFind(options: ReplyStreamOptions, id: string): Message | undefined {
  try {
    return findMessage(options.db(), id);
  } catch (error) {
    options.logger.error('chat.stream.read_back_failed', { error });
    return undefined;
  }
}
