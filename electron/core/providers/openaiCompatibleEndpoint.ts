/**
 * One OpenAI-compatible endpoint as Causerie talks to it: its saved configuration, the request
 * headers, and the errors any call to it maps to (an HTTP status, an unreachable server). Shared
 * by the chat stream (openaiCompatible.ts) and the model list (openaiCompatibleModels.ts).
 */
import { errorDetail, httpStatusError, ProviderError, redact } from './providerError';
import { parseRetryAfter } from './retry';

/** One configured endpoint, as the user saved it or a preset filled it in. */
export interface OpenAiCompatibleConfig {
  /** Stable id; keys are stored under it and {@link ModelInfo.provider} carries it. */
  id: string;
  /** As the user knows it: "Ollama", "My vLLM box". */
  name: string;
  /** `http://127.0.0.1:11434`; a trailing `/v1` or `/` is accepted and removed. */
  baseUrl: string;
  /** Most local servers need none. */
  apiKey?: string;
}

/** `fetch` itself; tests may pass a wrapper. */
export type FetchFn = typeof fetch;

/** Drops trailing slashes and a trailing `/v1`, so both spellings users paste work. */
export function normalizeBaseUrl(baseUrl: string): string {
  return baseUrl.trim().replace(/\/+$/u, '').replace(/\/v1$/u, '');
}

export function apiKeyOf(
  config: OpenAiCompatibleConfig,
  getApiKey?: () => string | null,
): string | null {
  return getApiKey?.() || config.apiKey || null;
}

export function headersFor(apiKey: string | null, accept: string): Record<string, string> {
  return {
    accept,
    ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
  };
}

export async function httpFailure(
  response: Response,
  config: OpenAiCompatibleConfig,
  apiKey: string | null,
): Promise<ProviderError> {
  const body = await response.text().catch(() => '');
  return httpStatusError({
    providerName: config.name,
    status: response.status,
    detail: redact(errorDetail(body), apiKey),
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
    authHint: `Check the API key saved for ${config.name}.`,
  });
}

/** What a failed call is judged by: the endpoint, its key, and the two signals that can end it. */
export interface FailureContext {
  config: OpenAiCompatibleConfig;
  apiKey: string | null;
  userSignal: AbortSignal;
  /** Aborted on the idle timeout (streaming) or the overall timeout (listing). */
  idle: AbortSignal;
}

export function unreachable(config: OpenAiCompatibleConfig, cause: unknown): ProviderError {
  return new ProviderError(
    'NETWORK',
    `Could not reach ${config.name} at ${normalizeBaseUrl(config.baseUrl)}. Is the server running?`,
    { retryClass: 'transient', cause },
  );
}
