import { request, type ActionContext, type Request } from './actionContext';

/** Export, import, backups, the trash and remote images: one contract call each. */
export interface DataActions {
  exportJson: Request<'export.json'>;
  exportConversationMarkdown: Request<'export.markdown'>;
  importJson: Request<'import.json'>;
  listBackups: Request<'backups.list'>;
  createBackup: Request<'backups.create'>;
  restoreBackup: Request<'backups.restore'>;
  listTrash: Request<'trash.list'>;
  emptyTrash: Request<'trash.empty'>;
  fetchRemoteImage: Request<'images.fetch'>;
}

export function createDataActions(context: ActionContext): DataActions {
  return {
    exportJson: request(context, 'export.json'),
    exportConversationMarkdown: request(context, 'export.markdown'),
    importJson: request(context, 'import.json'),
    listBackups: request(context, 'backups.list'),
    createBackup: request(context, 'backups.create'),
    restoreBackup: request(context, 'backups.restore'),
    listTrash: request(context, 'trash.list'),
    emptyTrash: request(context, 'trash.empty'),
    fetchRemoteImage: request(context, 'images.fetch'),
  };
}
