// The chat tests' harness (imported by *.test.ts only): a real core on a temp folder, talking to the fake Mistral server.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { AnyEvent, EventPayload } from '../shared/contract';
import type { Result } from '../shared/errors';
import { createCore, type Core } from '../electron/core/createCore';
import { createMemoryLogger } from '../electron/core/logger';
import type { ChatProvider } from '../electron/core/providers/chatProvider';
import { startFakeMistral, type FakeMistralServer } from './fixtures/fakeMistralServer';

/** The key the fake server accepts. */
export const KEY = 'sk-test-0123456789abcdef';

/**
 * The fake Mistral server of the current test file, started by {@link useChatCore}. A live
 * binding, so tests read it as a plain name (`fake.queue.push(…)`).
 */
export let fake: FakeMistralServer;
const dirs: string[] = [];
const cores: Core[] = [];

/** Starts the fake server for the file, and closes every core and removes every folder after each test. */
export function useChatCore(): void {
  beforeAll(async () => {
    fake = await startFakeMistral({ apiKey: KEY });
  });
  afterAll(() => fake.close());
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
}

/** A fresh data folder, removed after the test. */
export function newDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'causerie-core-'));
  dirs.push(dir);
  return dir;
}

/** A core on `dataDir` with one connected page whose events are kept; `call` throws on failure. */
export function startCore(dataDir = newDataDir(), providers?: { mistral: ChatProvider }) {
  const logger = createMemoryLogger();
  const core = createCore({
    dataDir,
    keyVault: { get: () => KEY, set: () => undefined },
    logger,
    mistralBaseUrl: fake.url,
    defaultModel: { provider: 'mistral', model: 'mistral-small-latest' },
    ...(providers ? { providers } : {}),
  });
  cores.push(core);
  const events: AnyEvent[] = [];
  const clientId = core.connectClient((event) => events.push(event));
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const result = (await core.dispatch(method, input, { clientId })) as Result<T>;
    if (!result.ok)
      throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
    return result.value;
  };
  return { core, events, clientId, call, dataDir, logger };
}

/** What {@link startCore} returns. */
export type ChatCoreHarness = ReturnType<typeof startCore>;

type Terminal = 'chat.done' | 'chat.error' | 'chat.cancelled';

/** The one ending event of a stream, once it has come. */
export async function waitForEnd(events: AnyEvent[], streamId: string) {
  for (let i = 0; i < 500; i++) {
    const end = events.find(
      (e) =>
        (e.name === 'chat.done' || e.name === 'chat.error' || e.name === 'chat.cancelled') &&
        e.payload.streamId === streamId,
    );
    if (end) return end as { name: Terminal; payload: EventPayload<'chat.error'> };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('stream never ended');
}

/** The delta events of one stream, in arrival order. */
export function deltasOf(events: AnyEvent[], streamId: string) {
  return events.flatMap((e) =>
    e.name === 'chat.delta' && e.payload.streamId === streamId ? [e.payload] : [],
  );
}

/** The text one stream has sent so far. */
export function textOf(events: AnyEvent[], streamId: string): string {
  return deltasOf(events, streamId)
    .map((d) => d.text)
    .join('');
}

/** Waits until `check` returns something, polling every 10 ms for up to 5 s. */
export async function until<T>(
  check: () => T | undefined | null | false,
  what: string,
): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}
