import {
  adoptHostToken,
  hostAuthHeaders,
  hostSocketProtocols,
  type TokenWindow,
} from './hostToken';
import type { Transport } from './transport';
import { createWebSocketTransport, hostSocketUrl } from './websocketTransport';

/**
 * The transport of a page served by the browser host: adopts the token from the address (and
 * removes it from there), then connects with it. A refused token shows as `unauthorized`.
 */
export function createHostTransport(
  win: TokenWindow & { location: Pick<Location, 'href' | 'protocol' | 'host'> },
): Transport {
  adoptHostToken(win);
  return createWebSocketTransport(hostSocketUrl(win.location), {
    protocols: hostSocketProtocols(),
    async isUnauthorized() {
      try {
        const response = await fetch('/ws', { headers: hostAuthHeaders(), cache: 'no-store' });
        return response.status === 401;
      } catch {
        return false;
      }
    },
  });
}
