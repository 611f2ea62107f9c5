// The chat commands: send, edit, regenerate, continue and cancel, and the streams they start.
import { randomUUID } from 'node:crypto';
import type { AnyEvent, MethodInput, MethodOutput } from '../../../shared/contract';
import { fallbackTitle } from '../../../shared/conversationTitle';
import type { Conversation, Message, MessageStatus, ModelRef } from '../../../shared/domain';
import type { ReplyLanguageCode } from '../../../shared/languages';
import { CoreError } from '../coreError';
import type { Logger } from '../logger';
import type { ResolvedModel } from '../providers/chatProvider';
import type { Db } from '../store/openDatabase';
import {
  findActiveLeafId,
  recordConversationActivity,
  setActiveLeaf,
} from '../store/repos/conversations';
import { findMessage, insertMessage, reopenReplyForContinuation } from '../store/repos/messages';
import type { ConversationRules } from './conversationRules';
import { createLanguageCorrection } from './languageCorrection';
import { runReplyStream, type ReplyPlan } from './replyStream';
import { createTitleWriter } from './titleWriter';

export interface ChatServiceOptions {
  /** The live connection (read on each use: a restore from backup replaces it). */
  db: () => Db;
  /** Finds the provider for a model, or throws a CoreError saying why it cannot be used. */
  resolveModel: (model: ModelRef) => ResolvedModel;
  /** Which conversations may be used. */
  conversations: ConversationRules;
  /** Delivers an event to one connected page; a page that has gone away is ignored. */
  emit: (clientId: string, event: AnyEvent) => void;
  /** Delivers an event to every connected page (a new title belongs in every sidebar). */
  broadcast?: (event: AnyEvent) => void;
  /** Whether a new conversation's model writes its title (read on each use: it is a setting). */
  modelTitles?: () => boolean;
  /** The interface language the page reported, if any (read on each use: it is a setting). */
  uiLanguage?: () => ReplyLanguageCode | undefined;
  /** How long a title request may take; autoTitle's `TITLE_TIMEOUT_MS` unless set. */
  titleTimeoutMs?: number;
  logger: Logger;
  /** How long deltas are gathered before one event is sent. */
  deltaBatchMs?: number;
  /** How often partial text is saved while streaming (bounded, never per token). */
  checkpointMs?: number;
  now?: () => number;
  newId?: () => string;
}

/** Replies that stopped part-way, which `chat.continue` can carry on. */
const CONTINUABLE: ReadonlySet<MessageStatus> = new Set(['cancelled', 'interrupted', 'error']);

interface ActiveStream {
  clientId: string;
  controller: AbortController;
  finished: Promise<void>;
}

/**
 * Orchestrates send / edit / regenerate / continue / cancel: the one place a reply's lifecycle is
 * decided. Streaming itself is `runReplyStream`'s; after a completed reply come the language
 * correction and the title.
 */
export function createChatService(options: ChatServiceOptions) {
  const { db, conversations } = options;
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;
  const streams = new Map<string, ActiveStream>();
  const streamOptions = {
    db,
    resolveModel: options.resolveModel,
    emit: options.emit,
    logger: options.logger,
    deltaBatchMs: options.deltaBatchMs ?? 30,
    checkpointMs: options.checkpointMs ?? 500,
    uiLanguage: options.uiLanguage,
    now,
  };
  const titles = createTitleWriter({
    db,
    conversations,
    resolveModel: options.resolveModel,
    emit: options.emit,
    broadcast: options.broadcast ?? null,
    logger: options.logger,
    ...(options.modelTitles ? { modelTitles: options.modelTitles } : {}),
    ...(options.titleTimeoutMs !== undefined ? { titleTimeoutMs: options.titleTimeoutMs } : {}),
  });
  const correction = createLanguageCorrection({
    db,
    conversations,
    emit: options.emit,
    logger: options.logger,
    startSiblingReply,
  });

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
    const conversation = conversations.requireLive(input.conversationId);
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
    const conversation = conversations.requireLive(original.conversationId);
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
    const conversation = conversations.requireLive(reply.conversationId);
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
    const conversation = conversations.requireLive(reply.conversationId);
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
    active.finished = streamThenFollowUp(streamId, placeholder, plan, controller.signal).finally(
      () => streams.delete(streamId),
    );
    return streamId;
  }

  /** The stream, then what a completed reply may start: a language correction, a title. */
  async function streamThenFollowUp(
    streamId: string,
    placeholder: Message,
    plan: ReplyPlan,
    signal: AbortSignal,
  ): Promise<void> {
    const ending = await runReplyStream(streamOptions, streamId, placeholder, plan, signal);
    if (ending.status !== 'complete') return;
    if (ending.assessment && ending.asked) {
      correction.correctIfNeeded(plan, ending.message, ending.assessment, ending.asked);
    }
    titles.writeTitleIfFirst(
      {
        clientId: plan.clientId,
        conversationId: plan.conversation.id,
        userMessageId: plan.userMessageId,
      },
      ending.message,
    );
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
    while (streams.size > 0 || titles.pendingCount() > 0) {
      const pending = [...streams.values()];
      for (const active of pending) active.controller.abort();
      await Promise.all(pending.map((active) => active.finished));
      await titles.stopAll();
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
