import type { PreloadBridge } from '../../shared/contract';
import type { Transport } from './transport';

/** The Electron transport: the preload's one object, nothing else. */
export function createElectronTransport(bridge: PreloadBridge): Transport {
  return {
    invoke: (method, input) => bridge.invoke(method, input),
    onEvent: (listener) => bridge.onEvent(listener),
  };
}
