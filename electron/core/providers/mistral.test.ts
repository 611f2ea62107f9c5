import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  rateLimited,
  startFakeMistral,
  toChunks,
  type FakeMistralServer,
} from '../../../testing/fixtures/fakeMistralServer';
import type { ProviderError } from './providerError';
import type { RetryOptions } from './retry';
import { isChatModel } from './chatProvider';
import { createMistralProvider, listMistralModels } from './mistral';
import { collect, instantRetries } from '../../../testing/providers';

const KEY = 'test-key-abcdefghijklmnop';
let fake: FakeMistralServer;

beforeAll(async () => {
  fake = await startFakeMistral({ apiKey: KEY });
});
afterAll(() => fake.close());

function provider(key: string | null = KEY, idleTimeoutMs?: number, retry?: RetryOptions) {
  return createMistralProvider({
    getApiKey: () => key,
    baseUrl: fake.url,
    retry: retry ?? instantRetries(),
    ...(idleTimeoutMs ? { idleTimeoutMs } : {}),
  });
}

const messages = [{ role: 'user' as const, content: 'Bonjour' }];
const request = (signal = new AbortController().signal) => ({ model: 'm', messages, signal });

/** Port of a server that was started and closed, so connecting is refused. */
async function closedPort(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('Mistral provider against a fake La Plateforme', () => {
  it('streams text and usage, sending the model, history and bearer key', async () => {
    fake.queue.push({ kind: 'stream', chunks: toChunks('Bonjour ! Comment allez-vous ?') });
    const before = fake.requests.length;
    const result = await collect(
      provider().streamChat({
        model: 'mistral-small-latest',
        messages,
        signal: new AbortController().signal,
      }),
    );
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Bonjour ! Comment allez-vous ?');
    expect(result.chunks.at(-1)).toEqual({
      type: 'usage',
      usage: { promptTokens: 10, completionTokens: 5, totalTokens: 15 },
    });
    const sent = fake.requests[before];
    expect(sent?.body.model).toBe('mistral-small-latest');
    expect(sent?.body.stream).toBe(true);
    expect(sent?.body.messages).toEqual(messages);
    expect(sent?.body).not.toHaveProperty('temperature');
  });

  it('continues a partial reply as a prefix message and yields only the new text', async () => {
    const before = fake.requests.length;
    const partial = { role: 'assistant' as const, content: 'Echo 1: Bon', prefix: true as const };
    const result = await collect(
      provider().streamChat({
        model: 'mistral-small-latest',
        messages: [...messages, partial],
        signal: new AbortController().signal,
      }),
    );
    expect(result.error).toBeUndefined();
    // The fake answers like La Plateforme: the prefix again, then the rest ("Echo 1: Bonjour").
    expect(result.text).toBe('jour');
    expect(fake.requests).toHaveLength(before + 1);
    expect(fake.requests[before]?.body.messages?.at(-1)).toEqual({
      role: 'assistant',
      content: 'Echo 1: Bon',
      prefix: true,
    });
  });

  it('a retried continuation does not repeat the echoed prefix', async () => {
    fake.queue.push(apiError(500, 'Internal server error'), {
      kind: 'stream',
      chunks: ['Once upon', ' a time', ', the end.'],
    });
    const result = await collect(
      provider().streamChat({
        model: 'mistral-small-latest',
        messages: [...messages, { role: 'assistant', content: 'Once upon a time', prefix: true }],
        signal: new AbortController().signal,
      }),
    );
    expect(result.error).toBeUndefined();
    expect(result.text).toBe(', the end.');
  });

  it('passes generation parameters under the API names', async () => {
    fake.queue.push({ kind: 'stream', chunks: ['ok'] });
    const before = fake.requests.length;
    await collect(
      provider().streamChat({
        ...request(),
        params: { temperature: 0.2, topP: 0.9, maxTokens: 64, randomSeed: 7, safePrompt: true },
      }),
    );
    expect(fake.requests[before]?.body).toMatchObject({
      temperature: 0.2,
      top_p: 0.9,
      max_tokens: 64,
      random_seed: 7,
      safe_prompt: true,
    });
  });

  it('stops when aborted and keeps what arrived', async () => {
    fake.queue.push({
      kind: 'stream',
      chunks: toChunks('one two three four five six seven eight'),
      delayMs: 50,
    });
    const controller = new AbortController();
    const result = await collect(provider().streamChat(request(controller.signal)), (text) => {
      if (text.includes('two')) controller.abort();
    });
    expect(result.text).toBe('one two');
    expect(result.error?.appError.code ?? 'CANCELLED').toBe('CANCELLED');
  });

  it('reports a rejected key as PROVIDER_AUTH without echoing the key, and does not retry', async () => {
    const wrongKey = 'wrong-key-0123456789';
    const retry = instantRetries();
    const result = await collect(provider(wrongKey, undefined, retry).streamChat(request()));
    expect(result.error?.appError).toMatchObject({ code: 'PROVIDER_AUTH', retryable: false });
    expect(result.error?.message).toMatch(/API key rejected/);
    expect(JSON.stringify(result.error?.appError)).not.toContain(wrongKey);
    expect(retry.waits).toEqual([]);
  });

  it('says how to add a key when none is set, without any request', async () => {
    const before = fake.requests.length;
    const result = await collect(provider(null).streamChat(request()));
    expect(result.error?.appError.code).toBe('NOT_CONFIGURED');
    expect(result.error?.message).toMatch(/MISTRAL_API_KEY/);
    expect(fake.requests.length).toBe(before);
  });

  it('turns a dropped connection into a NETWORK error, keeps the text and does not retry', async () => {
    fake.queue.push({ kind: 'disconnect', chunks: toChunks('Partial answer before'), delayMs: 5 });
    const before = fake.requests.length;
    const result = await collect(provider().streamChat(request()));
    expect(result.text).toBe('Partial answer before');
    expect(result.error?.appError).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(fake.requests.length - before).toBe(1);
  });

  it('turns a malformed chunk into a clear error and keeps the partial text', async () => {
    fake.queue.push({ kind: 'malformed', chunks: toChunks('Some text') });
    const result = await collect(provider().streamChat(request()));
    expect(result.text).toBe('Some text');
    expect(result.error?.appError.code).toBe('PROVIDER_ERROR');
    expect(result.error?.message).toMatch(/partial reply was kept/);
  });

  it.each([
    [401, 'PROVIDER_AUTH'],
    [402, 'PAYMENT_REQUIRED'],
    [422, 'VALIDATION'],
  ] as const)('maps HTTP %i to %s with one request', async (status, code) => {
    fake.queue.push(apiError(status, 'nope'));
    const before = fake.requests.length;
    const result = await collect(provider().streamChat(request()));
    expect(result.error?.appError.code).toBe(code);
    expect(fake.requests.length - before).toBe(1);
  });

  it('shows the API message for a 422', async () => {
    fake.queue.push(apiError(422, 'Invalid model: nonexistent'));
    const result = await collect(provider().streamChat({ ...request(), model: 'nonexistent' }));
    expect(result.error?.appError.code).toBe('VALIDATION');
    expect(result.error?.message).toContain('Invalid model: nonexistent');
  });

  it('retries a 500 and then succeeds', async () => {
    fake.queue.push(apiError(500, 'boom'), { kind: 'stream', chunks: toChunks('Second try') });
    const retry = instantRetries(0.5);
    const before = fake.requests.length;
    const result = await collect(provider(KEY, undefined, retry).streamChat(request()));
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Second try');
    expect(fake.requests.length - before).toBe(2);
    expect(retry.waits).toEqual([250]);
  });

  it('gives up on 5xx after two retries with growing waits', async () => {
    fake.queue.push(apiError(500, 'a'), apiError(502, 'b'), apiError(503, 'c'));
    const retry = instantRetries(1);
    const before = fake.requests.length;
    const result = await collect(provider(KEY, undefined, retry).streamChat(request()));
    expect(result.error?.appError).toMatchObject({ code: 'PROVIDER_ERROR', retryable: true });
    expect(result.error?.message).toContain('HTTP 503');
    expect(fake.requests.length - before).toBe(3);
    expect(retry.waits).toEqual([500, 1_000]);
  });

  it('retries a connection dropped before the first token', async () => {
    fake.queue.push(
      { kind: 'hangup' },
      { kind: 'disconnect', chunks: [] },
      {
        kind: 'stream',
        chunks: ['Fine'],
      },
    );
    const retry = instantRetries();
    const result = await collect(provider(KEY, undefined, retry).streamChat(request()));
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Fine');
    expect(retry.waits).toHaveLength(2);
  });

  it('honours Retry-After in seconds on a 429', async () => {
    fake.queue.push(rateLimited('3'), { kind: 'stream', chunks: ['After the wait'] });
    const retry = instantRetries();
    const result = await collect(provider(KEY, undefined, retry).streamChat(request()));
    expect(result.text).toBe('After the wait');
    expect(retry.waits).toEqual([3_000]);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 10_000).toUTCString();
    fake.queue.push(rateLimited(at), { kind: 'stream', chunks: ['ok'] });
    const retry = instantRetries();
    await collect(provider(KEY, undefined, retry).streamChat(request()));
    expect(retry.waits).toHaveLength(1);
    expect(retry.waits[0]).toBeGreaterThan(7_000);
    expect(retry.waits[0]).toBeLessThanOrEqual(10_000);
  });

  it('stops at once with the wait in the message when Retry-After passes 60 s', async () => {
    fake.queue.push(rateLimited('90'));
    const retry = instantRetries();
    const result = await collect(provider(KEY, undefined, retry).streamChat(request()));
    expect(retry.waits).toEqual([]);
    expect(result.error?.appError).toMatchObject({ code: 'RATE_LIMITED', retryable: true });
    expect(result.error?.message).toBe('Mistral is rate-limiting requests. Try again in 90 s.');
    expect((result.error as ProviderError).retryAfterMs).toBe(90_000);
  });

  it('stops after 60 s of waiting in total', async () => {
    fake.queue.push(rateLimited('30'), rateLimited('25'), rateLimited('10'));
    const retry = instantRetries();
    const before = fake.requests.length;
    const result = await collect(provider(KEY, undefined, retry).streamChat(request()));
    expect(retry.waits).toEqual([30_000, 25_000]);
    expect(fake.requests.length - before).toBe(3);
    expect(result.error?.message).toMatch(/already waited 55 s\. Try again in 10 s/);
  });

  it('cancels during a Retry-After wait without another request', async () => {
    fake.queue.push(rateLimited('30'));
    const controller = new AbortController();
    const before = fake.requests.length;
    const started = Date.now();
    setTimeout(() => controller.abort(), 100);
    // The real sleep: the abort must cut the 30 s wait short.
    const result = await collect(
      provider(KEY, undefined, {}).streamChat(request(controller.signal)),
    );
    expect(result.error?.appError.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(fake.requests.length - before).toBe(1);
  });

  it('ignores tool-call deltas and finishes the reply', async () => {
    fake.queue.push({
      kind: 'toolCalls',
      chunks: toChunks('Let me check.'),
      toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
    });
    const result = await collect(provider().streamChat(request()));
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Let me check.');
    expect(result.chunks.at(-1)?.type).toBe('usage');
  });

  it('gives up with TIMEOUT when the server goes silent, without retrying', async () => {
    fake.queue.push({ kind: 'stream', chunks: ['late'], firstChunkDelayMs: 2_000 });
    const retry = instantRetries();
    const result = await collect(provider(KEY, 300, retry).streamChat(request()));
    expect(result.error?.appError.code).toBe('TIMEOUT');
    expect(retry.waits).toEqual([]);
  });

  it('reports an unreachable server as NETWORK after two retries', async () => {
    const retry = instantRetries();
    const result = await collect(
      createMistralProvider({
        getApiKey: () => KEY,
        baseUrl: await closedPort(),
        retry,
      }).streamChat(request()),
    );
    expect(result.error?.appError.code).toBe('NETWORK');
    expect(retry.waits).toHaveLength(2);
  });
});

describe('listMistralModels', () => {
  it('lists models with capabilities, context length and deprecation', async () => {
    const models = await listMistralModels({ getApiKey: () => KEY, baseUrl: fake.url });
    expect(models.map((m) => m.id)).toEqual([
      'mistral-small-latest',
      'mistral-large-latest',
      'open-mistral-7b',
      'mistral-embed',
    ]);
    expect(models[0]).toMatchObject({
      provider: 'mistral',
      displayName: 'mistral-small-latest',
      contextLength: 131_072,
      capabilities: ['chat', 'vision', 'functionCalling'],
    });
    expect(models[0]?.deprecated).toBeUndefined();
    expect(models[2]?.deprecated).toEqual({
      date: '2025-03-30T12:00:00.000Z',
      replacement: 'ministral-8b-latest',
    });
    expect(models[2]?.contextLength).toBe(32_768);
    expect(models.filter(isChatModel).map((m) => m.id)).not.toContain('mistral-embed');
  });

  it('says NOT_CONFIGURED without a key and asks nothing', async () => {
    const before = fake.modelListCalls;
    await expect(
      listMistralModels({ getApiKey: () => null, baseUrl: fake.url }),
    ).rejects.toMatchObject({ appError: { code: 'NOT_CONFIGURED' } });
    expect(fake.modelListCalls).toBe(before);
  });

  it('maps a rejected key, a server error and an unreachable server', async () => {
    await expect(
      listMistralModels({ getApiKey: () => 'wrong-key-0123456789', baseUrl: fake.url }),
    ).rejects.toMatchObject({ appError: { code: 'PROVIDER_AUTH' } });
    fake.modelsQueue.push(apiError(503, 'maintenance'));
    await expect(
      listMistralModels({ getApiKey: () => KEY, baseUrl: fake.url }),
    ).rejects.toMatchObject({ appError: { code: 'PROVIDER_ERROR' } });
    await expect(
      listMistralModels({ getApiKey: () => KEY, baseUrl: await closedPort() }),
    ).rejects.toMatchObject({ appError: { code: 'NETWORK' } });
  });

  it('times out', async () => {
    fake.modelsQueue.push({ kind: 'stream', chunks: ['x'], firstChunkDelayMs: 2_000 });
    await expect(
      listMistralModels({ getApiKey: () => KEY, baseUrl: fake.url, timeoutMs: 200 }),
    ).rejects.toMatchObject({ appError: { code: 'TIMEOUT' } });
  });
});
