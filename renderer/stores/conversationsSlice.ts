import type { StateCreator } from 'zustand';
import type { ConversationCursor, SidebarCounts } from '../../shared/contract';
import type { Conversation, Folder } from '../../shared/domain';
import { sidebarListKeyOf, type SidebarListKey, type SidebarPage } from './sidebarLists';
import type { AppState } from './useAppStore';

/**
 * The sidebar: the conversations loaded so far (the pages of its lists, archived ones included,
 * and any other the app was told about, such as the open one), how far each list is loaded, the
 * folders, which conversation is open, and how the user arranged the sections.
 */
export interface ConversationsSlice {
  /** Every conversation known here, in no particular order (the sidebar rows sort them). */
  conversations: Conversation[];
  /** How far each sidebar list is loaded; a list not yet asked for is absent. */
  sidebarPages: Partial<Record<SidebarListKey, SidebarPage>>;
  /** The sizes of the lists, from the store; null until first loaded. */
  sidebarCounts: SidebarCounts | null;
  /** Bumped when a change may have moved a conversation between lists: the counts are reread. */
  sidebarCountsStale: number;
  /** Every folder, by name. */
  folders: Folder[];
  selectedConversationId: string | null;
  /** Folders the user folded away; remembered across sessions. */
  collapsedFolderIds: string[];
  /** What the sidebar lists: the conversations (with their folders), or the archive. */
  sidebarView: 'conversations' | 'archive';
  /** A folder being named in the sidebar, and the conversation to file in it once it exists. */
  folderDraft: { moveConversationId: string | null } | null;
  /** A conversation just archived, which "Undo" can bring back. */
  undoableArchive: Conversation | null;
  conversationsLoaded(conversations: Conversation[]): void;
  /** A page of a sidebar list arrived; `next` is null when it was the last. */
  sidebarPageLoaded(
    key: SidebarListKey,
    conversations: Conversation[],
    next: ConversationCursor | null,
  ): void;
  sidebarCountsLoaded(counts: SidebarCounts): void;
  /** Forgets the loaded pages of one list, or of all (keeping the open conversation known). */
  sidebarPagesForgotten(key?: SidebarListKey): void;
  conversationCreated(conversation: Conversation): void;
  conversationSelected(conversationId: string | null): void;
  conversationTouched(conversationId: string, change: { updatedAt: number; title?: string }): void;
  /** A conversation changed (renamed, pinned, archived, filed, model or language switched…). */
  conversationUpdated(conversation: Conversation): void;
  /** A conversation left the sidebar (trashed). */
  conversationRemoved(conversationId: string): void;
  foldersLoaded(folders: Folder[]): void;
  /** A folder was created or renamed. */
  folderSaved(folder: Folder): void;
  /** A folder was deleted; its conversations stay, outside any folder (as the store does it). */
  folderDeleted(folderId: string): void;
  folderToggled(folderId: string): void;
  sidebarViewChosen(view: 'conversations' | 'archive'): void;
  folderDraftStarted(moveConversationId: string | null): void;
  folderDraftEnded(): void;
  archiveUndoOffered(conversation: Conversation | null): void;
}

const COLLAPSED_FOLDERS_KEY = 'causerie.sidebar.collapsedFolders';

/** localStorage where it exists (not in unit tests under Node, nor when the browser blocks it). */
function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function savedCollapsedFolders(): string[] {
  try {
    const parsed: unknown = JSON.parse(storage()?.getItem(COLLAPSED_FOLDERS_KEY) ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((id) => typeof id === 'string') : [];
  } catch {
    return [];
  }
}

function saveCollapsedFolders(ids: string[]): void {
  try {
    storage()?.setItem(COLLAPSED_FOLDERS_KEY, JSON.stringify(ids));
  } catch {
    // A full or blocked storage only costs the remembered layout.
  }
}

/** The conversations with `incoming` put in: a known one replaced where it is, a new one added. */
function upsert(conversations: Conversation[], incoming: Conversation[]): Conversation[] {
  if (incoming.length === 0) return conversations;
  const byId = new Map(incoming.map((c) => [c.id, c]));
  const next = conversations.map((c) => {
    const replacement = byId.get(c.id);
    if (!replacement) return c;
    byId.delete(c.id);
    return replacement;
  });
  return [...next, ...byId.values()];
}

const byName = (a: Folder, b: Folder) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

export const createConversationsSlice: StateCreator<AppState, [], [], ConversationsSlice> = (
  set,
) => ({
  conversations: [],
  folders: [],
  selectedConversationId: null,
  collapsedFolderIds: savedCollapsedFolders(),
  sidebarView: 'conversations',
  folderDraft: null,
  undoableArchive: null,
  sidebarPages: {},
  sidebarCounts: null,
  sidebarCountsStale: 0,
  // Everything at once (tests, and stores small enough to list whole): every list is complete.
  conversationsLoaded: (conversations) =>
    set((state) => {
      const sidebarPages: ConversationsSlice['sidebarPages'] = {
        unfiled: { next: null },
        archive: { next: null },
      };
      for (const folder of state.folders) sidebarPages[`folder:${folder.id}`] = { next: null };
      for (const c of conversations) sidebarPages[sidebarListKeyOf(c)] = { next: null };
      return { conversations, sidebarPages };
    }),
  sidebarPageLoaded: (key, conversations, next) =>
    set((state) => ({
      conversations: upsert(state.conversations, conversations),
      sidebarPages: { ...state.sidebarPages, [key]: { next } },
    })),
  sidebarCountsLoaded: (sidebarCounts) => set({ sidebarCounts }),
  sidebarPagesForgotten: (key) =>
    set((state) => {
      if (key) {
        const sidebarPages = { ...state.sidebarPages };
        delete sidebarPages[key];
        return { sidebarPages };
      }
      const open = state.threadConversationId;
      return {
        sidebarPages: {},
        conversations: state.conversations.filter((c) => c.id === open),
      };
    }),
  conversationCreated: (conversation) =>
    set((state) => ({
      conversations: upsert(state.conversations, [conversation]),
      sidebarCountsStale: state.sidebarCountsStale + 1,
      selectedConversationId: conversation.id,
      // A new conversation is never archived: show the list it appears in.
      sidebarView: 'conversations',
    })),
  conversationSelected: (conversationId) => set({ selectedConversationId: conversationId }),
  conversationTouched: (conversationId, change) =>
    set((state) => {
      const current = state.conversations.find((c) => c.id === conversationId);
      if (!current) return {};
      const updated: Conversation = {
        ...current,
        updatedAt: change.updatedAt,
        title: current.title || change.title || '',
      };
      return { conversations: upsert(state.conversations, [updated]) };
    }),
  conversationUpdated: (conversation) =>
    set((state) => {
      const known = state.conversations.find((c) => c.id === conversation.id);
      // Unknown before, or moved to another list: the counts no longer hold.
      const moved = !known || sidebarListKeyOf(known) !== sidebarListKeyOf(conversation);
      return {
        conversations: upsert(state.conversations, [conversation]),
        ...(moved ? { sidebarCountsStale: state.sidebarCountsStale + 1 } : {}),
      };
    }),
  conversationRemoved: (conversationId) =>
    set((state) => ({
      conversations: state.conversations.filter((c) => c.id !== conversationId),
      sidebarCountsStale: state.sidebarCountsStale + 1,
      selectedConversationId:
        state.selectedConversationId === conversationId ? null : state.selectedConversationId,
    })),
  foldersLoaded: (folders) => set({ folders: [...folders].sort(byName) }),
  folderSaved: (folder) =>
    set((state) => ({
      folders: [...state.folders.filter((f) => f.id !== folder.id), folder].sort(byName),
    })),
  folderDeleted: (folderId) =>
    set((state) => {
      const collapsedFolderIds = state.collapsedFolderIds.filter((id) => id !== folderId);
      saveCollapsedFolders(collapsedFolderIds);
      return {
        folders: state.folders.filter((f) => f.id !== folderId),
        conversations: state.conversations.map((c) =>
          c.folderId === folderId ? { ...c, folderId: null } : c,
        ),
        collapsedFolderIds,
        sidebarCountsStale: state.sidebarCountsStale + 1,
      };
    }),
  folderToggled: (folderId) =>
    set((state) => {
      const collapsedFolderIds = state.collapsedFolderIds.includes(folderId)
        ? state.collapsedFolderIds.filter((id) => id !== folderId)
        : [...state.collapsedFolderIds, folderId];
      saveCollapsedFolders(collapsedFolderIds);
      return { collapsedFolderIds };
    }),
  sidebarViewChosen: (sidebarView) => set({ sidebarView }),
  folderDraftStarted: (moveConversationId) => set({ folderDraft: { moveConversationId } }),
  folderDraftEnded: () => set({ folderDraft: null }),
  archiveUndoOffered: (undoableArchive) => set({ undoableArchive }),
});

/** The conversation open in the thread, from the sidebar list. */
export function selectOpenConversation(state: {
  conversations: Conversation[];
  threadConversationId: string | null;
}): Conversation | undefined {
  return state.conversations.find((c) => c.id === state.threadConversationId);
}
