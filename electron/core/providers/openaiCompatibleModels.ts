/** The model list of an OpenAI-compatible endpoint (or Ollama's own list when it has no /v1/models). */
import { CoreError } from '../coreError';
import type { ModelInfo } from './chatProvider';
import {
  apiKeyOf,
  headersFor,
  httpFailure,
  normalizeBaseUrl,
  unreachable,
  type FailureContext,
  type FetchFn,
  type OpenAiCompatibleConfig,
} from './openaiCompatibleEndpoint';
import { ProviderError } from './providerError';

export interface ListModelsOptions {
  getApiKey?: () => string | null;
  signal?: AbortSignal;
  /** 10 s unless set. */
  timeoutMs?: number;
  fetch?: FetchFn;
}

/**
 * The endpoint's models: `GET {base}/v1/models`, or Ollama's `GET {base}/api/tags` when the first
 * is a 404. Context lengths are read where servers report them (vLLM's `max_model_len`, others'
 * `context_length`); capabilities are unknown (null). Throws `CoreError` like `streamChat`.
 */
export async function listOpenAiCompatibleModels(
  config: OpenAiCompatibleConfig,
  options: ListModelsOptions = {},
): Promise<ModelInfo[]> {
  const fetchFn = options.fetch ?? fetch;
  const apiKey = apiKeyOf(config, options.getApiKey);
  const base = normalizeBaseUrl(config.baseUrl);
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const userSignal = options.signal ?? new AbortController().signal;
  const signal = AbortSignal.any([userSignal, timeout]);
  const context: FailureContext = { config, apiKey, userSignal, idle: timeout };
  const get = async (path: string): Promise<Response> => {
    try {
      return await fetchFn(`${base}${path}`, {
        headers: headersFor(apiKey, 'application/json'),
        signal,
      });
    } catch (error) {
      throw listFailure(error, context);
    }
  };

  let response = await get('/v1/models');
  let ollama = false;
  if (response.status === 404) {
    await response.body?.cancel();
    response = await get('/api/tags');
    ollama = true;
    if (response.status === 404) {
      await response.body?.cancel();
      throw new ProviderError(
        'PROVIDER_ERROR',
        `${config.name} has no model list at /v1/models or /api/tags. Is ${base} an OpenAI-compatible server?`,
        { status: 404 },
      );
    }
  }
  if (!response.ok) throw await httpFailure(response, config, apiKey);
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch (error) {
    if (userSignal.aborted || timeout.aborted) throw listFailure(error, context);
    throw new ProviderError('PROVIDER_ERROR', `${config.name} did not answer with a model list.`, {
      cause: error,
    });
  }
  return ollama ? fromOllamaTags(parsed, config.id) : fromOpenAiList(parsed, config);
}

function listFailure(error: unknown, context: FailureContext): CoreError {
  if (context.userSignal.aborted) return new CoreError('CANCELLED', 'Stopped.', { cause: error });
  if (context.idle.aborted) {
    return new ProviderError('TIMEOUT', `${context.config.name} did not answer in time.`, {
      retryable: true,
      cause: error,
    });
  }
  return unreachable(context.config, error);
}

function fromOpenAiList(parsed: unknown, config: OpenAiCompatibleConfig): ModelInfo[] {
  const data = (parsed as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) {
    throw new ProviderError('PROVIDER_ERROR', `${config.name} did not answer with a model list.`);
  }
  const models: ModelInfo[] = [];
  for (const entry of data as Record<string, unknown>[]) {
    if (!entry || typeof entry.id !== 'string' || entry.id === '') continue;
    const contextLength = [
      entry.max_model_len,
      entry.context_length,
      entry.max_context_length,
    ].find((value): value is number => typeof value === 'number' && value > 0);
    models.push({
      provider: config.id,
      id: entry.id,
      displayName: entry.id,
      contextLength: contextLength ?? null,
      capabilities: null,
    });
  }
  return models;
}

function fromOllamaTags(parsed: unknown, provider: string): ModelInfo[] {
  const list = (parsed as { models?: unknown } | null)?.models;
  if (!Array.isArray(list)) return [];
  const models: ModelInfo[] = [];
  for (const entry of list as Record<string, unknown>[]) {
    const id = typeof entry?.model === 'string' ? entry.model : entry?.name;
    if (typeof id !== 'string' || id === '') continue;
    models.push({ provider, id, displayName: id, contextLength: null, capabilities: null });
  }
  return models;
}
