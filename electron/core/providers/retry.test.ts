import { describe, expect, it } from 'vitest';
import { CoreError } from '../coreError';
import { ProviderError } from './providerError';
import {
  backoffDelay,
  DEFAULT_RETRY_POLICY,
  formatWait,
  parseRetryAfter,
  streamWithRetries,
  type RetryEvent,
  type Sleep,
} from './retry';

const transient = () =>
  new ProviderError('PROVIDER_ERROR', 'server error', { retryClass: 'transient', status: 503 });
const rateLimit = (retryAfterMs: number | null) =>
  new ProviderError('RATE_LIMITED', 'slow down', {
    retryClass: 'rate-limit',
    status: 429,
    retryAfterMs,
  });

/** A start function that fails with `failures` in order, then yields `['a', 'b']`. */
function scripted(failures: (Error | { afterYield: Error })[]) {
  let calls = 0;
  const start = async function* (): AsyncGenerator<string> {
    const failure = failures[calls];
    calls += 1;
    if (failure instanceof Error) throw failure;
    if (failure) {
      yield 'partial';
      throw failure.afterYield;
    }
    yield 'a';
    yield 'b';
  };
  return { start, calls: () => calls };
}

async function run(
  start: () => AsyncIterable<string>,
  options: { signal?: AbortSignal; random?: number; sleep?: Sleep } = {},
) {
  const waits: number[] = [];
  const events: RetryEvent[] = [];
  const out: string[] = [];
  const sleep: Sleep =
    options.sleep ??
    (async (ms) => {
      waits.push(ms);
    });
  try {
    for await (const chunk of streamWithRetries(
      start,
      { signal: options.signal ?? new AbortController().signal, providerName: 'Test' },
      { sleep, random: () => options.random ?? 0.5, onRetry: (event) => events.push(event) },
    )) {
      out.push(chunk);
    }
    return { out, waits, events, error: undefined };
  } catch (error) {
    return { out, waits, events, error: error as CoreError };
  }
}

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('2')).toBe(2_000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    expect(parseRetryAfter('1.5')).toBe(1_500);
  });
  it('reads an HTTP date relative to now, never negative', () => {
    const now = Date.parse('Wed, 21 Oct 2025 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2025 07:28:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 21 Oct 2025 07:27:00 GMT', now)).toBe(0);
  });
  it('returns null when absent or unreadable', () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('')).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
    expect(parseRetryAfter('-3')).toBeNull();
  });
});

describe('backoffDelay', () => {
  it('is full jitter under a doubling cap', () => {
    const p = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 500, maxDelayMs: 1_500 };
    expect(backoffDelay(0, p, () => 0.999)).toBe(499);
    expect(backoffDelay(1, p, () => 0.5)).toBe(500);
    expect(backoffDelay(5, p, () => 0.5)).toBe(750);
    expect(backoffDelay(3, p, () => 0)).toBe(0);
  });
});

describe('formatWait', () => {
  it('speaks in seconds, then minutes', () => {
    expect(formatWait(400)).toBe('1 s');
    expect(formatWait(45_000)).toBe('45 s');
    expect(formatWait(120_000)).toBe('2 min');
  });
});

describe('streamWithRetries', () => {
  it('passes a clean stream through with no wait', async () => {
    const script = scripted([]);
    const result = await run(script.start);
    expect(result.out).toEqual(['a', 'b']);
    expect(script.calls()).toBe(1);
    expect(result.waits).toEqual([]);
  });

  it('retries transient failures twice with jittered exponential backoff', async () => {
    const script = scripted([transient(), transient()]);
    const result = await run(script.start, { random: 0.5 });
    expect(result.out).toEqual(['a', 'b']);
    expect(script.calls()).toBe(3);
    expect(result.waits).toEqual([250, 500]);
    expect(result.events.map((e) => [e.retry, e.reason])).toEqual([
      [1, 'transient'],
      [2, 'transient'],
    ]);
  });

  it('gives up after the second retry with the last error', async () => {
    const script = scripted([transient(), transient(), transient()]);
    const result = await run(script.start, { random: 1 });
    expect(script.calls()).toBe(3);
    expect(result.waits).toEqual([500, 1_000]);
    expect(result.error?.appError.code).toBe('PROVIDER_ERROR');
  });

  it('never retries once a chunk was yielded', async () => {
    const script = scripted([{ afterYield: transient() }]);
    const result = await run(script.start);
    expect(result.out).toEqual(['partial']);
    expect(script.calls()).toBe(1);
    expect(result.waits).toEqual([]);
    expect(result.error?.appError.code).toBe('PROVIDER_ERROR');
  });

  it('does not retry final errors or plain CoreErrors', async () => {
    const auth = new ProviderError('PROVIDER_AUTH', 'no', { status: 401 });
    const script = scripted([auth]);
    expect((await run(script.start)).error).toBe(auth);
    expect(script.calls()).toBe(1);
    const config = new CoreError('NOT_CONFIGURED', 'no key');
    const second = scripted([config]);
    expect((await run(second.start)).error).toBe(config);
    expect(second.calls()).toBe(1);
  });

  it('waits what Retry-After says, up to 60 s in total', async () => {
    const script = scripted([rateLimit(20_000), rateLimit(30_000)]);
    const result = await run(script.start);
    expect(result.out).toEqual(['a', 'b']);
    expect(result.waits).toEqual([20_000, 30_000]);
    expect(result.events.every((e) => e.reason === 'rate-limit')).toBe(true);
  });

  it('stops with a clear message when the next wait would pass 60 s', async () => {
    const script = scripted([rateLimit(40_000), rateLimit(30_000)]);
    const result = await run(script.start);
    expect(script.calls()).toBe(2);
    expect(result.waits).toEqual([40_000]);
    expect(result.error).toBeInstanceOf(ProviderError);
    expect(result.error?.appError).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
    expect(result.error?.message).toBe(
      'Test is rate-limiting requests. Causerie already waited 40 s. Try again in 30 s.',
    );
    expect((result.error as ProviderError).retryAfterMs).toBe(30_000);
  });

  it('does not wait at all when the first Retry-After is over a minute', async () => {
    const script = scripted([rateLimit(120_000)]);
    const result = await run(script.start);
    expect(result.waits).toEqual([]);
    expect(result.error?.message).toBe('Test is rate-limiting requests. Try again in 2 min.');
  });

  it('bounds 429 retries even when Retry-After is 0', async () => {
    const script = scripted(Array.from({ length: 10 }, () => rateLimit(0)));
    const result = await run(script.start);
    expect(script.calls()).toBe(DEFAULT_RETRY_POLICY.maxRateLimitRetries + 1);
    expect(result.error?.appError.code).toBe('RATE_LIMITED');
  });

  it('backs off a 429 without Retry-After like a transient failure', async () => {
    const script = scripted([rateLimit(null), rateLimit(null), rateLimit(null)]);
    const result = await run(script.start, { random: 0.5 });
    expect(script.calls()).toBe(3);
    expect(result.waits).toEqual([250, 500]);
    expect(result.error?.message).toMatch(/still rate-limiting.*waited 1 s/);
  });

  it('ends at once with CANCELLED when aborted during a wait', async () => {
    const controller = new AbortController();
    const script = scripted([rateLimit(30_000)]);
    const started = Date.now();
    const pending = run(script.start, {
      signal: controller.signal,
      sleep: (ms, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
        }),
    });
    setTimeout(() => controller.abort(), 20);
    const result = await pending;
    expect(result.error?.appError.code).toBe('CANCELLED');
    expect(script.calls()).toBe(1);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('the default sleep rejects on abort', async () => {
    const { abortableSleep } = await import('./retry');
    const controller = new AbortController();
    const pending = abortableSleep(10_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toBeDefined();
    await expect(abortableSleep(1, new AbortController().signal)).resolves.toBeUndefined();
  });
});
