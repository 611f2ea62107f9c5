import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeMistral,
  type FakeMistralServer,
} from '../../../testing/fixtures/fakeMistralServer';
import { startFakeOpenAi, type FakeOpenAiServer } from '../../../testing/fixtures/fakeOpenAiServer';
import type { ModelInfo } from './chatProvider';
import { listMistralModels } from './mistral';
import { createModelCatalogCache, type CatalogEntry, type ModelLister } from './modelCatalog';
import { listOpenAiCompatibleModels } from './openaiCompatible';
import { ProviderError } from './providerError';

const KEY = 'catalog-key-0123456789';
let mistral: FakeMistralServer;
let ollama: FakeOpenAiServer;

beforeAll(async () => {
  mistral = await startFakeMistral({ apiKey: KEY });
  ollama = await startFakeOpenAi({ mode: 'ollama' });
});
afterAll(async () => {
  await mistral.close();
  await ollama.close();
});

const model = (id: string): ModelInfo => ({
  provider: 'p',
  id,
  displayName: id,
  contextLength: null,
  capabilities: null,
});

/** A lister whose answers the test releases one at a time. */
function controlledLister() {
  const pending: { resolve: (models: ModelInfo[]) => void; reject: (e: unknown) => void }[] = [];
  let calls = 0;
  const lister: ModelLister = () => {
    calls += 1;
    return new Promise((resolve, reject) => pending.push({ resolve, reject }));
  };
  return {
    lister,
    calls: () => calls,
    answer: (models: ModelInfo[]) => pending.shift()?.resolve(models),
    fail: (error: unknown) => pending.shift()?.reject(error),
  };
}

async function closedUrl(): Promise<string> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

describe('createModelCatalogCache', () => {
  it('fetches once, serves from cache while fresh, and revalidates in the background', async () => {
    let time = 1_000;
    const source = controlledLister();
    const changes: CatalogEntry[] = [];
    const cache = createModelCatalogCache({
      sources: { p: source.lister },
      ttlMs: 60_000,
      now: () => time,
      onChange: (entry) => changes.push(entry),
    });

    const first = cache.get('p');
    source.answer([model('a')]);
    expect(await first).toMatchObject({
      models: [model('a')],
      availability: { available: true },
      checkedAt: 1_000,
      refreshing: false,
    });
    expect(changes).toHaveLength(1);

    time += 30_000;
    expect((await cache.get('p')).models).toEqual([model('a')]);
    expect(source.calls()).toBe(1);

    time += 40_000;
    const stale = await cache.get('p');
    expect(stale).toMatchObject({ models: [model('a')], refreshing: true });
    expect(source.calls()).toBe(2);
    // A second caller during the refresh joins it.
    await cache.get('p');
    expect(source.calls()).toBe(2);
    source.answer([model('a'), model('b')]);
    await cache.whenIdle();
    expect(cache.peek('p')).toMatchObject({ models: [model('a'), model('b')], refreshing: false });
    expect(changes).toHaveLength(2);
  });

  it('keeps the last list through a failure, marks the reason, and retries after the failure TTL', async () => {
    let time = 0;
    const source = controlledLister();
    const cache = createModelCatalogCache({
      sources: { p: source.lister },
      ttlMs: 1_000,
      failureTtlMs: 100,
      now: () => time,
    });
    const first = cache.get('p');
    source.answer([model('a')]);
    await first;
    time = 2_000;
    await cache.get('p');
    source.fail(new ProviderError('NETWORK', 'Could not reach it.'));
    await cache.whenIdle();
    expect(cache.peek('p')).toMatchObject({
      models: [model('a')],
      availability: { available: false, reason: 'unreachable', message: 'Could not reach it.' },
    });
    time = 2_050;
    await cache.get('p');
    expect(source.calls()).toBe(2);
    time = 2_200;
    await cache.get('p');
    expect(source.calls()).toBe(3);
  });

  it('reports each provider with its own reason against the fake servers', async () => {
    const cache = createModelCatalogCache({
      sources: {
        mistral: (signal) =>
          listMistralModels({ getApiKey: () => KEY, baseUrl: mistral.url, signal }),
        'mistral-no-key': (signal) =>
          listMistralModels({ getApiKey: () => null, baseUrl: mistral.url, signal }),
        'mistral-bad-key': (signal) =>
          listMistralModels({
            getApiKey: () => 'bad-key-000000000000',
            baseUrl: mistral.url,
            signal,
          }),
        ollama: (signal) =>
          listOpenAiCompatibleModels(
            { id: 'ollama', name: 'Ollama', baseUrl: ollama.url },
            { signal },
          ),
      },
    });
    const downUrl = await closedUrl();
    cache.setSource('lm-studio', (signal) =>
      listOpenAiCompatibleModels(
        { id: 'lm-studio', name: 'LM Studio', baseUrl: downUrl },
        { signal },
      ),
    );
    const entries = Object.fromEntries((await cache.getAll()).map((e) => [e.provider, e]));
    expect(entries.mistral?.availability).toEqual({ available: true });
    expect(entries.mistral?.models.find((m) => m.id === 'open-mistral-7b')?.deprecated).toEqual({
      date: '2025-03-30T12:00:00.000Z',
      replacement: 'ministral-8b-latest',
    });
    expect(entries['mistral-no-key']?.availability).toMatchObject({
      available: false,
      reason: 'no-api-key',
    });
    expect(entries['mistral-bad-key']?.availability).toMatchObject({
      available: false,
      reason: 'key-rejected',
    });
    expect(entries.ollama?.models.map((m) => m.id)).toEqual(['llama3.2:3b', 'qwen2.5:7b']);
    expect(entries['lm-studio']?.availability).toMatchObject({
      available: false,
      reason: 'unreachable',
      message: expect.stringContaining('Could not reach LM Studio'),
    });
  });

  it('forgets a replaced source and ignores its late answer', async () => {
    const old = controlledLister();
    const changes: CatalogEntry[] = [];
    const cache = createModelCatalogCache({
      sources: { p: old.lister },
      onChange: (entry) => changes.push(entry),
    });
    const first = cache.get('p');
    cache.setSource('p', async () => [model('new')]);
    old.answer([model('old')]);
    await first;
    expect(changes).toEqual([]);
    expect((await cache.get('p')).models).toEqual([model('new')]);
    cache.removeSource('p');
    expect(cache.peek('p')).toBeNull();
    await expect(cache.get('p')).rejects.toMatchObject({ appError: { code: 'NOT_FOUND' } });
  });

  it('aborts requests under way on close', async () => {
    let aborted = false;
    const cache = createModelCatalogCache({
      sources: {
        p: (signal) =>
          new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('aborted'));
            });
          }),
      },
    });
    const pending = cache.get('p');
    cache.close();
    expect((await pending).availability).toMatchObject({ available: false, reason: 'error' });
    expect(aborted).toBe(true);
  });
});
