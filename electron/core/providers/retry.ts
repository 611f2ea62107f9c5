/**
 * The one retry policy for every provider's streamed request. It only ever retries before the
 * first chunk was yielded: once text reached the caller, a retry would repeat it.
 */
import { setTimeout as sleepFor } from 'node:timers/promises';
import { CoreError } from '../coreError';
import { ProviderError } from './providerError';

/** Waits `ms`, rejecting at once when `signal` aborts. Tests inject one that records the waits. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface RetryPolicy {
  /** Retries after a 5xx, a network failure, or a 429 without Retry-After. */
  maxRetries: number;
  /** The first backoff cap; each retry doubles it, up to `maxDelayMs` (full jitter below it). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Total time spent waiting for Retry-After before giving up with RATE_LIMITED. */
  maxRateLimitWaitMs: number;
  /** A bound on 429 retries even when the server keeps saying "retry after 0". */
  maxRateLimitRetries: number;
}

/** At most 2 retries with 0.5 s, 1 s backoff caps; up to 60 s of Retry-After waiting. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 2,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRateLimitWaitMs: 60_000,
  maxRateLimitRetries: 5,
};

/** One retry about to happen, for logs and tests. */
export interface RetryEvent {
  /** 1 for the first retry. */
  retry: number;
  reason: 'rate-limit' | 'transient';
  waitMs: number;
  error: ProviderError;
}

export interface RetryOptions {
  policy?: Partial<RetryPolicy>;
  sleep?: Sleep;
  /** In [0, 1); the jitter source. */
  random?: () => number;
  onRetry?: (event: RetryEvent) => void;
}

/** A `setTimeout` that rejects (with an AbortError) as soon as `signal` aborts. */
export const abortableSleep: Sleep = (ms, signal) => sleepFor(ms, undefined, { signal });

/**
 * Reads a `Retry-After` header: delay-seconds or an HTTP date. Returns milliseconds from `nowMs`
 * (never negative), or null when absent or unreadable.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  nowMs: number = Date.now(),
): number | null {
  const text = value?.trim();
  if (!text) return null;
  if (/^\d+(\.\d+)?$/u.test(text)) return Math.round(Number(text) * 1000);
  // An HTTP date always names its month; this keeps Date.parse's leniency ("-3" is a year) out.
  if (!/[a-z]{3}/iu.test(text)) return null;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return null;
  return Math.max(0, date - nowMs);
}

/** Full-jitter exponential backoff: uniform in [0, min(max, base · 2^retryIndex)). */
export function backoffDelay(
  retryIndex: number,
  policy: RetryPolicy,
  random: () => number,
): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retryIndex);
  return Math.floor(random() * cap);
}

/** "45 s" or "3 min": how long to tell a person to wait. */
export function formatWait(ms: number): string {
  if (ms < 120_000) return `${Math.max(1, Math.ceil(ms / 1000))} s`;
  return `${Math.ceil(ms / 60_000)} min`;
}

/**
 * Runs `start` and passes its chunks through; when it fails before yielding anything with a
 * retryable {@link ProviderError}, waits and calls `start` again. Aborting `signal` during a wait
 * ends at once with CANCELLED. Any other error, or any error after the first chunk, is rethrown.
 */
export async function* streamWithRetries<T>(
  start: (attempt: number) => AsyncIterable<T>,
  context: { signal: AbortSignal; providerName: string },
  options: RetryOptions = {},
): AsyncGenerator<T> {
  const policy = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const sleep = options.sleep ?? abortableSleep;
  const random = options.random ?? Math.random;
  const { signal, providerName } = context;
  let transientRetries = 0;
  let rateLimitRetries = 0;
  let rateLimitWaitedMs = 0;

  for (let attempt = 0; ; attempt += 1) {
    if (signal.aborted) throw cancelled();
    let yielded = false;
    try {
      for await (const chunk of start(attempt)) {
        yielded = true;
        yield chunk;
      }
      return;
    } catch (error) {
      if (yielded || signal.aborted || !(error instanceof ProviderError)) throw error;
      let waitMs: number;
      let reason: RetryEvent['reason'];
      if (error.retryClass === 'rate-limit' && error.retryAfterMs !== null) {
        const total = rateLimitWaitedMs + error.retryAfterMs;
        if (rateLimitRetries >= policy.maxRateLimitRetries || total > policy.maxRateLimitWaitMs) {
          throw rateLimitExhausted(providerName, error, rateLimitWaitedMs);
        }
        waitMs = error.retryAfterMs;
        reason = 'rate-limit';
        rateLimitRetries += 1;
        rateLimitWaitedMs = total;
      } else if (error.retryClass === 'rate-limit' || error.retryClass === 'transient') {
        if (transientRetries >= policy.maxRetries) {
          throw error.retryClass === 'rate-limit'
            ? rateLimitExhausted(providerName, error, rateLimitWaitedMs)
            : error;
        }
        waitMs = backoffDelay(transientRetries, policy, random);
        reason = error.retryClass === 'rate-limit' ? 'rate-limit' : 'transient';
        transientRetries += 1;
        if (reason === 'rate-limit') rateLimitWaitedMs += waitMs;
      } else {
        throw error;
      }
      options.onRetry?.({ retry: attempt + 1, reason, waitMs, error });
      try {
        await sleep(waitMs, signal);
      } catch (sleepError) {
        throw cancelled(sleepError);
      }
      if (signal.aborted) throw cancelled();
    }
  }
}

function cancelled(cause?: unknown): CoreError {
  return new CoreError('CANCELLED', 'Stopped.', { cause });
}

function rateLimitExhausted(
  providerName: string,
  error: ProviderError,
  waitedMs: number,
): ProviderError {
  const waited = waitedMs > 0 ? ` Causerie already waited ${formatWait(waitedMs)}.` : '';
  const message =
    error.retryAfterMs !== null
      ? `${providerName} is rate-limiting requests.${waited} Try again in ${formatWait(error.retryAfterMs)}.`
      : `${providerName} is still rate-limiting requests.${waited} Wait a minute and try again.`;
  return new ProviderError('RATE_LIMITED', message, {
    status: error.status,
    retryAfterMs: error.retryAfterMs,
    cause: error,
  });
}
