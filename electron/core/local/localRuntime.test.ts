import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../../testing/fixtures/tinyGguf';
import { CoreError } from '../coreError';
import type { ProviderChunk, ProviderMessage } from '../providers/chatProvider';
import {
  createLocalRuntime,
  WORKER_CRASHED_MESSAGE,
  type LocalRuntime,
  type LocalRuntimeEvent,
  type LocalRuntimeOptions,
} from './localRuntime';
import type { TurnStats } from './localProtocol';
import { sourceWorker } from './workerProcess';

// Real llama.cpp in a real child process, on a tiny random-weight model: no downloads, no GPU.
let dir: string;
let modelPath: string;
const runtimes: LocalRuntime[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'causerie-local-'));
  modelPath = path.join(dir, 'tiny.gguf');
  writeTinyGguf(modelPath, { contextLength: 4096 });
});

afterAll(async () => {
  await Promise.all(runtimes.map((runtime) => runtime.dispose()));
  rmSync(dir, { recursive: true, force: true });
});

function makeRuntime(overrides: Partial<LocalRuntimeOptions> = {}) {
  const events: LocalRuntimeEvent[] = [];
  const runtime = createLocalRuntime({
    spawnWorker: sourceWorker(),
    resolveModelPath: (model) => (model === 'tiny' ? modelPath : path.join(dir, model)),
    gpu: 'off',
    load: { contextSize: 1024, threads: 1, cachedConversations: 2 },
    generation: { maxTokens: 48, temperature: 0, seed: 1 },
    onEvent: (event) => events.push(event),
    ...overrides,
  });
  runtimes.push(runtime);
  const turns = () =>
    events.flatMap<TurnStats>((event) => (event.type === 'turn' ? [event.stats] : []));
  return { runtime, events, turns };
}

const LONG_QUESTION =
  'hello model tell me about the water and the people who find oil in the long day and what they ' +
  'said about the time when the world was made and how many of them would come to write';

async function collect(
  stream: AsyncIterable<ProviderChunk>,
  onText?: (text: string, count: number) => void,
): Promise<{ text: string; chunks: ProviderChunk[] }> {
  let text = '';
  const chunks: ProviderChunk[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
    if (chunk.type === 'text') {
      text += chunk.text;
      onText?.(text, chunks.length);
    }
  }
  return { text, chunks };
}

describe('local runtime (real llama.cpp in a child process)', () => {
  let shared: ReturnType<typeof makeRuntime>;
  beforeAll(() => {
    shared = makeRuntime();
  });

  it('loads the model with progress events and streams a reply with usage', async () => {
    const { runtime, events } = shared;
    const { text, chunks } = await collect(
      runtime.streamChat({
        model: 'tiny',
        messages: [{ role: 'user', content: 'hello' }],
        signal: new AbortController().signal,
      }),
    );
    expect(text.length).toBeGreaterThan(0);
    const usage = chunks.at(-1);
    expect(usage?.type).toBe('usage');
    if (usage?.type === 'usage') expect(usage.usage.completionTokens).toBeGreaterThan(0);
    expect(events.some((event) => event.type === 'loadProgress')).toBe(true);
    const loaded = events.find((event) => event.type === 'loaded');
    expect(loaded).toMatchObject({ contextSize: 1024, gpuLayers: 0, threads: 1 });
  });

  it('reuses the KV cache: a follow-up turn evaluates only the new tokens', async () => {
    const { runtime, turns } = shared;
    const first: ProviderMessage[] = [
      { role: 'system', content: `you are a local model. ${LONG_QUESTION} ${LONG_QUESTION}` },
      { role: 'user', content: LONG_QUESTION },
    ];
    const reply = await collect(
      runtime.streamChat({
        model: 'tiny',
        conversationId: 'c1',
        messages: first,
        signal: new AbortController().signal,
      }),
    );
    const firstTurn = turns().at(-1)!;
    await collect(
      runtime.streamChat({
        model: 'tiny',
        conversationId: 'c1',
        messages: [
          ...first,
          { role: 'assistant', content: reply.text },
          { role: 'user', content: 'and then' },
        ],
        signal: new AbortController().signal,
      }),
    );
    const second = turns().at(-1)!;
    expect(second.promptTokens).toBeGreaterThan(firstTurn.promptTokens);
    // Everything up to the end of the first question came from the cache.
    expect(second.reusedPromptTokens).toBeGreaterThanOrEqual(firstTurn.promptTokens - 1);
    expect(second.evaluatedPromptTokens).toBeLessThan(
      second.promptTokens - firstTurn.promptTokens + 8,
    );
    expect(second.evaluatedPromptTokens).toBeLessThan(second.promptTokens / 2);
    expect(firstTurn.evaluatedPromptTokens + firstTurn.reusedPromptTokens).toBeGreaterThanOrEqual(
      firstTurn.promptTokens - 1,
    );
  });

  it('stops promptly on abort and keeps the partial reply', async () => {
    const { runtime } = shared;
    const controller = new AbortController();
    const started = Date.now();
    const { text } = await collect(
      runtime.streamChat({
        model: 'tiny',
        messages: [{ role: 'user', content: 'write a long story' }],
        signal: controller.signal,
      }),
      (_text, count) => {
        if (count >= 3) controller.abort();
      },
    );
    expect(text.length).toBeGreaterThan(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    // The worker is still usable after an abort, and the request's own params apply.
    const next = await collect(
      runtime.streamChat({
        model: 'tiny',
        messages: [{ role: 'user', content: 'hello again' }],
        signal: new AbortController().signal,
        params: { maxTokens: 4, temperature: 0 },
      }),
    );
    expect(next.text.length).toBeGreaterThan(0);
    const usage = next.chunks.find((chunk) => chunk.type === 'usage');
    expect(usage?.type === 'usage' && usage.usage.completionTokens).toBe(4);
  });

  it('continues a partial reply from where it stopped instead of starting a new turn', async () => {
    const { runtime, turns } = shared;
    const question: ProviderMessage[] = [{ role: 'user', content: 'tell me about the water' }];
    const continueFrom = (partial: string) =>
      collect(
        runtime.streamChat({
          model: 'tiny',
          conversationId: 'continued',
          messages: [...question, { role: 'assistant', content: partial, prefix: true }],
          signal: new AbortController().signal,
          params: { maxTokens: 4, temperature: 0 },
        }),
      );
    const first = await continueFrom('the water and the people');
    expect(first.text.length).toBeGreaterThan(0);
    const firstTurn = turns().at(-1)!;
    await continueFrom('the water and the people who find oil');
    const second = turns().at(-1)!;
    // The partial text is the open model turn, not a finished one: a longer partial extends the
    // prompt, so the whole first prompt is found again in the cache. (Had the turn been closed,
    // its end-of-turn token would differ from " who" and the prompts would part there.)
    expect(second.promptTokens).toBeGreaterThan(firstTurn.promptTokens);
    expect(second.reusedPromptTokens).toBeGreaterThanOrEqual(firstTurn.promptTokens);
  });

  it('fails the stream clearly when the worker dies mid-reply, keeps the partial, and recovers', async () => {
    const { runtime, events } = shared;
    const pid = runtime.workerPid();
    expect(pid).toBeDefined();
    let partial = '';
    let thrown: unknown;
    try {
      await collect(
        runtime.streamChat({
          model: 'tiny',
          messages: [{ role: 'user', content: 'write a long story' }],
          signal: new AbortController().signal,
        }),
        (text, count) => {
          partial = text;
          if (count === 2) process.kill(pid!, 'SIGKILL');
        },
      );
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(CoreError);
    expect((thrown as CoreError).message).toBe(WORKER_CRASHED_MESSAGE);
    expect((thrown as CoreError).appError.retryable).toBe(true);
    expect(partial.length).toBeGreaterThan(0);
    expect(events.some((event) => event.type === 'crashed')).toBe(true);

    const next = await collect(
      runtime.streamChat({
        model: 'tiny',
        messages: [{ role: 'user', content: 'are you back' }],
        signal: new AbortController().signal,
      }),
    );
    expect(next.text.length).toBeGreaterThan(0);
    expect(runtime.workerPid()).not.toBe(pid);
  });
});

describe('local runtime lifecycle', () => {
  it('unloads after the idle time and reloads on the next request', async () => {
    const { runtime, events } = makeRuntime({ idleUnloadMs: 150 });
    await runtime.preload('tiny');
    const pid = runtime.workerPid()!;
    await expect
      .poll(() => events.some((e) => e.type === 'unloaded'), { timeout: 5_000 })
      .toBe(true);
    expect(events.find((e) => e.type === 'unloaded')).toEqual({ type: 'unloaded', reason: 'idle' });
    expect(runtime.workerPid()).toBeUndefined();
    expect(() => process.kill(pid, 0)).toThrow();
    await collect(
      runtime.streamChat({
        model: 'tiny',
        messages: [{ role: 'user', content: 'hello' }],
        signal: new AbortController().signal,
      }),
    );
    expect(events.filter((e) => e.type === 'loaded')).toHaveLength(2);
  });

  it('drops the oldest turns when the history does not fit, keeps the system prompt, and says so', async () => {
    const { runtime, events, turns } = makeRuntime({
      load: { contextSize: 256, threads: 1, cachedConversations: 1 },
    });
    const messages: ProviderMessage[] = [{ role: 'system', content: 'be brief' }];
    for (let i = 0; i < 6; i++) {
      messages.push(
        { role: 'user', content: LONG_QUESTION },
        { role: 'assistant', content: LONG_QUESTION },
      );
    }
    messages.push({ role: 'user', content: 'and now' });
    const { text } = await collect(
      runtime.streamChat({ model: 'tiny', messages, signal: new AbortController().signal }),
    );
    expect(text.length).toBeGreaterThan(0);
    const stats = turns().at(-1)!;
    expect(stats.droppedMessages).toBeGreaterThan(0);
    expect(stats.promptTokens).toBeLessThanOrEqual(256);
    expect(events).toContainEqual({
      type: 'contextTrimmed',
      droppedMessages: stats.droppedMessages,
    });
  });

  it('refuses a file that is not a GGUF model before starting a worker', async () => {
    writeFileSync(path.join(dir, 'notes.gguf'), 'hello, I am a text file');
    const { runtime } = makeRuntime();
    const stream = runtime.streamChat({
      model: 'notes.gguf',
      messages: [{ role: 'user', content: 'hi' }],
      signal: new AbortController().signal,
    });
    await expect(collect(stream)).rejects.toMatchObject({
      appError: { code: 'VALIDATION', message: expect.stringContaining('not a GGUF model') },
    });
    expect(runtime.workerPid()).toBeUndefined();
  });

  it('refuses to load a model that cannot fit, saying how much memory it needs', async () => {
    const { runtime } = makeRuntime({
      load: { threads: 1 },
      describeSystem: () => ({
        totalMemoryBytes: 64 * 1024 * 1024,
        freeMemoryBytes: 16 * 1024 * 1024,
        cpuCount: 2,
        gpu: null,
        gpuDeviceNames: [],
        vramTotalBytes: 0,
        vramFreeBytes: 0,
        cpuMathCores: 2,
      }),
    });
    await expect(runtime.preload('tiny')).rejects.toMatchObject({
      appError: { code: 'MODEL_LOAD', message: expect.stringMatching(/needs about .* of memory/) },
    });
    expect(runtime.workerPid()).toBeUndefined();
  });
});
