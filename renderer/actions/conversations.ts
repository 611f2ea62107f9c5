import { SIDEBAR_PAGE_SIZE, type MethodInput } from '../../shared/contract';
import { sidebarListOfKey, type SidebarListKey } from '../stores/sidebarLists';
import type { ActionContext } from './actionContext';
import { setHash } from './hashRouting';

/** Opening, creating and changing conversations, their messages, and search. */
export interface ConversationActions {
  openConversation(conversationId: string, focusMessageId?: string): Promise<void>;
  newChat(): Promise<void>;
  switchBranch(messageId: string, direction?: 'previous' | 'next'): Promise<void>;
  /** Loads the page of the open thread above its first loaded message (on scrolling up). */
  loadEarlierMessages(): Promise<void>;
  /** Deletes one message of the open thread; the messages after it stay. */
  deleteMessage(messageId: string): Promise<void>;
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
  /**
   * Reloads the sidebar from the start (folders, counts and the first page of the unfiled list;
   * the other lists load as they come into view), at start-up and e.g. after an import.
   */
  reloadSidebar(): Promise<void>;
  /** Loads the next page of one sidebar list (once at a time; nothing when it is loaded whole). */
  loadSidebarPage(key: SidebarListKey): Promise<void>;
  /** Rereads how many conversations each sidebar list holds. */
  refreshSidebarCounts(): Promise<void>;
}

export function createConversationActions({
  api,
  state,
  shown,
}: ActionContext): ConversationActions {
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

  // Answers can arrive out of order: only the latest search may show its hits.
  let searchSeq = 0;

  /** The sidebar pages being loaded, by list. */
  const loadingPages = new Map<SidebarListKey, Promise<void>>();
  // A page asked for before the sidebar was reloaded belongs to the lists it replaced.
  let sidebarGeneration = 0;
  let countsSeq = 0;

  async function loadPage(key: SidebarListKey): Promise<void> {
    const page = state().sidebarPages[key];
    if (page && page.next === null) return;
    const generation = sidebarGeneration;
    const value = shown(
      await api.call('conversations.page', {
        list: sidebarListOfKey(key),
        before: page?.next ?? null,
        limit: SIDEBAR_PAGE_SIZE,
      }),
    );
    if (value && generation === sidebarGeneration) {
      state().sidebarPageLoaded(key, value.conversations, value.next);
    }
  }

  function loadSidebarPage(key: SidebarListKey): Promise<void> {
    const known = loadingPages.get(key);
    if (known) return known;
    const loading: Promise<void> = loadPage(key).finally(() => {
      if (loadingPages.get(key) === loading) loadingPages.delete(key);
    });
    loadingPages.set(key, loading);
    return loading;
  }

  async function refreshCounts(): Promise<void> {
    const seq = ++countsSeq;
    const counts = shown(await api.call('conversations.counts', {}));
    if (counts && seq === countsSeq) state().sidebarCountsLoaded(counts);
  }

  return {
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

    async reloadSidebar() {
      sidebarGeneration += 1;
      loadingPages.clear();
      state().sidebarPagesForgotten();
      // The first page is asked for first: the host answers in order, and its rows are what the
      // user waits for (it holds no filed conversation, so it needs no folders).
      const firstPage = loadSidebarPage('unfiled');
      const folders = api.call('folders.list', {}).then((result) => {
        const folderList = shown(result);
        if (folderList) state().foldersLoaded(folderList.folders);
      });
      await Promise.all([firstPage, folders, refreshCounts()]);
    },

    loadSidebarPage,

    refreshSidebarCounts: refreshCounts,
  };
}
