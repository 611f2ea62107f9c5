import type { MethodInput, MethodName, MethodOutput } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import type { ApiClient } from '../lib/api';
import type { createAppStore } from '../stores/useAppStore';

export type AppStore = ReturnType<typeof createAppStore>;
export type AppState = ReturnType<AppStore['getState']>;

/** What every domain's actions share: the contract client and the store. */
export interface ActionContext {
  api: ApiClient;
  state: () => AppState;
  /** Follows store changes (for actions that report a piece of state to the back end). */
  subscribe: (listener: (now: AppState, before: AppState) => void) => () => void;
  /** Unwraps a Result, showing its error; null when it failed. */
  shown<T>(result: Result<T>): T | null;
}

/** One contract call whose error is shown to the user; resolves to the value or null. */
export type Request<M extends MethodName> = (
  input: MethodInput<M>,
) => Promise<MethodOutput<M> | null>;

/** A named action that is one contract call, its error shown the way every action shows it. */
export function request<M extends MethodName>(
  { api, shown }: ActionContext,
  method: M,
): Request<M> {
  return async (input) => shown(await api.call(method, input));
}

export function createActionContext(api: ApiClient, store: AppStore): ActionContext {
  const state = () => store.getState();
  return {
    api,
    state,
    subscribe: (listener) => store.subscribe(listener),
    shown(result) {
      if (result.ok) return result.value;
      state().errorReported(result.error);
      return null;
    },
  };
}
