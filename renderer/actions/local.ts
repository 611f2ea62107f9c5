import { request, type ActionContext, type Request } from './actionContext';

/** Local models: their status, downloads and files. */
export interface LocalModelActions {
  localStatus: Request<'local.status'>;
  downloadLocalModel: Request<'local.download'>;
  pauseLocalDownload: Request<'local.pauseDownload'>;
  cancelLocalDownload: Request<'local.cancelDownload'>;
  deleteLocalModel: Request<'local.delete'>;
}

export function createLocalModelActions(context: ActionContext): LocalModelActions {
  return {
    localStatus: request(context, 'local.status'),
    downloadLocalModel: request(context, 'local.download'),
    pauseLocalDownload: request(context, 'local.pauseDownload'),
    cancelLocalDownload: request(context, 'local.cancelDownload'),
    deleteLocalModel: request(context, 'local.delete'),
  };
}
