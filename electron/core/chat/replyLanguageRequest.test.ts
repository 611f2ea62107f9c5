import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  startFakeMistral,
  toChunks,
  type FakeMistralServer,
} from '../../../testing/fixtures/fakeMistralServer';
import type { AnyEvent } from '../../../shared/contract';
import type { Message } from '../../../shared/domain';
import type { Result } from '../../../shared/errors';
import { createCore, type Core } from '../createCore';
import { createMemoryLogger } from '../logger';

// The chat path's side of "the rule gives way when the user asks for another language": the
// reply to such a request is not checked, so it is never "corrected" back.

const KEY = 'sk-test-0123456789abcdef';
let fake: FakeMistralServer;
const dirs: string[] = [];
const cores: Core[] = [];

beforeAll(async () => {
  fake = await startFakeMistral({ apiKey: KEY });
});
afterAll(() => fake.close());
afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function startCore() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'causerie-core-'));
  dirs.push(dataDir);
  const core = createCore({
    dataDir,
    keyVault: { get: () => KEY, set: () => undefined },
    logger: createMemoryLogger(),
    mistralBaseUrl: fake.url,
    defaultModel: { provider: 'mistral', model: 'mistral-small-latest' },
  });
  cores.push(core);
  const events: AnyEvent[] = [];
  const clientId = core.connectClient((event) => events.push(event));
  const call = async <T>(method: string, input: unknown): Promise<T> => {
    const result = (await core.dispatch(method, input, { clientId })) as Result<T>;
    if (!result.ok) throw new Error(`${method} failed: ${result.error.code}`);
    return result.value;
  };
  return { events, call };
}

async function replyTo(text: string, reply: string) {
  const { call, events } = startCore();
  const { id } = await call<{ id: string }>('conversations.create', { replyLanguage: 'fr' });
  fake.queue.push({ kind: 'stream', chunks: toChunks(reply) });
  const sent = await call<{ streamId: string }>('chat.send', { conversationId: id, text });
  for (let i = 0; i < 500; i++) {
    const done = events.find(
      (e) => e.name === 'chat.done' && e.payload.streamId === sent.streamId,
    ) as { payload: { message: Message } } | undefined;
    // The correction, if any, is started in the same turn as `chat.done`.
    if (done)
      return {
        message: done.payload.message,
        corrected: events.some((e) => e.name === 'chat.started'),
      };
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('stream never ended');
}

const ENGLISH =
  'The meeting has been moved to Thursday, so please let the customers know as soon as possible.';

describe('a reply in the language the user asked for', () => {
  it('is not checked or corrected when the user asks for another language', async () => {
    const { message, corrected } = await replyTo(
      'Traduis en anglais : « La réunion est déplacée à jeudi, préviens les clients. »',
      ENGLISH,
    );
    expect(message.detectedLanguage).toBeNull();
    expect(corrected).toBe(false);
  });

  it('is still corrected when the user asked for nothing', async () => {
    const { message, corrected } = await replyTo('Que se passe-t-il pour la réunion ?', ENGLISH);
    expect(message).toMatchObject({ replyLanguage: 'fr', detectedLanguage: 'en' });
    expect(corrected).toBe(true);
  });
});
