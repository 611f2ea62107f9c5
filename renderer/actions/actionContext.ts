import type { Result } from '../../shared/errors';
import type { ApiClient } from '../lib/api';
import type { createAppStore } from '../stores/useAppStore';

export type AppStore = ReturnType<typeof createAppStore>;
export type AppState = ReturnType<AppStore['getState']>;

/** What every domain's actions share: the contract client and the store. */
export interface ActionContext {
  api: ApiClient;
  state: () => AppState;
  /** Unwraps a Result, showing its error; null when it failed. */
  shown<T>(result: Result<T>): T | null;
}

export function createActionContext(api: ApiClient, store: AppStore): ActionContext {
  const state = () => store.getState();
  return {
    api,
    state,
    shown(result) {
      if (result.ok) return result.value;
      state().errorReported(result.error);
      return null;
    },
  };
}
