import { randomUUID } from 'node:crypto';
import type { AnyEvent, MethodInput, MethodOutput } from '../../../shared/contract';
import type { Message, ModelRef, Usage } from '../../../shared/domain';
import type { AppError } from '../../../shared/errors';
import { fallbackTitle } from '../../../shared/conversationTitle';
import { CoreError, toAppError } from '../coreError';
import type { Logger } from '../logger';
import type { ChatProvider, ProviderMessage } from '../providers/chatProvider';
import type { Db } from '../store/openDatabase';
import {
  findActiveLeafId,
  findConversation,
  recordConversationActivity,
} from '../store/repos/conversations';
import {
  checkpointMessageContent,
  findMessage,
  finishMessage,
  insertMessage,
  listPathToLeaf,
} from '../store/repos/messages';

export interface ChatServiceOptions {
  db: Db;
  providers: Record<ModelRef['provider'], ChatProvider>;
  /** Delivers an event to one connected page; a page that has gone away is ignored. */
  emit: (clientId: string, event: AnyEvent) => void;
  logger: Logger;
  /** How long deltas are gathered before one event is sent. */
  deltaBatchMs?: number;
  /** How often partial text is saved while streaming (bounded, never per token). */
  checkpointMs?: number;
  now?: () => number;
  newId?: () => string;
}

interface ActiveStream {
  clientId: string;
  controller: AbortController;
  finished: Promise<void>;
}

/** Orchestrates send / stream / cancel: the one place a reply's lifecycle is decided. */
export function createChatService(options: ChatServiceOptions) {
  const { db, providers, emit, logger } = options;
  const deltaBatchMs = options.deltaBatchMs ?? 30;
  const checkpointMs = options.checkpointMs ?? 500;
  const now = options.now ?? Date.now;
  const newId = options.newId ?? randomUUID;
  const streams = new Map<string, ActiveStream>();

  function send(clientId: string, input: MethodInput<'chat.send'>): MethodOutput<'chat.send'> {
    const conversation = findConversation(db, input.conversationId);
    if (!conversation) throw new CoreError('NOT_FOUND', 'This conversation no longer exists.');
    const createdAt = now();
    const userMessage: Message = {
      id: newId(),
      conversationId: conversation.id,
      parentId: findActiveLeafId(db, conversation.id),
      role: 'user',
      content: input.text,
      status: 'complete',
      model: null,
      usage: null,
      error: null,
      createdAt,
      updatedAt: createdAt,
    };
    const assistantMessage: Message = {
      ...userMessage,
      id: newId(),
      parentId: userMessage.id,
      role: 'assistant',
      content: '',
      status: 'streaming',
      model: conversation.model,
    };
    db.transaction(() => {
      insertMessage(db, userMessage);
      insertMessage(db, assistantMessage);
      recordConversationActivity(db, {
        id: conversation.id,
        activeLeafId: assistantMessage.id,
        updatedAt: createdAt,
        titleIfUntitled: fallbackTitle(input.text),
      });
    })();

    const history = toProviderHistory(listPathToLeaf(db, userMessage.id));
    const streamId = newId();
    const controller = new AbortController();
    const provider = providers[conversation.model.provider];
    const active: ActiveStream = { clientId, controller, finished: Promise.resolve() };
    streams.set(streamId, active);
    active.finished = runStream({
      streamId,
      clientId,
      placeholder: assistantMessage,
      stream: provider.streamChat({
        model: conversation.model.model,
        messages: history,
        signal: controller.signal,
      }),
      signal: controller.signal,
    }).finally(() => streams.delete(streamId));
    return { streamId, userMessage, assistantMessage };
  }

  async function runStream(run: {
    streamId: string;
    clientId: string;
    placeholder: Message;
    stream: AsyncIterable<{ type: 'text'; text: string } | { type: 'usage'; usage: Usage }>;
    signal: AbortSignal;
  }): Promise<void> {
    const { streamId, clientId, signal } = run;
    const messageId = run.placeholder.id;
    let text = '';
    let pending = '';
    let seq = 0;
    let usage: Usage | null = null;
    let flushTimer: NodeJS.Timeout | undefined;
    let lastCheckpointAt = now();

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
      for await (const chunk of run.stream) {
        if (chunk.type === 'usage') {
          usage = chunk.usage;
          continue;
        }
        text += chunk.text;
        pending += chunk.text;
        flushTimer ??= setTimeout(flush, deltaBatchMs);
        if (now() - lastCheckpointAt >= checkpointMs) {
          checkpointMessageContent(db, { id: messageId, content: text, updatedAt: now() });
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

    try {
      finishMessage(db, {
        id: messageId,
        content: text,
        status: outcome.status,
        usage,
        error: outcome.status === 'error' ? outcome.error : null,
        updatedAt: now(),
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
    const error = final.status === 'error' ? final.error : null;
    // Read back what was saved; if even that fails, describe the reply from memory.
    const message: Message = safeFind(messageId) ?? {
      ...run.placeholder,
      content: text,
      status: final.status,
      error,
    };
    if (final.status === 'complete') {
      emit(clientId, { name: 'chat.done', payload: { streamId, message } });
    } else if (final.status === 'cancelled') {
      emit(clientId, { name: 'chat.cancelled', payload: { streamId, message } });
    } else {
      emit(clientId, { name: 'chat.error', payload: { streamId, message, error: final.error } });
    }
  }

  function safeFind(id: string): Message | undefined {
    try {
      return findMessage(db, id);
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
    const pending = [...streams.values()];
    for (const active of pending) active.controller.abort();
    await Promise.all(pending.map((active) => active.finished));
  }

  return { send, cancel, cancelClientStreams, close, activeStreamCount: () => streams.size };
}

/** The chat service's public shape. */
export type ChatService = ReturnType<typeof createChatService>;

/** The history sent to a provider: finished turns only; empty and failed replies are left out. */
export function toProviderHistory(path: Message[]): ProviderMessage[] {
  return path
    .filter((message) => message.content.length > 0)
    .map((message) => ({ role: message.role, content: message.content }));
}
