import {
  HOST_TOKEN_HEADER,
  HOST_WS_PROTOCOL,
  HOST_WS_TOKEN_PREFIX,
} from '../../shared/hostProtocol';

/** Where this tab keeps the token, so a reload works once the address bar no longer shows it. */
const STORAGE_KEY = 'causerie.hostToken';

/** The parts of `window` the token needs; tests pass their own. */
export interface TokenWindow {
  location: Pick<Location, 'href'>;
  history: Pick<History, 'replaceState' | 'state'>;
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
}

let current: string | null = null;

/**
 * Takes the browser host's token from `?token=` (the address `npm run serve` prints), keeps it in
 * this tab's sessionStorage and removes it from the address bar, so it is not left in the history,
 * a bookmark or a shared screen. Without `?token=`, the tab's stored token is used (a reload). The
 * token stays in the page: it is sent only as a header or WebSocket subprotocol, never a cookie.
 */
export function adoptHostToken(win: TokenWindow): string | null {
  const url = new URL(win.location.href);
  const fromQuery = url.searchParams.get('token');
  if (fromQuery) {
    current = fromQuery;
    try {
      win.sessionStorage.setItem(STORAGE_KEY, fromQuery);
    } catch {
      // Storage refused (a locked-down profile): the token lives in memory until the tab reloads.
    }
    url.searchParams.delete('token');
    win.history.replaceState(win.history.state, '', `${url.pathname}${url.search}${url.hash}`);
    return current;
  }
  try {
    current = win.sessionStorage.getItem(STORAGE_KEY);
  } catch {
    current = null;
  }
  return current;
}

/** The headers that authenticate an HTTP request to the browser host. */
export function hostAuthHeaders(): Record<string, string> {
  return current ? { [HOST_TOKEN_HEADER]: current } : {};
}

/** The WebSocket subprotocols the page offers: the protocol, and the token as a second one. */
export function hostSocketProtocols(): string[] {
  return current ? [HOST_WS_PROTOCOL, `${HOST_WS_TOKEN_PREFIX}${current}`] : [HOST_WS_PROTOCOL];
}
