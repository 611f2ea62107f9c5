import type { AnyEvent, MethodName } from '../../shared/contract';

/** How the renderer reaches the main side: Electron IPC through the preload, or a WebSocket. */
export interface Transport {
  /** Resolves with the untrusted Result envelope; rejects only if the transport itself failed. */
  invoke(method: MethodName, input: unknown): Promise<unknown>;
  onEvent(listener: (event: AnyEvent) => void): () => void;
  /** Connection state for transports that can drop (the WebSocket). */
  onStatus?(listener: (status: TransportStatus) => void): () => void;
}

/**
 * Whether the transport can currently carry calls. `unauthorized`: the browser host refused this
 * page's token (or it has none); reconnecting cannot help, only the address with the token can.
 */
export type TransportStatus = 'connecting' | 'open' | 'closed' | 'unauthorized';
