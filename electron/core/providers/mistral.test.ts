import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  startFakeMistral,
  toChunks,
  type FakeMistralServer,
} from '../../../e2e/fixtures/fakeMistralServer';
import { CoreError } from '../coreError';
import type { ProviderChunk } from './chatProvider';
import { createMistralProvider } from './mistral';

const KEY = 'test-key-abcdefghijklmnop';
let fake: FakeMistralServer;

beforeAll(async () => {
  fake = await startFakeMistral({ apiKey: KEY });
});
afterAll(() => fake.close());

function provider(key: string | null = KEY, idleTimeoutMs?: number) {
  return createMistralProvider({
    getApiKey: () => key,
    baseUrl: fake.url,
    ...(idleTimeoutMs ? { idleTimeoutMs } : {}),
  });
}

async function collect(
  stream: AsyncIterable<ProviderChunk>,
  onText?: (text: string) => void,
): Promise<{ text: string; chunks: ProviderChunk[]; error?: CoreError }> {
  const chunks: ProviderChunk[] = [];
  let text = '';
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      if (chunk.type === 'text') {
        text += chunk.text;
        onText?.(text);
      }
    }
  } catch (error) {
    if (!(error instanceof CoreError)) throw error;
    return { text, chunks, error };
  }
  return { text, chunks };
}

const messages = [{ role: 'user' as const, content: 'Bonjour' }];

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
    const request = fake.requests[before];
    expect(request?.body.model).toBe('mistral-small-latest');
    expect(request?.body.stream).toBe(true);
    expect(request?.body.messages).toEqual(messages);
  });

  it('stops when aborted and keeps what arrived', async () => {
    fake.queue.push({
      kind: 'stream',
      chunks: toChunks('one two three four five six seven eight'),
      delayMs: 50,
    });
    const controller = new AbortController();
    const result = await collect(
      provider().streamChat({ model: 'm', messages, signal: controller.signal }),
      (text) => {
        if (text.includes('two')) controller.abort();
      },
    );
    expect(result.text).toBe('one two');
    expect(result.error?.appError.code ?? 'CANCELLED').toBe('CANCELLED');
  });

  it('reports a rejected key as PROVIDER_AUTH without echoing the key', async () => {
    const wrongKey = 'wrong-key-0123456789';
    const result = await collect(
      provider(wrongKey).streamChat({ model: 'm', messages, signal: new AbortController().signal }),
    );
    expect(result.error?.appError).toMatchObject({ code: 'PROVIDER_AUTH', retryable: false });
    expect(result.error?.message).toMatch(/API key rejected/);
    expect(JSON.stringify(result.error?.appError)).not.toContain(wrongKey);
  });

  it('says how to add a key when none is set, without any request', async () => {
    const before = fake.requests.length;
    const result = await collect(
      provider(null).streamChat({ model: 'm', messages, signal: new AbortController().signal }),
    );
    expect(result.error?.appError.code).toBe('NOT_CONFIGURED');
    expect(result.error?.message).toMatch(/MISTRAL_API_KEY/);
    expect(fake.requests.length).toBe(before);
  });

  it('turns a dropped connection into a NETWORK error and keeps the partial text', async () => {
    fake.queue.push({ kind: 'disconnect', chunks: toChunks('Partial answer before'), delayMs: 5 });
    const result = await collect(
      provider().streamChat({ model: 'm', messages, signal: new AbortController().signal }),
    );
    expect(result.text).toBe('Partial answer before');
    expect(result.error?.appError).toMatchObject({ code: 'NETWORK', retryable: true });
  });

  it('turns a malformed chunk into a clear error and keeps the partial text', async () => {
    fake.queue.push({ kind: 'malformed', chunks: toChunks('Some text') });
    const result = await collect(
      provider().streamChat({ model: 'm', messages, signal: new AbortController().signal }),
    );
    expect(result.text).toBe('Some text');
    expect(result.error).toBeInstanceOf(CoreError);
    expect(result.error?.message).toMatch(/partial reply was kept/);
  });

  it.each([
    [402, 'PAYMENT_REQUIRED'],
    [429, 'RATE_LIMITED'],
    [500, 'PROVIDER_ERROR'],
  ] as const)('maps HTTP %i to %s', async (status, code) => {
    fake.queue.push(apiError(status, 'nope'));
    const result = await collect(
      provider().streamChat({ model: 'm', messages, signal: new AbortController().signal }),
    );
    expect(result.error?.appError.code).toBe(code);
  });

  it('shows the API message for a 422', async () => {
    fake.queue.push(apiError(422, 'Invalid model: nonexistent'));
    const result = await collect(
      provider().streamChat({
        model: 'nonexistent',
        messages,
        signal: new AbortController().signal,
      }),
    );
    expect(result.error?.appError.code).toBe('VALIDATION');
    expect(result.error?.message).toContain('Invalid model: nonexistent');
  });

  it('gives up with TIMEOUT when the server goes silent', async () => {
    fake.queue.push({ kind: 'stream', chunks: ['late'], firstChunkDelayMs: 2_000 });
    const result = await collect(
      provider(KEY, 300).streamChat({ model: 'm', messages, signal: new AbortController().signal }),
    );
    expect(result.error?.appError.code).toBe('TIMEOUT');
  });
});
