import { CoreError } from '../coreError';
import type { HandlerTable } from '../ipc/dispatcher';
import type { CoreContext } from './coreContext';

type LocalMethods =
  | 'local.status'
  | 'local.download'
  | 'local.pauseDownload'
  | 'local.cancelDownload'
  | 'local.delete';

/** Local models: the catalogue, downloads, the files on disk. */
export function localHandlers(ctx: CoreContext): Pick<HandlerTable, LocalMethods> {
  const local = () => {
    if (!ctx.local) {
      throw new CoreError('MODEL_LOAD', 'Local models are not available in this build.');
    }
    return ctx.local;
  };
  return {
    'local.status': () => local().status(),
    'local.download': ({ catalogueId }) => {
      local().download(catalogueId);
      return {};
    },
    'local.pauseDownload': ({ catalogueId }) => {
      local().pause(catalogueId);
      return {};
    },
    'local.cancelDownload': async ({ catalogueId }) => {
      await local().cancel(catalogueId);
      return {};
    },
    'local.delete': async ({ fileName }) => {
      await local().remove(fileName);
      return {};
    },
  };
}
