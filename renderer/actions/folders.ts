import { request, type ActionContext, type Request } from './actionContext';

/** Folders and the archive, one contract call each (the sidebar adds the store events). */
export interface FolderActions {
  addFolder: Request<'folders.create'>;
  renameFolder: Request<'folders.rename'>;
  deleteFolder: Request<'folders.delete'>;
  moveToFolder: Request<'conversations.moveToFolder'>;
  setArchived: Request<'conversations.setArchived'>;
}

export function createFolderActions(context: ActionContext): FolderActions {
  return {
    addFolder: request(context, 'folders.create'),
    renameFolder: request(context, 'folders.rename'),
    deleteFolder: request(context, 'folders.delete'),
    moveToFolder: request(context, 'conversations.moveToFolder'),
    setArchived: request(context, 'conversations.setArchived'),
  };
}
