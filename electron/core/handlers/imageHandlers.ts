import { fetchRemoteImage } from '../images/fetchRemoteImage';
import type { HandlerTable } from '../ipc/dispatcher';
import type { CoreContext } from './coreContext';

/** Remote images the user asked to see, fetched here because the page may not fetch them. */
export function imageHandlers(ctx: CoreContext): Pick<HandlerTable, 'images.fetch'> {
  return {
    'images.fetch': async ({ url }) => {
      // The host only, never the path: it may carry conversation text.
      ctx.logger.info('image fetched on request', { host: safeHost(url) });
      return fetchRemoteImage(url, { testHosts: ctx.imageTestHosts });
    },
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid)';
  }
}
