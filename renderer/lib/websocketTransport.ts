import { isEventName, type AnyEvent, type MethodName } from '../../shared/contract';
import type { Transport, TransportStatus } from './transport';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export interface WebSocketTransportOptions {
  /** Subprotocols to offer; the browser host takes its token as one of them. */
  protocols?: string[];
  /**
   * Asked when a connection fails before it opened (a browser WebSocket does not say why): true
   * when the host refused the token, so the transport stops retrying and says so.
   */
  isUnauthorized?: () => Promise<boolean>;
}

/**
 * The browser host's transport: one WebSocket to /ws, reconnected with backoff when it drops.
 * Calls made while disconnected wait for the connection; calls in flight when it drops fail.
 */
export function createWebSocketTransport(
  url: string,
  options: WebSocketTransportOptions = {},
): Transport {
  const pending = new Map<number, Pending>();
  const eventListeners = new Set<(event: AnyEvent) => void>();
  const statusListeners = new Set<(status: TransportStatus) => void>();
  let nextId = 1;
  let socket: WebSocket;
  let retryMs = 250;
  let status: TransportStatus = 'connecting';
  // Calls made while not open, across however many reconnects it takes.
  let waiting: Pending[] = [];

  const setStatus = (next: TransportStatus) => {
    status = next;
    for (const listener of statusListeners) listener(next);
    if (next === 'open' || next === 'unauthorized') {
      const settled = waiting;
      waiting = [];
      for (const call of settled) {
        if (next === 'open') call.resolve(undefined);
        else call.reject(new Error('the browser host refused this page’s token'));
      }
    }
  };
  const whenOpen = (): Promise<unknown> => {
    if (status === 'open') return Promise.resolve();
    if (status === 'unauthorized') {
      return Promise.reject(new Error('the browser host refused this page’s token'));
    }
    return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
  };

  function connect(): void {
    setStatus('connecting');
    socket = new WebSocket(url, options.protocols ?? []);
    let wasOpen = false;
    socket.addEventListener('open', () => {
      wasOpen = true;
      retryMs = 250;
      setStatus('open');
    });
    socket.addEventListener('message', (message: MessageEvent<string>) => {
      let frame: unknown;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      if (!frame || typeof frame !== 'object') return;
      const data = frame as { type?: unknown; id?: unknown; result?: unknown; event?: unknown };
      if (data.type === 'result' && typeof data.id === 'number') {
        pending.get(data.id)?.resolve(data.result);
        pending.delete(data.id);
      } else if (data.type === 'event') {
        const event = data.event as AnyEvent | undefined;
        if (event && isEventName(event.name)) {
          for (const listener of eventListeners) listener(event);
        }
      }
    });
    socket.addEventListener('close', () => {
      for (const call of pending.values()) call.reject(new Error('connection closed'));
      pending.clear();
      void (async () => {
        if (!wasOpen && options.isUnauthorized && (await options.isUnauthorized())) {
          setStatus('unauthorized');
          return;
        }
        setStatus('closed');
        setTimeout(connect, retryMs);
        retryMs = Math.min(retryMs * 2, 5_000);
      })();
    });
  }
  connect();

  return {
    async invoke(method: MethodName, input: unknown) {
      await whenOpen();
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, input }));
      });
    },
    onEvent(listener) {
      eventListeners.add(listener);
      return () => eventListeners.delete(listener);
    },
    onStatus(listener) {
      statusListeners.add(listener);
      // A listener added late still learns a state reached before it came (a refused token).
      listener(status);
      return () => statusListeners.delete(listener);
    },
  };
}

/** The WebSocket address of the host that served this page (the token goes as a subprotocol). */
export function hostSocketUrl(location: Pick<Location, 'protocol' | 'host'>): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws`;
}
