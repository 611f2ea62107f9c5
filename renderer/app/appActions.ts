import { createContext, useContext } from 'react';
import type { AnyEvent, MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import { fallbackTitle } from '../../shared/conversationTitle';
import type { Conversation, ModelRef } from '../../shared/domain';
import type { Result } from '../../shared/errors';
import type { ApiClient } from '../lib/api';
import type { Transport } from '../lib/transport';
import { selectActiveStreamId, type StreamEvent } from '../stores/threadSlice';
import type { createAppStore } from '../stores/useAppStore';
import { createDeltaBatcher } from './deltaBatcher';

type AppStore = ReturnType<typeof createAppStore>;

/** The user's intents, each one call to the contract followed by store events. */
export interface AppActions {
  start(): () => void;
  openConversation(conversationId: string, focusMessageId?: string): Promise<void>;
  newChat(): Promise<void>;
  sendMessage(text: string): Promise<boolean>;
  editMessage(messageId: string, text: string): Promise<boolean>;
  regenerate(messageId: string, strongLanguageRule?: boolean): Promise<void>;
  /** Carries on a reply that stopped part-way, in the same message. */
  continueReply(messageId: string): Promise<void>;
  switchBranch(messageId: string, direction?: 'previous' | 'next'): Promise<void>;
  /** Loads the page of the open thread above its first loaded message (on scrolling up). */
  loadEarlierMessages(): Promise<void>;
  /** Deletes one message of the open thread; the messages after it stay. */
  deleteMessage(messageId: string): Promise<void>;
  stopStreaming(): Promise<void>;
  updateConversation(
    change: Omit<MethodInput<'conversations.update'>, 'conversationId'>,
  ): Promise<void>;
  renameConversation(conversationId: string, title: string): Promise<void>;
  setPinned(conversationId: string, pinned: boolean): Promise<void>;
  trashConversation(conversationId: string): Promise<void>;
  restoreConversation(conversationId: string): Promise<void>;
  /** Searches messages; `filters` narrows by role, model, date, conversation or folder. */
  search(
    query: string,
    filters?: Omit<MethodInput<'search.messages'>, 'query' | 'limit'>,
  ): Promise<void>;
  /** Reloads the sidebar (conversations, archived ones included, and folders), e.g. after an import. */
  reloadSidebar(): Promise<void>;
  loadCatalog(refresh?: boolean): Promise<void>;
  refreshSettings(): Promise<void>;
  /** Any other contract call, with its error shown to the user; resolves to the value or null. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<MethodOutput<M> | null>;
}

const HASH_PREFIX = '#/c/';

/** Which conversation the URL names, so a reload reopens it. */
export function conversationIdFromHash(hash: string): string | null {
  return hash.startsWith(HASH_PREFIX) ? decodeURIComponent(hash.slice(HASH_PREFIX.length)) : null;
}

function isStreamEvent(event: AnyEvent): event is StreamEvent {
  return event.name.startsWith('chat.');
}

export function createAppActions(
  api: ApiClient,
  store: AppStore,
  transport: Transport,
): AppActions {
  const state = () => store.getState();

  /** Unwraps a Result, showing its error; null when it failed. */
  function shown<T>(result: Result<T>): T | null {
    if (result.ok) return result.value;
    state().errorReported(result.error);
    return null;
  }

  /** A new chat being created (see `newChat`). */
  let creatingChat: Promise<void> | null = null;

  async function createChat(): Promise<void> {
    // The composer moves to the new chat at once: text typed while it is being created goes
    // into it (moved below), not into the draft of the conversation left behind.
    // The address keeps naming the previous conversation until the new one exists.
    if (state().threadConversationId) {
      state().threadOpened('', [], {});
      state().conversationSelected(null);
    }
    const created = shown(await api.call('conversations.create', {}));
    if (!created) return;
    state().conversationCreated(created);
    // The user opened another conversation meanwhile: the new one waits in the sidebar.
    if (state().threadConversationId) return;
    state().threadOpened(created.id, [], {});
    setHash(created.id);
    // Text typed before any conversation existed (or while this one was being created) moves
    // into it rather than vanishing with the empty composer it was typed in.
    const unsent = state().drafts[''] ?? '';
    if (unsent) {
      state().draftEdited(created.id, unsent);
      state().draftEdited('', '');
    }
  }

  /** The first message of the page being loaded above it, while `loadEarlierMessages` runs. */
  let loadingEarlierBefore: string | null = null;

  // Deltas are applied in batches (see deltaBatcher.ts): fewer, larger commits keep the page
  // responsive however fast tokens arrive. A stream's ending flushes what is queued first.
  const deltas = createDeltaBatcher((batch) => state().streamEventsReceived(batch));

  function onEvent(event: AnyEvent): void {
    if (event.name === 'models.changed') {
      void actions.loadCatalog();
      void actions.refreshSettings();
      return;
    }
    if (event.name === 'local.download') {
      state().downloadChanged(event.payload);
      return;
    }
    if (event.name === 'local.runtime') {
      state().localRuntimeChanged(event.payload);
      return;
    }
    if (event.name === 'conversations.changed') {
      // Only a conversation the sidebar shows (an archived one stays out of it).
      const { conversation } = event.payload;
      if (state().conversations.some((c) => c.id === conversation.id)) {
        state().conversationUpdated(conversation);
      }
      return;
    }
    if (!isStreamEvent(event)) return;
    if (event.name === 'chat.delta') {
      deltas.delta(event);
      return;
    }
    deltas.flush();
    if (event.name === 'chat.started') {
      state().replyStarted({
        streamId: event.payload.streamId,
        messages: [event.payload.message],
        replaces: event.payload.replaces,
      });
      return;
    }
    deltas.ended(event.payload.streamId);
    state().streamEventReceived(event);
    const { message } = event.payload;
    state().conversationTouched(message.conversationId, { updatedAt: message.updatedAt });
  }

  async function refreshConversations(): Promise<void> {
    // Archived conversations too: the sidebar lists them in its archive view.
    const [list, folders] = await Promise.all([
      api.call('conversations.list', { includeArchived: true }),
      api.call('folders.list', {}),
    ]);
    const value = shown(list);
    if (value) state().conversationsLoaded(value.conversations);
    const folderList = shown(folders);
    if (folderList) state().foldersLoaded(folderList.folders);
  }

  // Answers can arrive out of order: only the latest search may show its hits.
  let searchSeq = 0;

  function setHash(conversationId: string | null): void {
    const hash = conversationId ? HASH_PREFIX + encodeURIComponent(conversationId) : '';
    if (window.location.hash !== hash) {
      history.replaceState(null, '', hash || window.location.pathname + window.location.search);
    }
  }

  const actions: AppActions = {
    start() {
      const unsubscribeEvents = api.onEvent(onEvent);
      const unsubscribeStatus = transport.onStatus?.((status) => {
        const wasClosed = state().connection === 'closed';
        state().connectionChanged(status);
        // After a reconnect the back end may have moved on: reload what we show.
        if (status === 'open' && wasClosed) {
          void refreshConversations();
          const open = state().threadConversationId;
          if (open) void actions.openConversation(open);
        }
      });
      void (async () => {
        await actions.refreshSettings();
        await refreshConversations();
        const fromHash = conversationIdFromHash(window.location.hash);
        if (fromHash) await actions.openConversation(fromHash);
        await actions.loadCatalog();
      })();
      const onHashChange = () => {
        const id = conversationIdFromHash(window.location.hash);
        if (id && id !== state().threadConversationId) void actions.openConversation(id);
      };
      window.addEventListener('hashchange', onHashChange);
      return () => {
        unsubscribeEvents();
        unsubscribeStatus?.();
        window.removeEventListener('hashchange', onHashChange);
      };
    },

    async refreshSettings() {
      const settings = await api.call('settings.get', {});
      if (settings.ok) state().settingsLoaded(settings.value);
    },

    async loadCatalog(refresh = false) {
      const result = await api.call('models.list', refresh ? { refresh: true } : {});
      if (result.ok) state().catalogLoaded(result.value.groups);
    },

    async openConversation(conversationId, focusMessageId) {
      state().conversationSelected(conversationId);
      const result = await api.call('conversations.open', {
        conversationId,
        ...(focusMessageId ? { aroundMessageId: focusMessageId } : {}),
      });
      if (!result.ok) {
        state().errorReported(result.error);
        if (result.error.code === 'NOT_FOUND') {
          state().conversationSelected(null);
          setHash(null);
        }
        return;
      }
      state().conversationUpdated(result.value.conversation);
      const { messages, branches, earlier } = result.value;
      state().threadOpened(conversationId, messages, branches, earlier);
      state().messageFocused(focusMessageId ?? null);
      setHash(conversationId);
    },

    newChat() {
      // One at a time: Enter pressed while a new chat is being created uses that chat.
      creatingChat ??= createChat().finally(() => (creatingChat = null));
      return creatingChat;
    },

    async sendMessage(text) {
      if (!text.trim()) return false;
      let conversationId = state().threadConversationId;
      if (!conversationId) {
        await actions.newChat();
        conversationId = state().threadConversationId;
        if (!conversationId) return false;
      }
      // On failure the draft stays in the composer: nothing the user typed is lost.
      const sent = shown(await api.call('chat.send', { conversationId, text }));
      if (!sent) return false;
      state().errorReported(null);
      state().replyStarted({
        streamId: sent.streamId,
        messages: [sent.userMessage, sent.assistantMessage],
        replaces: null,
      });
      state().conversationTouched(conversationId, {
        updatedAt: sent.userMessage.createdAt,
        title: fallbackTitle(text),
      });
      return true;
    },

    async editMessage(messageId, text) {
      const sent = shown(await api.call('chat.edit', { messageId, text }));
      if (!sent) return false;
      state().replyStarted({
        streamId: sent.streamId,
        messages: [sent.userMessage, sent.assistantMessage],
        replaces: messageId,
      });
      return true;
    },

    async regenerate(messageId, strongLanguageRule) {
      const started = shown(
        await api.call('chat.regenerate', {
          messageId,
          ...(strongLanguageRule ? { strongLanguageRule: true } : {}),
        }),
      );
      if (!started) return;
      state().replyStarted({
        streamId: started.streamId,
        messages: [started.assistantMessage],
        replaces: messageId,
      });
    },

    async continueReply(messageId) {
      const started = shown(await api.call('chat.continue', { messageId }));
      if (!started) return;
      state().replyStarted({
        streamId: started.streamId,
        messages: [started.assistantMessage],
        replaces: null,
      });
    },

    async switchBranch(messageId, direction) {
      const conversationId = state().threadConversationId;
      const thread = shown(
        await api.call('conversations.switchBranch', {
          messageId,
          ...(direction ? { direction } : {}),
        }),
      );
      if (thread && conversationId)
        state().threadOpened(conversationId, thread.messages, thread.branches, thread.earlier);
    },

    async deleteMessage(messageId) {
      const conversationId = state().threadConversationId;
      const thread = shown(await api.call('messages.delete', { messageId }));
      if (thread && conversationId && state().threadConversationId === conversationId) {
        state().threadOpened(conversationId, thread.messages, thread.branches, thread.earlier);
      }
    },

    async loadEarlierMessages() {
      const first = state().threadMessageIds[0];
      if (!first || state().threadEarlier === 0 || loadingEarlierBefore === first) return;
      loadingEarlierBefore = first;
      try {
        const page = shown(await api.call('conversations.loadEarlier', { beforeMessageId: first }));
        if (page) state().earlierLoaded(first, page);
      } finally {
        loadingEarlierBefore = null;
      }
    },

    async stopStreaming() {
      const streamId = selectActiveStreamId(state());
      if (!streamId) return;
      // Stopped on screen now; the host's answer (its saved text) follows.
      state().streamStopRequested(streamId);
      shown(await api.call('chat.cancel', { streamId }));
    },

    async updateConversation(change) {
      const conversationId = state().threadConversationId;
      if (!conversationId) return;
      const updated = shown(await api.call('conversations.update', { conversationId, ...change }));
      if (updated) state().conversationUpdated(updated);
    },

    async renameConversation(conversationId, title) {
      const updated = shown(await api.call('conversations.rename', { conversationId, title }));
      if (updated) state().conversationUpdated(updated);
    },

    async setPinned(conversationId, pinned) {
      const updated = shown(await api.call('conversations.setPinned', { conversationId, pinned }));
      if (updated) state().conversationUpdated(updated);
    },

    async trashConversation(conversationId) {
      const conversation = state().conversations.find((c) => c.id === conversationId);
      if (!shown(await api.call('conversations.trash', { conversationId }))) return;
      state().conversationRemoved(conversationId);
      if (state().threadConversationId === conversationId) {
        state().threadOpened('', [], {});
        state().conversationSelected(null);
        setHash(null);
      }
      state().trashUndoOffered(conversation ?? null);
    },

    async restoreConversation(conversationId) {
      const restored = shown(await api.call('conversations.restore', { conversationId }));
      if (!restored) return;
      state().conversationUpdated(restored);
      state().trashUndoOffered(null);
    },

    async search(query, filters = {}) {
      const seq = ++searchSeq;
      const trimmed = query.trim();
      if (!trimmed) {
        state().searchChanged(query, null);
        return;
      }
      state().searchChanged(query, state().searchHits);
      const result = await api.call('search.messages', { ...filters, query: trimmed, limit: 50 });
      if (seq !== searchSeq) return;
      state().searchChanged(query, result.ok ? result.value.hits : []);
    },

    reloadSidebar: refreshConversations,

    async call(method, input) {
      return shown(await api.call(method, input));
    },
  };
  return actions;
}

/** The conversation open in the thread, from the sidebar list. */
export function selectOpenConversation(state: {
  conversations: Conversation[];
  threadConversationId: string | null;
}): Conversation | undefined {
  return state.conversations.find((c) => c.id === state.threadConversationId);
}

/** Two model refs name the same model. */
export function sameModel(a: ModelRef | null | undefined, b: ModelRef | null | undefined): boolean {
  return !!a && !!b && a.provider === b.provider && a.model === b.model;
}

/** Gives components the actions without prop drilling. */
export const AppActionsContext = createContext<AppActions | null>(null);

/** The actions of the running app. */
export function useAppActions(): AppActions {
  const actions = useContext(AppActionsContext);
  if (!actions) throw new Error('useAppActions needs <AppActionsContext.Provider>');
  return actions;
}
