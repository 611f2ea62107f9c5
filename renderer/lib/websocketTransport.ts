import { isEventName, type AnyEvent, type MethodName } from '../../shared/contract';
import type { Transport, TransportStatus } from './transport';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/**
 * The browser host's transport: one WebSocket to /ws, reconnected with backoff when it drops.
 * Calls made while disconnected wait for the connection; calls in flight when it drops fail.
 */
export function createWebSocketTransport(url: string): Transport {
  const pending = new Map<number, Pending>();
  const eventListeners = new Set<(event: AnyEvent) => void>();
  const statusListeners = new Set<(status: TransportStatus) => void>();
  let nextId = 1;
  let socket: WebSocket;
  let opened: Promise<void>;
  let retryMs = 250;

  const setStatus = (status: TransportStatus) => {
    for (const listener of statusListeners) listener(status);
  };

  function connect(): void {
    setStatus('connecting');
    socket = new WebSocket(url);
    opened = new Promise((resolve) => {
      socket.addEventListener('open', () => {
        retryMs = 250;
        setStatus('open');
        resolve();
      });
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
      setStatus('closed');
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5_000);
    });
  }
  connect();

  return {
    async invoke(method: MethodName, input: unknown) {
      await opened;
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
      return () => statusListeners.delete(listener);
    },
  };
}

/** The WebSocket address of the host that served this page, carrying its token. */
export function hostSocketUrl(location: Location): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/ws?token=${encodeURIComponent(token)}`;
}
