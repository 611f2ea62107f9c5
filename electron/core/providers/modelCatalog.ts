/**
 * Each provider's model list, cached with a time to live and refreshed stale-while-revalidate: a
 * caller gets the last list at once while a fresh one is fetched in the background. Each provider
 * also carries why it is unavailable, so the UI can say "no API key" rather than show nothing.
 */
import { CoreError, toAppError } from '../coreError';
import type { ModelInfo } from './chatProvider';

/** Why a provider's models cannot be used right now. */
export type UnavailableReason = 'no-api-key' | 'unreachable' | 'key-rejected' | 'error';

/** Whether a provider answered its last model-list request. */
export type Availability =
  { available: true } | { available: false; reason: UnavailableReason; message: string };

/** One provider's cached list. */
export interface CatalogEntry {
  provider: string;
  /** The last list that arrived; kept through later failures so choices do not vanish. */
  models: ModelInfo[];
  /** Null until the first request has finished. */
  availability: Availability | null;
  /** When the last request finished (success or failure); null before that. */
  checkedAt: number | null;
  /** A request is under way. */
  refreshing: boolean;
}

/** Fetches one provider's models; throws a `CoreError` saying why it could not. */
export type ModelLister = (signal: AbortSignal) => Promise<ModelInfo[]>;

export interface ModelCatalogOptions {
  /** Listers by provider key (`'mistral'`, an endpoint id). More can be added later. */
  sources?: Record<string, ModelLister>;
  /** How long a successful list is fresh; 10 minutes. */
  ttlMs?: number;
  /** How long a failure stands before the next call tries again; 30 s. */
  failureTtlMs?: number;
  now?: () => number;
  /** Called after every finished request, e.g. to push a `models.changed` event to the UI. */
  onChange?: (entry: CatalogEntry) => void;
}

export interface ModelCatalogCache {
  /**
   * The provider's entry: fetched and awaited the first time; afterwards returned at once, with
   * a background refresh when it is stale. Throws NOT_FOUND for an unknown provider.
   */
  get(provider: string): Promise<CatalogEntry>;
  /** {@link get} for every provider. */
  getAll(): Promise<CatalogEntry[]>;
  /** What is cached, without fetching. */
  peek(provider: string): CatalogEntry | null;
  /** Fetches now (joining a request already under way) and resolves with the new entry. */
  refresh(provider: string): Promise<CatalogEntry>;
  /** Adds or replaces a provider's lister (a new key or URL); its cache starts over. */
  setSource(provider: string, lister: ModelLister): void;
  removeSource(provider: string): void;
  /** Resolves when no request is under way; for tests and shutdown. */
  whenIdle(): Promise<void>;
  /** Aborts requests under way; later calls still work. */
  close(): void;
}

/** Maps a lister's failure to the reason the UI shows. */
export function unavailableBecause(error: unknown): Availability {
  const appError = toAppError(error);
  const reason: UnavailableReason =
    appError.code === 'NOT_CONFIGURED'
      ? 'no-api-key'
      : appError.code === 'PROVIDER_AUTH'
        ? 'key-rejected'
        : appError.code === 'NETWORK' || appError.code === 'TIMEOUT'
          ? 'unreachable'
          : 'error';
  return { available: false, reason, message: appError.message };
}

interface State {
  lister: ModelLister;
  models: ModelInfo[];
  availability: Availability | null;
  checkedAt: number | null;
  inFlight: Promise<CatalogEntry> | null;
  controller: AbortController | null;
}

/** Creates the cache; nothing is fetched until a provider is asked for. */
export function createModelCatalogCache(options: ModelCatalogOptions = {}): ModelCatalogCache {
  const ttlMs = options.ttlMs ?? 10 * 60_000;
  const failureTtlMs = options.failureTtlMs ?? 30_000;
  const now = options.now ?? Date.now;
  const states = new Map<string, State>();
  for (const [provider, lister] of Object.entries(options.sources ?? {})) {
    states.set(provider, emptyState(lister));
  }

  function stateOf(provider: string): State {
    const state = states.get(provider);
    if (!state) throw new CoreError('NOT_FOUND', `No model source named "${provider}".`);
    return state;
  }

  function snapshot(provider: string, state: State): CatalogEntry {
    return {
      provider,
      models: state.models,
      availability: state.availability,
      checkedAt: state.checkedAt,
      refreshing: state.inFlight !== null,
    };
  }

  function isStale(state: State): boolean {
    if (state.checkedAt === null) return true;
    const ttl = state.availability?.available ? ttlMs : failureTtlMs;
    return now() - state.checkedAt >= ttl;
  }

  function refresh(provider: string): Promise<CatalogEntry> {
    const state = stateOf(provider);
    if (state.inFlight) return state.inFlight;
    const controller = new AbortController();
    state.controller = controller;
    const run = async (): Promise<CatalogEntry> => {
      try {
        const models = await state.lister(controller.signal);
        state.models = models;
        state.availability = { available: true };
      } catch (error) {
        state.availability = unavailableBecause(error);
      }
      state.checkedAt = now();
      state.inFlight = null;
      state.controller = null;
      const entry = snapshot(provider, state);
      // A replaced or removed source's late answer is not news.
      if (states.get(provider) === state) options.onChange?.(entry);
      return entry;
    };
    state.inFlight = run();
    return state.inFlight;
  }

  async function get(provider: string): Promise<CatalogEntry> {
    const state = stateOf(provider);
    if (state.checkedAt === null) return refresh(provider);
    if (isStale(state)) void refresh(provider);
    return snapshot(provider, state);
  }

  return {
    get,
    getAll: () => Promise.all([...states.keys()].map((provider) => get(provider))),
    peek(provider) {
      const state = states.get(provider);
      return state ? snapshot(provider, state) : null;
    },
    refresh,
    setSource(provider, lister) {
      states.get(provider)?.controller?.abort();
      states.set(provider, emptyState(lister));
    },
    removeSource(provider) {
      states.get(provider)?.controller?.abort();
      states.delete(provider);
    },
    async whenIdle() {
      for (;;) {
        const pending = [...states.values()].flatMap((state) => state.inFlight ?? []);
        if (pending.length === 0) return;
        await Promise.all(pending);
      }
    },
    close() {
      for (const state of states.values()) state.controller?.abort();
    },
  };
}

function emptyState(lister: ModelLister): State {
  return {
    lister,
    models: [],
    availability: null,
    checkedAt: null,
    inFlight: null,
    controller: null,
  };
}
