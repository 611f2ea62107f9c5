import type { Transport } from '../lib/transport';
import type { ActionContext } from './actionContext';

/** Settings, the model catalogue and the connection to the back end. */
export interface SessionActions {
  loadCatalog(refresh?: boolean): Promise<void>;
  refreshSettings(): Promise<void>;
}

export function createSessionActions({ api, state }: ActionContext): SessionActions {
  return {
    async refreshSettings() {
      const settings = await api.call('settings.get', {});
      if (settings.ok) state().settingsLoaded(settings.value);
    },

    async loadCatalog(refresh = false) {
      const result = await api.call('models.list', refresh ? { refresh: true } : {});
      if (result.ok) state().catalogLoaded(result.value.groups);
    },
  };
}

/** Follows the connection's status; `onReconnect` runs when it opens again after closing. */
export function watchConnection(
  { state }: ActionContext,
  transport: Transport,
  onReconnect: () => void,
): (() => void) | undefined {
  return transport.onStatus?.((status) => {
    const wasClosed = state().connection === 'closed';
    state().connectionChanged(status);
    if (status === 'open' && wasClosed) onReconnect();
  });
}
