import type { StateCreator } from 'zustand';
import type { Conversation, Folder } from '../../shared/domain';
import type { AppState } from './useAppStore';

/**
 * The sidebar: every live conversation (archived ones included; the sidebar shows those in their
 * own section), the folders, which conversation is open, and how the user arranged the sections.
 */
export interface ConversationsSlice {
  conversations: Conversation[];
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
  conversationsLoaded: (conversations) => set({ conversations }),
  conversationCreated: (conversation) =>
    set((state) => ({
      conversations: [conversation, ...state.conversations.filter((c) => c.id !== conversation.id)],
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
      return {
        conversations: [updated, ...state.conversations.filter((c) => c.id !== conversationId)],
      };
    }),
  conversationUpdated: (conversation) =>
    set((state) => ({
      conversations: state.conversations.some((c) => c.id === conversation.id)
        ? state.conversations.map((c) => (c.id === conversation.id ? conversation : c))
        : [conversation, ...state.conversations],
    })),
  conversationRemoved: (conversationId) =>
    set((state) => ({
      conversations: state.conversations.filter((c) => c.id !== conversationId),
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
