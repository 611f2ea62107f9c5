import { useMemo } from 'react';
import type { Folder } from '../../../shared/domain';
import { useAppActions, type AppActions } from '../../actions/appActions';
import { COMPOSER_INPUT_ID } from '../../ui/elementIds';
import { downloadText } from '../../lib/download';
import { useAppStore } from '../../stores/useAppStore';

type AppStore = Pick<typeof useAppStore, 'getState'>;

/** What the sidebar does with folders and the archive: one contract call, then store events. */
export interface SidebarActions {
  /** Creates a folder and, when asked, files a conversation in it. Null when refused. */
  createFolder(name: string, moveConversationId: string | null): Promise<Folder | null>;
  renameFolder(folderId: string, name: string): Promise<void>;
  /** Deletes a folder; the store keeps its conversations, outside any folder. */
  deleteFolder(folderId: string): Promise<void>;
  exportFolder(folderId: string): Promise<void>;
  moveToFolder(conversationId: string, folderId: string | null): Promise<void>;
  setArchived(conversationId: string, archived: boolean): Promise<void>;
  /** Starts a conversation already filed in the folder, and puts the caret in the message box. */
  newChatInFolder(folderId: string): Promise<void>;
}

export function createSidebarActions(
  actions: Pick<
    AppActions,
    | 'addFolder'
    | 'renameFolder'
    | 'deleteFolder'
    | 'exportJson'
    | 'moveToFolder'
    | 'setArchived'
    | 'newChat'
    | 'loadSidebarPage'
  >,
  store: AppStore,
): SidebarActions {
  const state = () => store.getState();
  const sidebar: SidebarActions = {
    async createFolder(name, moveConversationId) {
      const folder = await actions.addFolder({ name });
      if (!folder) return null;
      state().folderSaved(folder);
      if (moveConversationId) await sidebar.moveToFolder(moveConversationId, folder.id);
      return folder;
    },
    async renameFolder(folderId, name) {
      const folder = await actions.renameFolder({ folderId, name });
      if (folder) state().folderSaved(folder);
    },
    async deleteFolder(folderId) {
      if (!(await actions.deleteFolder({ folderId }))) return;
      state().folderDeleted(folderId);
      // Its conversations joined the unfiled list anywhere in it, also above the part loaded so
      // far (where a later page would never bring them): load that list again from the top.
      state().sidebarPagesForgotten('unfiled');
      await actions.loadSidebarPage('unfiled');
    },
    async exportFolder(folderId) {
      const exported = await actions.exportJson({ folderId });
      if (exported) downloadText(exported.fileName, exported.json, 'application/json');
    },
    async moveToFolder(conversationId, folderId) {
      const moved = await actions.moveToFolder({ conversationId, folderId });
      if (!moved) return;
      state().conversationUpdated(moved);
      // Show where it went.
      if (folderId && state().collapsedFolderIds.includes(folderId))
        state().folderToggled(folderId);
    },
    async setArchived(conversationId, archived) {
      const updated = await actions.setArchived({ conversationId, archived });
      if (!updated) return;
      state().conversationUpdated(updated);
      state().archiveUndoOffered(archived ? updated : null);
    },
    async newChatInFolder(folderId) {
      await actions.newChat();
      const conversationId = state().threadConversationId;
      if (conversationId) await sidebar.moveToFolder(conversationId, folderId);
      document.getElementById(COMPOSER_INPUT_ID)?.focus();
    },
  };
  return sidebar;
}

/** The sidebar actions of the running app. */
export function useSidebarActions(): SidebarActions {
  const actions = useAppActions();
  return useMemo(() => createSidebarActions(actions, useAppStore), [actions]);
}
