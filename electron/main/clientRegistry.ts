import { IPC_EVENT_CHANNEL, type AnyEvent } from '../../shared/contract';
import type { Core } from '../core/createCore';

/** The part of a `webContents` that receives events. */
export interface EventSink {
  readonly id: number;
  isDestroyed(): boolean;
  send(channel: string, event: AnyEvent): void;
}

/** One core client per loaded page, keyed by `webContents` id. */
export interface ClientRegistry {
  /** The client id of the page now in `sink`, connecting a new client on first use. */
  clientFor(sink: EventSink): string;
  /** The page in this `webContents` is gone (closed or reloaded): cancel what it started. */
  forget(webContentsId: number): void;
}

/**
 * Connects core clients lazily, so a reloaded page gets a fresh client on its first call while the
 * old one, forgotten when the navigation started, has its streams cancelled.
 */
export function createClientRegistry(
  core: Pick<Core, 'connectClient' | 'disconnectClient'>,
): ClientRegistry {
  const clients = new Map<number, string>();
  return {
    clientFor(sink) {
      const existing = clients.get(sink.id);
      if (existing) return existing;
      const clientId = core.connectClient((event) => {
        if (!sink.isDestroyed()) sink.send(IPC_EVENT_CHANNEL, event);
      });
      clients.set(sink.id, clientId);
      return clientId;
    },
    forget(webContentsId) {
      const clientId = clients.get(webContentsId);
      if (clientId === undefined) return;
      clients.delete(webContentsId);
      core.disconnectClient(clientId);
    },
  };
}
