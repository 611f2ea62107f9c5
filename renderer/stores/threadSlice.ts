import type { StateCreator } from 'zustand';
import type { EventName, EventPayload } from '../../shared/contract';
import type { BranchPosition, Message } from '../../shared/domain';
import type { AppState } from './useAppStore';

interface StreamState {
  messageId: string;
  nextSeq: number;
  /** The user pressed Stop: the reply shows as stopped until the host confirms with its final text. */
  stopping?: boolean;
}

/** The events that belong to one stream. */
export type StreamEvent = {
  [E in Extract<EventName, `chat.${string}`>]: { name: E; payload: EventPayload<E> };
}[Extract<EventName, `chat.${string}`>];

/**
 * A reply that has begun: after a send or an edit (user + reply), a regenerate, a correction, or
 * a continuation (of the reply already shown).
 */
export interface ReplyStart {
  streamId: string;
  /** New messages in thread order: the user message (if any), then the reply placeholder. */
  messages: Message[];
  /** The message the first new one stands in for (an edited message, a regenerated reply). */
  replaces: string | null;
}

/** A window of the thread, as `conversations.open` / `loadEarlier` send it. */
export interface ThreadPage {
  messages: Message[];
  branches: Record<string, BranchPosition>;
  earlier: number;
}

/**
 * The open thread. Messages live in a map so a delta replaces one message object and only the
 * component showing that message re-renders; the ordered id list changes only on send/open.
 */
export interface ThreadSlice {
  threadConversationId: string | null;
  threadMessageIds: string[];
  /** Messages of the open thread above the first loaded one (a long thread opens at its last page). */
  threadEarlier: number;
  messagesById: Record<string, Message>;
  /** "‹ 2/3 ›" positions of the messages that have siblings. */
  branches: Record<string, BranchPosition>;
  streams: Record<string, StreamState>;
  /** Events that arrived before the answer that told us which message they belong to. */
  earlyEvents: Record<string, StreamEvent[]>;
  /** How many old turns the last reply left out to fit the model's context, by message. */
  droppedTurns: Record<string, number>;
  /** The message whose edit box is open (one at a time), or null. */
  editingMessageId: string | null;
  /** The edit box of `messageId` opened (↑ or the Edit button), or closed with null. */
  messageEditToggled(messageId: string | null): void;
  threadOpened(
    conversationId: string,
    messages: Message[],
    branches: Record<string, BranchPosition>,
    earlier?: number,
  ): void;
  /** Puts the page above the first loaded message on top of the thread. */
  earlierLoaded(beforeMessageId: string, page: ThreadPage): void;
  replyStarted(start: ReplyStart): void;
  streamEventReceived(event: StreamEvent): void;
  /** Applies several events in one store update (one React commit). */
  streamEventsReceived(events: StreamEvent[]): void;
  /**
   * Stop was pressed: the reply shows as stopped at once, and the composer is free again. The
   * host's `chat.cancelled` (or `chat.done`, if it finished first) then brings the saved message.
   */
  streamStopRequested(streamId: string): void;
}

export const createThreadSlice: StateCreator<AppState, [], [], ThreadSlice> = (set, get) => ({
  threadConversationId: null,
  threadMessageIds: [],
  threadEarlier: 0,
  messagesById: {},
  branches: {},
  streams: {},
  earlyEvents: {},
  droppedTurns: {},
  editingMessageId: null,

  messageEditToggled: (messageId) => set({ editingMessageId: messageId }),

  threadOpened: (conversationId, messages, branches, earlier = 0) =>
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
        // An edit box belongs to the thread it was opened in.
        editingMessageId:
          state.threadConversationId === conversationId ? state.editingMessageId : null,
        threadEarlier: earlier,
        messagesById,
        branches,
      };
    }),

  earlierLoaded: (beforeMessageId, page) =>
    set((state) => {
      // Late answer for a thread that has since been reopened or switched: ignore it.
      if (state.threadMessageIds[0] !== beforeMessageId) return {};
      const fresh = page.messages.filter((message) => !state.messagesById[message.id]);
      const messagesById = { ...state.messagesById };
      for (const message of fresh) messagesById[message.id] = message;
      return {
        threadMessageIds: [...fresh.map((m) => m.id), ...state.threadMessageIds],
        threadEarlier: page.earlier,
        messagesById,
        branches: { ...page.branches, ...state.branches },
      };
    }),

  replyStarted: ({ streamId, messages, replaces }) => {
    set((state) => {
      const first = messages[0];
      if (!first) return {};
      const messagesById = { ...state.messagesById };
      for (const message of messages) messagesById[message.id] = message;
      const streams = {
        ...state.streams,
        [streamId]: { messageId: messages.at(-1)?.id ?? first.id, nextSeq: 0 },
      };
      if (state.threadConversationId !== first.conversationId) return { messagesById, streams };
      // A continued reply streams into the message already shown: the thread keeps its shape.
      if (!replaces && state.threadMessageIds.includes(first.id)) return { messagesById, streams };

      const cut = replaces ? state.threadMessageIds.indexOf(replaces) : -1;
      const kept = cut === -1 ? state.threadMessageIds : state.threadMessageIds.slice(0, cut);
      const branches = { ...state.branches };
      if (replaces) {
        // The new message is the newest sibling of the one it replaces.
        const count = (state.branches[replaces]?.count ?? 1) + 1;
        for (const [id, position] of Object.entries(branches)) {
          if (messagesById[id]?.parentId === first.parentId && id !== replaces) {
            branches[id] = { ...position, count };
          }
        }
        branches[replaces] = { index: state.branches[replaces]?.index ?? 0, count };
        branches[first.id] = { index: count - 1, count };
      }
      return {
        messagesById,
        streams,
        branches,
        threadMessageIds: [...kept, ...messages.map((m) => m.id)],
      };
    });
    const early = get().earlyEvents[streamId];
    if (early) {
      set((state) => {
        const { [streamId]: _drained, ...rest } = state.earlyEvents;
        return { earlyEvents: rest };
      });
      get().streamEventsReceived(early);
    }
  },

  streamEventReceived: (event) => set((state) => applyStreamEvent(state, event)),
  streamStopRequested: (streamId) =>
    set((state) => {
      const stream = state.streams[streamId];
      const message = stream && state.messagesById[stream.messageId];
      if (!stream || !message || stream.stopping) return {};
      return {
        streams: { ...state.streams, [streamId]: { ...stream, stopping: true } },
        messagesById: { ...state.messagesById, [message.id]: { ...message, status: 'cancelled' } },
      };
    }),
  streamEventsReceived: (events) =>
    set((state) => {
      let next: AppState = state;
      for (const event of events) next = { ...next, ...applyStreamEvent(next, event) };
      return next;
    }),
});

/** The state change one stream event causes. */
function applyStreamEvent(state: AppState, event: StreamEvent): Partial<AppState> {
  const streamId = event.payload.streamId;
  if (event.name === 'chat.started') return {};
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
    ...(event.name === 'chat.done' && event.payload.droppedTurns > 0
      ? { droppedTurns: { ...state.droppedTurns, [current.id]: event.payload.droppedTurns } }
      : {}),
  };
}

/** The stream currently writing into the open thread, if any. */
export function selectActiveStreamId(state: AppState): string | null {
  for (const [streamId, stream] of Object.entries(state.streams)) {
    if (stream.stopping) continue;
    const message = state.messagesById[stream.messageId];
    if (message && message.conversationId === state.threadConversationId) return streamId;
  }
  return null;
}

/** The last message of a role on the visible thread. */
export function selectLastMessage(state: AppState, role: Message['role']): Message | undefined {
  for (let i = state.threadMessageIds.length - 1; i >= 0; i--) {
    const message = state.messagesById[state.threadMessageIds[i] ?? ''];
    if (message?.role === role) return message;
  }
  return undefined;
}
