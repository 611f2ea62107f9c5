import { randomUUID } from 'node:crypto';
import type { AnyEvent, MethodInput, MethodOutput } from '../../../shared/contract';
import { fallbackTitle } from '../../../shared/conversationTitle';
import type { Conversation, Message, MessageStatus, ModelRef, Usage } from '../../../shared/domain';
import type { AppError } from '../../../shared/errors';
import {
  isReplyLanguageCode,
  type ReplyLanguage,
  type ReplyLanguageCode,
} from '../../../shared/languages';
import { CoreError, toAppError } from '../coreError';
import { decideCorrection } from '../language/correctionPolicy';
import { assessReply, createStreamingLanguageCheck } from '../language/detectLanguage';
import { languageToCheck } from '../language/languageRequest';
import {
  applyReplyLanguage,
  resolveReplyLanguage,
  type InstructionStrength,
  type TemplateKind,
} from '../language/replyInstruction';
import type { Logger } from '../logger';
import { requestTitle, TITLE_TIMEOUT_MS } from './autoTitle';
import type { ChatProvider, ProviderChunk, ProviderMessage } from '../providers/chatProvider';
import { fitToContext } from '../providers/contextBudget';
import type { Db } from '../store/openDatabase';
import {
  findActiveLeafId,
  findConversation,
  recordConversationActivity,
  renameConversation,
  setActiveLeaf,
} from '../store/repos/conversations';
import {
  checkpointMessageContent,
  findMessage,
  finishMessage,
  insertMessage,
  listPathToLeaf,
  reopenReplyForContinuation,
} from '../store/repos/messages';

/** How a model is reached, and what it can take. */
export interface ResolvedModel {
  provider: ChatProvider;
  /** Tokens of context; null when unknown (a conservative default applies). */
  contextLength: number | null;
  /** Where a reply-language rule must go for this model's chat template. */
  templateKind: TemplateKind;
}

export interface ChatServiceOptions {
  /** The live connection (read on each use: a restore from backup replaces it). */
  db: () => Db;
  /** Finds the provider for a model, or throws a CoreError saying why it cannot be used. */
  resolveModel: (model: ModelRef) => ResolvedModel;
  /** Delivers an event to one connected page; a page that has gone away is ignored. */
  emit: (clientId: string, event: AnyEvent) => void;
  /** Delivers an event to every connected page (a new title belongs in every sidebar). */
  broadcast?: (event: AnyEvent) => void;
  /** Whether a new conversation's model writes its title (read on each use: it is a setting). */
  modelTitles?: () => boolean;
  /** How long a title request may take; {@link TITLE_TIMEOUT_MS} unless set. */
  titleTimeoutMs?: number;
  logger: Logger;
  /** How long deltas are gathered before one event is sent. */
  deltaBatchMs?: number;
  /** How often partial text is saved while streaming (bounded, never per token). */
  checkpointMs?: number;
  now?: () => number;
  newId?: () => string;
}

/** Context assumed for a model that does not say how much it has. */
const DEFAULT_CONTEXT_TOKENS = 32_768;
/** Tokens kept free for the reply when the conversation sets no maximum. */
const DEFAULT_REPLY_RESERVE = 2_048;
/** Replies that stopped part-way, which `chat.continue` can carry on. */
const CONTINUABLE: ReadonlySet<MessageStatus> = new Set(['cancelled', 'interrupted', 'error']);

interface ActiveStream {
  clientId: string;
  controller: AbortController;
  finished: Promise<void>;
}

interface ReplyPlan {
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

/**
 * Orchestrates send / edit / regenerate / stream / cancel: the one place a reply's lifecycle is
 * decided. Every stream ends with exactly one `chat.done`, `chat.error` or `chat.cancelled`.
 */
export function createChatService(options: ChatServiceOptions) {
  const { db, emit, logger } = options;
  const deltaBatchMs = options.deltaBatchMs ?? 30;
  const checkpointMs = options.checkpointMs ?? 500;
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;
  const broadcast = options.broadcast ?? null;
  const streams = new Map<string, ActiveStream>();
  /** Title requests in flight, so closing can stop them and wait. */
  const titleTasks = new Map<AbortController, Promise<void>>();

  function requireConversation(conversationId: string): Conversation {
    const conversation = findConversation(db(), conversationId);
    if (!conversation || conversation.deletedAt !== null) {
      throw new CoreError('NOT_FOUND', 'This conversation no longer exists.');
    }
    return conversation;
  }

  function newMessage(
    fields: Partial<Message> & Pick<Message, 'conversationId' | 'role'>,
  ): Message {
    const time = now();
    return {
      id: newId(),
      parentId: null,
      content: '',
      status: 'complete',
      model: null,
      usage: null,
      error: null,
      createdAt: time,
      updatedAt: time,
      replyLanguage: null,
      detectedLanguage: null,
      ttftMs: null,
      tokensPerSec: null,
      ...fields,
    };
  }

  /** Saves a user message (new, or an edit as a sibling) and starts the reply to it. */
  function sendUserMessage(
    clientId: string,
    conversation: Conversation,
    parentId: string | null,
    text: string,
  ): MethodOutput<'chat.send'> {
    // Validate the model before anything is written, so a bad choice costs nothing.
    options.resolveModel(conversation.model);
    const userMessage = newMessage({
      conversationId: conversation.id,
      parentId,
      role: 'user',
      content: text,
    });
    const assistantMessage = placeholderFor(conversation, userMessage.id);
    db().transaction(() => {
      insertMessage(db(), userMessage);
      insertMessage(db(), assistantMessage);
      recordConversationActivity(db(), {
        id: conversation.id,
        activeLeafId: assistantMessage.id,
        updatedAt: userMessage.createdAt,
        titleIfUntitled: fallbackTitle(text),
      });
    })();
    const streamId = startStream(assistantMessage, {
      clientId,
      conversation,
      userMessageId: userMessage.id,
      strength: 'normal',
      correctiveAttempts: 0,
    });
    return { streamId, userMessage, assistantMessage };
  }

  function placeholderFor(conversation: Conversation, userMessageId: string): Message {
    return newMessage({
      conversationId: conversation.id,
      parentId: userMessageId,
      role: 'assistant',
      status: 'streaming',
      model: conversation.model,
      replyLanguage: conversation.replyLanguage,
    });
  }

  function send(clientId: string, input: MethodInput<'chat.send'>): MethodOutput<'chat.send'> {
    const conversation = requireConversation(input.conversationId);
    return sendUserMessage(
      clientId,
      conversation,
      findActiveLeafId(db(), conversation.id),
      input.text,
    );
  }

  /** Editing never overwrites: the edited text becomes a sibling of the original message. */
  function edit(clientId: string, input: MethodInput<'chat.edit'>): MethodOutput<'chat.send'> {
    const original = findMessage(db(), input.messageId);
    if (!original || original.role !== 'user') {
      throw new CoreError('NOT_FOUND', 'That message no longer exists.');
    }
    const conversation = requireConversation(original.conversationId);
    return sendUserMessage(clientId, conversation, original.parentId, input.text);
  }

  /** A new reply to the same user message, as a sibling of the old one. */
  function regenerate(
    clientId: string,
    input: MethodInput<'chat.regenerate'>,
  ): MethodOutput<'chat.regenerate'> {
    const reply = findMessage(db(), input.messageId);
    if (!reply || reply.role !== 'assistant' || !reply.parentId) {
      throw new CoreError('NOT_FOUND', 'That reply no longer exists.');
    }
    const conversation = requireConversation(reply.conversationId);
    options.resolveModel(conversation.model);
    return startSiblingReply({
      clientId,
      conversation,
      userMessageId: reply.parentId,
      strength: input.strongLanguageRule ? 'strong' : 'normal',
      correctiveAttempts: 0,
    });
  }

  /**
   * Carries on a reply that stopped part-way (Stop, a crash, a provider failure) in the same
   * message, with the model that wrote it. Only the conversation's last reply can be continued,
   * and its text is never lost: the stream starts from it and saves it again however it ends.
   */
  function continueReply(
    clientId: string,
    input: MethodInput<'chat.continue'>,
  ): MethodOutput<'chat.continue'> {
    const reply = findMessage(db(), input.messageId);
    if (!reply || reply.role !== 'assistant' || !reply.parentId) {
      throw new CoreError('NOT_FOUND', 'That reply no longer exists.');
    }
    const conversation = requireConversation(reply.conversationId);
    if (!CONTINUABLE.has(reply.status) || reply.content.length === 0) {
      throw new CoreError('VALIDATION', 'Only a reply that stopped part-way can be continued.');
    }
    if (findActiveLeafId(db(), conversation.id) !== reply.id) {
      throw new CoreError('VALIDATION', 'Only the last reply of a conversation can be continued.');
    }
    const model = reply.model ?? conversation.model;
    options.resolveModel(model);
    const time = now();
    const reopened = db().transaction(() => {
      if (!reopenReplyForContinuation(db(), { id: reply.id, updatedAt: time })) return false;
      recordConversationActivity(db(), {
        id: conversation.id,
        activeLeafId: reply.id,
        updatedAt: time,
      });
      return true;
    })();
    // Two clicks (or two pages) at once: the first one continues, the second is told.
    if (!reopened) throw new CoreError('VALIDATION', 'This reply is already being written.');
    const assistantMessage: Message = findMessage(db(), reply.id) ?? {
      ...reply,
      status: 'streaming',
      error: null,
      updatedAt: time,
    };
    const streamId = startStream(assistantMessage, {
      clientId,
      conversation: { ...conversation, model },
      userMessageId: reply.parentId,
      strength: 'normal',
      correctiveAttempts: 0,
      resumeFrom: reply.content,
    });
    return { streamId, assistantMessage };
  }

  function startSiblingReply(plan: ReplyPlan): MethodOutput<'chat.regenerate'> {
    const assistantMessage = placeholderFor(plan.conversation, plan.userMessageId);
    db().transaction(() => {
      insertMessage(db(), assistantMessage);
      setActiveLeaf(db(), plan.conversation.id, assistantMessage.id);
      recordConversationActivity(db(), {
        id: plan.conversation.id,
        activeLeafId: assistantMessage.id,
        updatedAt: assistantMessage.createdAt,
      });
    })();
    const streamId = startStream(assistantMessage, plan);
    return { streamId, assistantMessage };
  }

  function startStream(placeholder: Message, plan: ReplyPlan): string {
    const streamId = newId();
    const controller = new AbortController();
    const active: ActiveStream = {
      clientId: plan.clientId,
      controller,
      finished: Promise.resolve(),
    };
    streams.set(streamId, active);
    active.finished = runStream(streamId, placeholder, plan, controller.signal).finally(() =>
      streams.delete(streamId),
    );
    return streamId;
  }

  /** The request to send: the thread, the reply-language rule where the model honours it, trimmed to fit. */
  function buildRequest(plan: ReplyPlan, model: ResolvedModel) {
    const path = toProviderHistory(listPathToLeaf(db(), plan.userMessageId));
    // A continuation ends with the reply so far, marked as the prefix the model carries on from.
    const history: ProviderMessage[] = plan.resumeFrom
      ? [...path, { role: 'assistant', content: plan.resumeFrom, prefix: true }]
      : path;
    const language = toReplyLanguage(plan.conversation.replyLanguage);
    const asked = resolveReplyLanguage(language, history);
    const messages = applyReplyLanguage(history, {
      language,
      userSystemPrompt: plan.conversation.systemPrompt ?? undefined,
      templateKind: model.templateKind,
      strength: plan.strength,
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

  async function runStream(
    streamId: string,
    placeholder: Message,
    plan: ReplyPlan,
    signal: AbortSignal,
  ): Promise<void> {
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
    let asked: ReturnType<typeof buildRequest>['asked'] = null;

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
      const request = buildRequest(plan, model);
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
        flushTimer ??= setTimeout(flush, deltaBatchMs);
        if (now() - lastCheckpointAt >= checkpointMs) {
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
          completionTokens > 0 && generationSeconds > 0
            ? completionTokens / generationSeconds
            : null,
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
    const message: Message = safeFind(messageId) ?? {
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

    if (final.status === 'complete' && assessment && asked) {
      correctIfNeeded(plan, message, assessment, asked);
    }
    if (final.status === 'complete') writeTitleIfFirst(plan, message);
  }

  /**
   * After the first exchange of a conversation, asks its model for a title in a request of its
   * own (never streamed to the page, never stored as a message). The first-words title stays when
   * the setting is off, the model is local, or the request fails or answers nothing usable; a title
   * the user chose is never replaced.
   */
  function writeTitleIfFirst(plan: ReplyPlan, reply: Message): void {
    if (options.modelTitles && !options.modelTitles()) return;
    try {
      const conversation = findConversation(db(), plan.conversation.id);
      const question = findMessage(db(), plan.userMessageId);
      if (!conversation || conversation.deletedAt !== null) return;
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
            const current = findConversation(db(), conversation.id);
            if (!current || current.deletedAt !== null || current.title !== firstWords) return null;
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
          else emit(plan.clientId, event);
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

  /** After a reply in the wrong language: regenerate once with the strong rule, if the policy says so. */
  function correctIfNeeded(
    plan: ReplyPlan,
    reply: Message,
    assessment: ReturnType<typeof assessReply>,
    asked: NonNullable<ReturnType<typeof resolveReplyLanguage>>,
  ): void {
    const conversation = findConversation(db(), plan.conversation.id);
    if (!conversation || conversation.deletedAt !== null) return;
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
      const started = startSiblingReply({
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

  function safeFind(id: string): Message | undefined {
    try {
      return findMessage(db(), id);
    } catch (error) {
      logger.error('chat.stream.read_back_failed', { error });
      return undefined;
    }
  }

  function cancel(clientId: string, streamId: string): boolean {
    const active = streams.get(streamId);
    if (!active || active.clientId !== clientId) return false;
    active.controller.abort();
    return true;
  }

  /** Stops every stream a page started: the page was closed, reloaded or navigated away. */
  function cancelClientStreams(clientId: string): void {
    for (const active of streams.values()) {
      if (active.clientId === clientId) active.controller.abort();
    }
  }

  /** Stops every stream and waits until each has saved its partial text. */
  async function close(): Promise<void> {
    // A language correction or a title may start while others finish; loop until none are left.
    while (streams.size > 0 || titleTasks.size > 0) {
      const pending = [...streams.values()];
      for (const active of pending) active.controller.abort();
      await Promise.all(pending.map((active) => active.finished));
      const titles = [...titleTasks.entries()];
      for (const [controller] of titles) controller.abort();
      await Promise.all(titles.map(([, task]) => task));
      for (const [controller] of titles) titleTasks.delete(controller);
    }
  }

  return {
    send,
    edit,
    regenerate,
    continueReply,
    cancel,
    cancelClientStreams,
    close,
    activeStreamCount: () => streams.size,
  };
}

/** The chat service's public shape. */
export type ChatService = ReturnType<typeof createChatService>;

/** The history sent to a provider: finished turns only; empty and failed replies are left out. */
export function toProviderHistory(path: readonly Message[]): ProviderMessage[] {
  return path
    .filter((message) => message.content.length > 0)
    .map((message) => ({ role: message.role, content: message.content }));
}

function toReplyLanguage(stored: string | null): ReplyLanguage {
  return stored && isReplyLanguageCode(stored) ? stored : 'auto';
}

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
