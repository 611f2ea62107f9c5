import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  openAiError,
  startFakeOpenAi,
  toChunks,
  type FakeOpenAiServer,
} from '../../../testing/fixtures/fakeOpenAiServer';
import {
  createOpenAiCompatibleProvider,
  listOpenAiCompatibleModels,
  normalizeBaseUrl,
  type OpenAiCompatibleConfig,
} from './openaiCompatible';
import { checkEndpoint, configFromPreset, ENDPOINT_PRESETS } from './presets';
import type { RetryOptions } from './retry';
import { collect, instantRetries } from '../../../testing/providers';

const KEY = 'sk-local-0123456789abcdef';
let server: FakeOpenAiServer;
let ollama: FakeOpenAiServer;

beforeAll(async () => {
  server = await startFakeOpenAi({ apiKey: KEY, models: ['qwen2.5-7b-instruct'] });
  ollama = await startFakeOpenAi({ mode: 'ollama', models: ['llama3.2:3b', 'mistral:7b'] });
});
afterAll(async () => {
  await server.close();
  await ollama.close();
});

const config = (): OpenAiCompatibleConfig => ({
  id: 'vllm-box',
  name: 'vLLM',
  baseUrl: server.url,
});

function provider(options: { retry?: RetryOptions; idleTimeoutMs?: number; key?: string } = {}) {
  return createOpenAiCompatibleProvider({
    config: config(),
    getApiKey: () => options.key ?? KEY,
    retry: options.retry ?? instantRetries(),
    ...(options.idleTimeoutMs ? { idleTimeoutMs: options.idleTimeoutMs } : {}),
  });
}

const messages = [{ role: 'user' as const, content: 'Salut' }];
const request = (signal = new AbortController().signal) => ({ model: 'qwen', messages, signal });

async function closedPort(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('OpenAI-compatible provider', () => {
  it('streams text and the usage chunk, asking for usage and sending OpenAI field names', async () => {
    server.queue.push({ kind: 'stream', chunks: toChunks('Bonjour, ça va ?') });
    const before = server.requests.length;
    const result = await collect(
      provider().streamChat({
        ...request(),
        params: { temperature: 0.5, topP: 0.8, maxTokens: 32, randomSeed: 3, safePrompt: true },
      }),
    );
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Bonjour, ça va ?');
    expect(result.chunks.at(-1)).toEqual({
      type: 'usage',
      usage: { promptTokens: 10, completionTokens: 4, totalTokens: 14 },
    });
    const sent = server.requests[before];
    expect(sent?.authorization).toBe(`Bearer ${KEY}`);
    expect(sent?.body).toMatchObject({
      model: 'qwen',
      stream: true,
      stream_options: { include_usage: true },
      messages,
      temperature: 0.5,
      top_p: 0.8,
      max_tokens: 32,
      seed: 3,
    });
    expect(sent?.body).not.toHaveProperty('safe_prompt');
  });

  it('continues a partial reply as a plain trailing assistant message', async () => {
    const before = server.requests.length;
    const result = await collect(
      provider().streamChat({
        model: 'qwen',
        messages: [...messages, { role: 'assistant', content: 'Echo: Sa', prefix: true }],
        signal: new AbortController().signal,
      }),
    );
    expect(result.error).toBeUndefined();
    // Like llama-server's prefill: the rest of "Echo: Salut", without the start again.
    expect(result.text).toBe('lut');
    // No `prefix` field: it is not part of OpenAI's API and strict servers refuse unknown fields.
    expect(server.requests[before]?.body.messages).toEqual([
      { role: 'user', content: 'Salut' },
      { role: 'assistant', content: 'Echo: Sa' },
    ]);
  });

  it('removes the partial text when a server repeats it before continuing', async () => {
    server.queue.push({ kind: 'stream', chunks: ['Echo: Sa', 'lut !'] });
    const result = await collect(
      provider().streamChat({
        model: 'qwen',
        messages: [...messages, { role: 'assistant', content: 'Echo: Sa', prefix: true }],
        signal: new AbortController().signal,
      }),
    );
    expect(result.text).toBe('lut !');
  });

  it('uses config.apiKey when the vault has none, and sends no header when there is none', async () => {
    ollama.queue.push({ kind: 'stream', chunks: ['hi'] });
    const before = ollama.requests.length;
    const local = createOpenAiCompatibleProvider({
      config: { id: 'ollama', name: 'Ollama', baseUrl: `${ollama.url}/v1/` },
      getApiKey: () => null,
    });
    expect((await collect(local.streamChat(request()))).text).toBe('hi');
    expect(ollama.requests[before]?.authorization).toBeUndefined();

    server.queue.push({ kind: 'stream', chunks: ['hi'] });
    const keyed = createOpenAiCompatibleProvider({ config: { ...config(), apiKey: KEY } });
    expect((await collect(keyed.streamChat(request()))).error).toBeUndefined();
  });

  it('survives tool_calls deltas split across chunks, keeping the text', async () => {
    server.queue.push({
      kind: 'toolCalls',
      chunks: toChunks('Checking.'),
      toolCalls: [{ name: 'lookup', arguments: '{"q":"Lyon"}' }],
    });
    const result = await collect(provider().streamChat(request()));
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Checking.');
  });

  it('reads streams with comments, CRLF, multi-line data and pieces cut anywhere', async () => {
    const chunk = (content: string, finish: string | null = null) =>
      JSON.stringify({
        id: 'x',
        object: 'chat.completion.chunk',
        choices: [{ index: 0, delta: { content }, finish_reason: finish }],
      });
    const stream = `: keep-alive\r\n\r\ndata: ${chunk('Hel')}\r\n\r\ndata: ${chunk('lo')}\n\ndata: {"id":"y","choices":\ndata: [{"delta":{"content":"!"},"finish_reason":"stop"}]}\n\ndata: [DONE]\n\n`;
    const parts = stream.match(/[\s\S]{1,7}/gu) ?? [];
    server.queue.push({ kind: 'raw', parts });
    const result = await collect(provider().streamChat(request()));
    expect(result.error).toBeUndefined();
    expect(result.text).toBe('Hello!');
  });

  it.each([
    [401, 'PROVIDER_AUTH', /API key rejected by vLLM/],
    [402, 'PAYMENT_REQUIRED', /Payment required/],
    [422, 'VALIDATION', /vLLM refused the request: bad param/],
    [404, 'VALIDATION', /bad param/],
  ] as const)('maps HTTP %i to %s with one request', async (status, code, message) => {
    server.queue.push(openAiError(status, 'bad param'));
    const before = server.requests.length;
    const retry = instantRetries();
    const result = await collect(provider({ retry }).streamChat(request()));
    expect(result.error?.appError.code).toBe(code);
    expect(result.error?.message).toMatch(message);
    expect(server.requests.length - before).toBe(1);
    expect(retry.waits).toEqual([]);
  });

  it('rejects a wrong key without echoing it', async () => {
    const wrong = 'sk-wrong-9876543210';
    const result = await collect(provider({ key: wrong }).streamChat(request()));
    expect(result.error?.appError.code).toBe('PROVIDER_AUTH');
    expect(JSON.stringify(result.error?.appError)).not.toContain(wrong);
  });

  it('honours Retry-After on a 429 and then streams', async () => {
    server.queue.push(openAiError(429, 'slow down', { 'retry-after': '5' }), {
      kind: 'stream',
      chunks: ['ok'],
    });
    const retry = instantRetries();
    const result = await collect(provider({ retry }).streamChat(request()));
    expect(result.text).toBe('ok');
    expect(retry.waits).toEqual([5_000]);
  });

  it('stops a 429 beyond the 60 s budget with the wait in the message', async () => {
    server.queue.push(openAiError(429, 'slow down', { 'retry-after': '600' }));
    const result = await collect(provider().streamChat(request()));
    expect(result.error?.appError.code).toBe('RATE_LIMITED');
    expect(result.error?.message).toBe('vLLM is rate-limiting requests. Try again in 10 min.');
  });

  it('retries 5xx twice then reports the server error', async () => {
    server.queue.push(
      openAiError(500, 'CUDA out of memory'),
      openAiError(500, 'CUDA out of memory'),
      openAiError(500, 'CUDA out of memory'),
    );
    const before = server.requests.length;
    const retry = instantRetries(1);
    const result = await collect(provider({ retry }).streamChat(request()));
    expect(server.requests.length - before).toBe(3);
    expect(retry.waits).toEqual([500, 1_000]);
    expect(result.error?.appError.code).toBe('PROVIDER_ERROR');
    expect(result.error?.message).toBe('vLLM had a server error (HTTP 500): CUDA out of memory');
  });

  it('retries a 500 then succeeds', async () => {
    server.queue.push(openAiError(503, 'loading'), { kind: 'stream', chunks: ['ready'] });
    const result = await collect(provider().streamChat(request()));
    expect(result.text).toBe('ready');
  });

  it('retries a hang-up before the response', async () => {
    server.queue.push({ kind: 'hangup' }, { kind: 'stream', chunks: ['back'] });
    const retry = instantRetries();
    const result = await collect(provider({ retry }).streamChat(request()));
    expect(result.text).toBe('back');
    expect(retry.waits).toHaveLength(1);
  });

  it('turns a disconnect mid-stream into NETWORK, keeping text, without retry', async () => {
    server.queue.push({ kind: 'disconnect', chunks: toChunks('Half a reply'), delayMs: 5 });
    const before = server.requests.length;
    const result = await collect(provider().streamChat(request()));
    expect(result.text).toBe('Half a reply');
    expect(result.error?.appError).toMatchObject({ code: 'NETWORK', retryable: true });
    expect(server.requests.length - before).toBe(1);
  });

  it('treats a clean end with no finish_reason and no [DONE] as a lost connection', async () => {
    server.queue.push({ kind: 'truncated', chunks: toChunks('Cut short') });
    const result = await collect(provider().streamChat(request()));
    expect(result.text).toBe('Cut short');
    expect(result.error?.appError.code).toBe('NETWORK');
  });

  it('turns a malformed chunk into a clear error and keeps the text', async () => {
    server.queue.push({ kind: 'malformed', chunks: toChunks('Some text') });
    const result = await collect(provider().streamChat(request()));
    expect(result.text).toBe('Some text');
    expect(result.error?.appError.code).toBe('PROVIDER_ERROR');
    expect(result.error?.message).toBe(
      'vLLM sent a malformed stream chunk. Any partial reply was kept.',
    );
  });

  it('surfaces an error event sent after the 200', async () => {
    server.queue.push({
      kind: 'raw',
      parts: ['data: {"error":{"message":"model crashed"}}\n\n'],
    });
    const result = await collect(provider().streamChat(request()));
    expect(result.error?.appError.code).toBe('PROVIDER_ERROR');
    expect(result.error?.message).toContain('model crashed');
  });

  it('accepts a server that ignores stream: true and answers with JSON', async () => {
    server.queue.push({
      kind: 'status',
      status: 200,
      body: {
        choices: [{ message: { role: 'assistant', content: 'All at once' } }],
        usage: { prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 },
      },
    });
    const result = await collect(provider().streamChat(request()));
    expect(result.text).toBe('All at once');
    expect(result.chunks.at(-1)).toMatchObject({ type: 'usage' });
  });

  it('gives up with TIMEOUT on a slow first token, without retrying', async () => {
    server.queue.push({ kind: 'stream', chunks: ['late'], firstChunkDelayMs: 2_000 });
    const retry = instantRetries();
    const result = await collect(provider({ retry, idleTimeoutMs: 300 }).streamChat(request()));
    expect(result.error?.appError.code).toBe('TIMEOUT');
    expect(retry.waits).toEqual([]);
  });

  it('stops when aborted, keeping what arrived', async () => {
    server.queue.push({ kind: 'stream', chunks: toChunks('a b c d e f g h'), delayMs: 40 });
    const controller = new AbortController();
    const result = await collect(provider().streamChat(request(controller.signal)), (text) => {
      if (text.includes('b')) controller.abort();
    });
    expect(result.text).toBe('a b');
    expect(result.error?.appError.code ?? 'CANCELLED').toBe('CANCELLED');
  });

  it('reports an unreachable server as NETWORK naming the address, after two retries', async () => {
    const url = await closedPort();
    const retry = instantRetries();
    const result = await collect(
      createOpenAiCompatibleProvider({
        config: { id: 'x', name: 'Ollama', baseUrl: url },
        retry,
      }).streamChat(request()),
    );
    expect(result.error?.appError.code).toBe('NETWORK');
    expect(result.error?.message).toBe(`Could not reach Ollama at ${url}. Is the server running?`);
    expect(retry.waits).toHaveLength(2);
  });
});

describe('listing models', () => {
  it('reads /v1/models', async () => {
    const models = await provider().listModels();
    expect(models).toEqual([
      {
        provider: 'vllm-box',
        id: 'qwen2.5-7b-instruct',
        displayName: 'qwen2.5-7b-instruct',
        contextLength: null,
        capabilities: null,
      },
    ]);
  });

  it('falls back to Ollama /api/tags when /v1/models is a 404', async () => {
    const calls = ollama.modelListCalls.length;
    const models = await listOpenAiCompatibleModels({
      id: 'ollama',
      name: 'Ollama',
      baseUrl: ollama.url,
    });
    expect(models.map((m) => [m.provider, m.id])).toEqual([
      ['ollama', 'llama3.2:3b'],
      ['ollama', 'mistral:7b'],
    ]);
    expect(ollama.modelListCalls.slice(calls)).toEqual(['/v1/models', '/api/tags']);
  });

  it('reads context lengths where the server reports them', async () => {
    server.modelsQueue.push({
      kind: 'status',
      status: 200,
      body: { object: 'list', data: [{ id: 'big', max_model_len: 32_768 }, { id: '' }] },
    });
    const models = await provider().listModels();
    expect(models).toEqual([expect.objectContaining({ id: 'big', contextLength: 32_768 })]);
  });

  it('says when neither list exists', async () => {
    server.modelsQueue.push(openAiError(404, 'no'), openAiError(404, 'no'));
    await expect(provider().listModels()).rejects.toMatchObject({
      message: expect.stringMatching(/no model list at \/v1\/models or \/api\/tags/),
    });
  });
});

describe('endpoint presets and checks', () => {
  it('knows the usual local servers', () => {
    expect(ENDPOINT_PRESETS.map((p) => [p.name, p.baseUrl])).toEqual([
      ['Ollama', 'http://127.0.0.1:11434'],
      ['LM Studio', 'http://127.0.0.1:1234'],
      ['vLLM', 'http://127.0.0.1:8000'],
      ['llama-server', 'http://127.0.0.1:8080'],
    ]);
    expect(configFromPreset(ENDPOINT_PRESETS[0]!)).toEqual({
      id: 'ollama',
      name: 'Ollama',
      baseUrl: 'http://127.0.0.1:11434',
    });
  });

  it('normalizes base URLs', () => {
    expect(normalizeBaseUrl(' http://h:1/v1/ ')).toBe('http://h:1');
    expect(normalizeBaseUrl('http://h:1//')).toBe('http://h:1');
    expect(normalizeBaseUrl('http://h:1/proxy/v1')).toBe('http://h:1/proxy');
  });

  it('returns the models when the endpoint answers', async () => {
    const result = await checkEndpoint({ id: 'o', name: 'Ollama', baseUrl: ollama.url });
    expect(result).toMatchObject({ ok: true, value: { models: [{ id: 'llama3.2:3b' }, {}] } });
  });

  it('returns the exact error otherwise', async () => {
    expect(await checkEndpoint({ ...config(), apiKey: 'nope-nope-nope' })).toEqual({
      ok: false,
      error: {
        code: 'PROVIDER_AUTH',
        message: 'API key rejected by vLLM. Check the API key saved for vLLM.',
        retryable: false,
      },
    });
    const url = await closedPort();
    expect(await checkEndpoint({ id: 'l', name: 'LM Studio', baseUrl: url })).toEqual({
      ok: false,
      error: {
        code: 'NETWORK',
        message: `Could not reach LM Studio at ${url}. Is the server running?`,
        retryable: true,
      },
    });
  });
});
