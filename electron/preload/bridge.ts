import type { IpcRenderer, IpcRendererEvent } from 'electron';
import {
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  isEventName,
  isMethodName,
  type AnyEvent,
  type PreloadBridge,
} from '../../shared/contract';
import { appError, fail } from '../../shared/errors';

/** The part of `ipcRenderer` the bridge uses; tests pass a fake. */
export type BridgeIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

const MAX_NAME_IN_MESSAGE = 80;

/**
 * Builds the one object the page sees. It closes over `ipc` and hands out only plain values and
 * functions, so the page can reach neither `ipcRenderer` nor the `IpcRendererEvent` (whose
 * `sender` is the `ipcRenderer` itself).
 */
export function createPreloadBridge(ipc: BridgeIpc): PreloadBridge {
  return {
    async invoke(requested, input) {
      // The page is untrusted whatever the type says: a name outside the contract never reaches
      // the main process.
      const method: unknown = requested;
      if (!isMethodName(method)) {
        const shown =
          typeof method === 'string' ? method.slice(0, MAX_NAME_IN_MESSAGE) : typeof method;
        return fail(appError('VALIDATION', `Unknown method "${shown}".`, false));
      }
      try {
        return (await ipc.invoke(IPC_INVOKE_CHANNEL, method, input)) as unknown;
      } catch {
        // Only reached when the input cannot be cloned or the main side is gone; errors stay data.
        return fail(appError('INTERNAL', `The call to ${method} could not be delivered.`, false));
      }
    },
    onEvent(listener) {
      const forward = (_event: IpcRendererEvent, payload: unknown) => {
        if (!isContractEvent(payload)) return;
        try {
          listener(payload);
        } catch (error) {
          // Rethrowing would stop the emitter before the page's other listeners see the event.
          console.error('Causerie event listener failed:', error);
        }
      };
      ipc.on(IPC_EVENT_CHANNEL, forward);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipc.removeListener(IPC_EVENT_CHANNEL, forward);
      };
    },
  };
}

function isContractEvent(value: unknown): value is AnyEvent {
  return (
    typeof value === 'object' &&
    value !== null &&
    isEventName((value as { name?: unknown }).name) &&
    'payload' in value
  );
}
