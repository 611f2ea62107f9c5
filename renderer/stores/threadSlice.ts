import type { StateCreator } from 'zustand';
import type { AnyEvent } from '../../shared/contract';
import type { Message } from '../../shared/domain';
import type { AppError } from '../../shared/errors';
import type { AppState } from './useAppStore';

interface StreamState {
  messageId: string;
  nextSeq: number;
}

/**
 * The open thread. Messages live in a map so a delta replaces one message object and only the
 * component showing that message re-renders; the ordered id list changes only on send/open.
 */
export interface ThreadSlice {
  threadConversationId: string | null;
  threadMessageIds: string[];
  messagesById: Record<string, Message>;
  streams: Record<string, StreamState>;
  /** Events that arrived before the `chat.send` answer told us which message they belong to. */
  earlyEvents: Record<string, AnyEvent[]>;
  threadOpened(conversationId: string, messages: Message[]): void;
  messageSent(sent: { streamId: string; userMessage: Message; assistantMessage: Message }): void;
  streamEventReceived(event: AnyEvent): void;
  /** Applies several events in one store update (one React commit). */
  streamEventsReceived(events: AnyEvent[]): void;
}

export const createThreadSlice: StateCreator<AppState, [], [], ThreadSlice> = (set, get) => ({
  threadConversationId: null,
  threadMessageIds: [],
  messagesById: {},
  streams: {},
  earlyEvents: {},

  threadOpened: (conversationId, messages) =>
    set((state) => {
      const messagesById: Record<string, Message> = {};
      // Keep live streaming messages: their text is ahead of what the database has.
      for (const stream of Object.values(state.streams)) {
        const live = state.messagesById[stream.messageId];
        if (live) messagesById[live.id] = live;
      }
      for (const message of messages) messagesById[message.id] ??= message;
      return {
        threadConversationId: conversationId,
        threadMessageIds: messages.map((m) => m.id),
        messagesById,
      };
    }),

  messageSent: ({ streamId, userMessage, assistantMessage }) => {
    set((state) => {
      const inThread = state.threadConversationId === userMessage.conversationId;
      return {
        messagesById: {
          ...state.messagesById,
          [userMessage.id]: userMessage,
          [assistantMessage.id]: assistantMessage,
        },
        threadMessageIds: inThread
          ? [...state.threadMessageIds, userMessage.id, assistantMessage.id]
          : state.threadMessageIds,
        streams: { ...state.streams, [streamId]: { messageId: assistantMessage.id, nextSeq: 0 } },
      };
    });
    const early = get().earlyEvents[streamId];
    if (early) {
      set((state) => {
        const { [streamId]: _drained, ...rest } = state.earlyEvents;
        return { earlyEvents: rest };
      });
      for (const event of early) get().streamEventReceived(event);
    }
  },

  streamEventReceived: (event) => set((state) => applyStreamEvent(state, event)),
  streamEventsReceived: (events) =>
    set((state) => {
      let next: AppState = state;
      for (const event of events) next = { ...next, ...applyStreamEvent(next, event) };
      return next;
    }),
});

/** The state change one stream event causes. */
function applyStreamEvent(state: AppState, event: AnyEvent): Partial<AppState> {
  const streamId = event.payload.streamId;
  const stream = state.streams[streamId];
  if (!stream) {
    return {
      earlyEvents: {
        ...state.earlyEvents,
        [streamId]: [...(state.earlyEvents[streamId] ?? []), event],
      },
    };
  }
  const current = state.messagesById[stream.messageId];
  if (!current) return {};
  if (event.name === 'chat.delta') {
    // Transports keep order; a repeated or stale sequence number is dropped, never applied twice.
    if (event.payload.seq < stream.nextSeq) return {};
    return {
      messagesById: {
        ...state.messagesById,
        [current.id]: { ...current, content: current.content + event.payload.text },
      },
      streams: { ...state.streams, [streamId]: { ...stream, nextSeq: event.payload.seq + 1 } },
    };
  }
  const { [streamId]: _ended, ...streams } = state.streams;
  return {
    streams,
    messagesById: { ...state.messagesById, [current.id]: event.payload.message },
  };
}

/** The stream currently writing into the open thread, if any. */
export function selectActiveStreamId(state: AppState): string | null {
  for (const [streamId, stream] of Object.entries(state.streams)) {
    const message = state.messagesById[stream.messageId];
    if (message && message.conversationId === state.threadConversationId) return streamId;
  }
  return null;
}

/** The error to show under a reply, if it failed. */
export function selectMessageError(message: Message | undefined): AppError | null {
  return message?.status === 'error' ? message.error : null;
}
