import { createContext, useContext } from 'react';
import type { AnyEvent } from '../../shared/contract';
import { fallbackTitle } from '../../shared/conversationTitle';
import type { ApiClient } from '../lib/api';
import type { Transport } from '../lib/transport';
import type { createAppStore } from '../stores/useAppStore';
import { selectActiveStreamId } from '../stores/threadSlice';

type AppStore = ReturnType<typeof createAppStore>;

/** The user's intents, each one call to the contract followed by store events. */
export interface AppActions {
  start(): () => void;
  openConversation(conversationId: string): Promise<void>;
  newChat(): Promise<void>;
  sendMessage(text: string): Promise<boolean>;
  stopStreaming(): Promise<void>;
}

const HASH_PREFIX = '#/c/';
/** The longest a streamed token waits before it is shown. */
const DELTA_COMMIT_MS = 40;

/** Which conversation the URL names, so a reload reopens it. */
export function conversationIdFromHash(hash: string): string | null {
  return hash.startsWith(HASH_PREFIX) ? decodeURIComponent(hash.slice(HASH_PREFIX.length)) : null;
}

export function createAppActions(
  api: ApiClient,
  store: AppStore,
  transport: Transport,
): AppActions {
  const state = () => store.getState();

  // Deltas are applied at most every DELTA_COMMIT_MS: fewer, larger commits keep the page
  // responsive however fast tokens arrive. A stream's ending flushes what is queued first.
  let queuedDeltas: AnyEvent[] = [];
  let commitTimer: ReturnType<typeof setTimeout> | undefined;
  const commitDeltas = () => {
    clearTimeout(commitTimer);
    commitTimer = undefined;
    const batch = queuedDeltas;
    queuedDeltas = [];
    if (batch.length > 0) state().streamEventsReceived(batch);
  };

  function onEvent(event: AnyEvent): void {
    if (event.name === 'chat.delta') {
      queuedDeltas.push(event);
      commitTimer ??= setTimeout(commitDeltas, DELTA_COMMIT_MS);
      return;
    }
    commitDeltas();
    state().streamEventReceived(event);
    const { message } = event.payload;
    state().conversationTouched(message.conversationId, { updatedAt: message.updatedAt });
  }

  async function refreshConversations(): Promise<void> {
    const result = await api.call('conversations.list', {});
    if (result.ok) state().conversationsLoaded(result.value.conversations);
    else state().errorReported(result.error);
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
        const settings = await api.call('settings.get', {});
        if (settings.ok) state().settingsLoaded(settings.value);
        await refreshConversations();
        const fromHash = conversationIdFromHash(window.location.hash);
        if (fromHash) await actions.openConversation(fromHash);
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

    async openConversation(conversationId) {
      state().conversationSelected(conversationId);
      const result = await api.call('conversations.open', { conversationId });
      if (!result.ok) {
        state().errorReported(result.error);
        if (result.error.code === 'NOT_FOUND') state().conversationSelected(null);
        return;
      }
      state().threadOpened(conversationId, result.value.messages);
      const hash = HASH_PREFIX + encodeURIComponent(conversationId);
      if (window.location.hash !== hash) history.replaceState(null, '', hash);
    },

    async newChat() {
      const result = await api.call('conversations.create', {});
      if (!result.ok) {
        state().errorReported(result.error);
        return;
      }
      state().conversationCreated(result.value);
      state().threadOpened(result.value.id, []);
      history.replaceState(null, '', HASH_PREFIX + encodeURIComponent(result.value.id));
    },

    async sendMessage(text) {
      if (!text.trim()) return false;
      let conversationId = state().threadConversationId;
      if (!conversationId) {
        await actions.newChat();
        conversationId = state().threadConversationId;
        if (!conversationId) return false;
      }
      const result = await api.call('chat.send', { conversationId, text });
      if (!result.ok) {
        // The draft stays in the composer: nothing the user typed is lost.
        state().errorReported(result.error);
        return false;
      }
      state().errorReported(null);
      state().messageSent(result.value);
      state().conversationTouched(conversationId, {
        updatedAt: result.value.userMessage.createdAt,
        title: fallbackTitle(text),
      });
      return true;
    },

    async stopStreaming() {
      const streamId = selectActiveStreamId(state());
      if (!streamId) return;
      const result = await api.call('chat.cancel', { streamId });
      if (!result.ok) state().errorReported(result.error);
    },
  };
  return actions;
}

/** Gives components the actions without prop drilling. */
export const AppActionsContext = createContext<AppActions | null>(null);

/** The actions of the running app. */
export function useAppActions(): AppActions {
  const actions = useContext(AppActionsContext);
  if (!actions) throw new Error('useAppActions needs <AppActionsContext.Provider>');
  return actions;
}
