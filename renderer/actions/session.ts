import type { ReplyLanguageCode } from '../../shared/languages';
import type { Transport } from '../lib/transport';
import { request, type ActionContext, type Request } from './actionContext';

/** Settings, the model catalogue and the connection to the back end. */
export interface SessionActions {
  loadCatalog(refresh?: boolean): Promise<void>;
  refreshSettings(): Promise<void>;
  setDefaults: Request<'settings.setDefaults'>;
  setModelTitles: Request<'settings.setModelTitles'>;
  setMistralKey: Request<'settings.setMistralKey'>;
  testMistralKey: Request<'settings.testMistralKey'>;
  listEndpoints: Request<'endpoints.list'>;
  addEndpoint: Request<'endpoints.add'>;
  testEndpoint: Request<'endpoints.test'>;
  removeEndpoint: Request<'endpoints.remove'>;
  /** Tells the back end the interface language now, and again whenever it changes; returns the unsubscribe. */
  followUiLanguage(): () => void;
}

export function createSessionActions(context: ActionContext): SessionActions {
  const { api, state } = context;
  return {
    setDefaults: request(context, 'settings.setDefaults'),
    setModelTitles: request(context, 'settings.setModelTitles'),
    setMistralKey: request(context, 'settings.setMistralKey'),
    testMistralKey: request(context, 'settings.testMistralKey'),
    listEndpoints: request(context, 'endpoints.list'),
    addEndpoint: request(context, 'endpoints.add'),
    testEndpoint: request(context, 'endpoints.test'),
    removeEndpoint: request(context, 'endpoints.remove'),

    followUiLanguage() {
      // Auto falls back on the interface language when a message is too short to tell (the back
      // end cannot see it otherwise: it lives in this page). Failures are harmless: Auto then asks
      // for no rule.
      const report = (uiLanguage: ReplyLanguageCode) =>
        void api.call('settings.setUiLanguage', { uiLanguage }).catch(() => undefined);
      report(state().uiLanguage);
      return context.subscribe((now, before) => {
        if (now.uiLanguage !== before.uiLanguage) report(now.uiLanguage);
      });
    },

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
