import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  apiError,
  FAKE_MODEL_TITLES,
  startFakeMistral,
  toChunks,
  type FakeMistralServer,
} from '../../../testing/fixtures/fakeMistralServer';
import type { AnyEvent, EventPayload } from '../../../shared/contract';
import type { Conversation, Message } from '../../../shared/domain';
import type { Result } from '../../../shared/errors';
import { createCore, DATABASE_FILE_NAME, type Core } from '../createCore';
import { createMemoryLogger } from '../logger';
import type { ChatProvider } from '../providers/chatProvider';
import { openDatabase } from '../store/openDatabase';
import { fallbackTitle } from '../../../shared/conversationTitle';
import { toProviderHistory } from './replyStream';

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

function newDataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'causerie-core-'));
  dirs.push(dir);
  return dir;
}

function startCore(dataDir = newDataDir(), providers?: { mistral: ChatProvider }) {
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

type Terminal = 'chat.done' | 'chat.error' | 'chat.cancelled';
async function waitForEnd(events: AnyEvent[], streamId: string) {
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

function deltasOf(events: AnyEvent[], streamId: string) {
  return events.flatMap((e) =>
    e.name === 'chat.delta' && e.payload.streamId === streamId ? [e.payload] : [],
  );
}

describe('chat through the core', () => {
  it('saves both messages at once, streams batched deltas in order, and ends with one done', async () => {
    const { call, events } = startCore();
    const conversation = await call<{ id: string }>('conversations.create', {});
    const text = Array.from({ length: 60 }, (_, i) => `mot${i}`).join(' ');
    fake.queue.push({ kind: 'stream', chunks: toChunks(text), delayMs: 2 });
    const sent = await call<{ streamId: string; userMessage: Message; assistantMessage: Message }>(
      'chat.send',
      { conversationId: conversation.id, text: 'Bonjour' },
    );
    expect(sent.assistantMessage).toMatchObject({ status: 'streaming', content: '' });
    const opened = await call<{ messages: Message[] }>('conversations.open', {
      conversationId: conversation.id,
    });
    expect(opened.messages.map((m) => m.role)).toEqual(['user', 'assistant']);

    const end = await waitForEnd(events, sent.streamId);
    expect(end.name).toBe('chat.done');
    const deltas = deltasOf(events, sent.streamId);
    expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => i));
    expect(deltas.map((d) => d.text).join('')).toBe(text);
    // Batching: 60 provider chunks arrive as far fewer events.
    expect(deltas.length).toBeLessThan(60);
    expect(events.filter((e) => e.name !== 'chat.delta')).toHaveLength(1);
    expect(end.payload.message).toMatchObject({
      content: text,
      status: 'complete',
      model: { provider: 'mistral', model: 'mistral-small-latest' },
      usage: { promptTokens: 10, completionTokens: 60, totalTokens: 70 },
    });
  });

  it('sends the whole thread as history on a follow-up turn', async () => {
    const { call, events } = startCore();
    const { id } = await call<{ id: string }>('conversations.create', {});
    const first = await call<{ streamId: string }>('chat.send', { conversationId: id, text: 'Un' });
    await waitForEnd(events, first.streamId);
    const before = fake.requests.length;
    const second = await call<{ streamId: string }>('chat.send', {
      conversationId: id,
      text: 'Deux',
    });
    await waitForEnd(events, second.streamId);
    // Auto reply language adds one system message; the turns follow it, in order.
    const sent = fake.requests[before]?.body.messages ?? [];
    expect(sent.filter((m) => m.role !== 'system')).toMatchObject([
      { role: 'user', content: 'Un' },
      { role: 'assistant', content: 'Echo 1: Un' },
      { role: 'user', content: 'Deux' },
    ]);
    const list = await call<{ conversations: { title: string }[] }>('conversations.list', {});
    expect(list.conversations[0]?.title).toBe('Un');
  });

  it('cancel keeps the partial text, saved as cancelled', async () => {
    const { call, events } = startCore();
    const { id } = await call<{ id: string }>('conversations.create', {});
    fake.queue.push({
      kind: 'stream',
      chunks: toChunks('a b c d e f g h i j k l m n o p'),
      delayMs: 40,
    });
    const sent = await call<{ streamId: string }>('chat.send', { conversationId: id, text: 'Go' });
    while (deltasOf(events, sent.streamId).length === 0) await new Promise((r) => setTimeout(r, 5));
    expect(await call('chat.cancel', { streamId: sent.streamId })).toEqual({ cancelled: true });
    const end = await waitForEnd(events, sent.streamId);
    expect(end.name).toBe('chat.cancelled');
    const streamed = deltasOf(events, sent.streamId)
      .map((d) => d.text)
      .join('');
    expect(streamed.length).toBeGreaterThan(0);
    expect(end.payload.message).toMatchObject({ status: 'cancelled', content: streamed });
    expect(streamed.length).toBeLessThan('a b c d e f g h i j k l m n o p'.length);
    const opened = await call<{ messages: Message[] }>('conversations.open', {
      conversationId: id,
    });
    expect(opened.messages[1]).toMatchObject({ status: 'cancelled', content: streamed });
  });

  it('a dropped connection ends with one error event and the partial text kept', async () => {
    const { call, events } = startCore();
    const { id } = await call<{ id: string }>('conversations.create', {});
    fake.queue.push({ kind: 'disconnect', chunks: toChunks('Half of an'), delayMs: 5 });
    const sent = await call<{ streamId: string }>('chat.send', { conversationId: id, text: 'Go' });
    const end = await waitForEnd(events, sent.streamId);
    expect(end.name).toBe('chat.error');
    expect(end.payload.error.code).toBe('NETWORK');
    expect(end.payload.message).toMatchObject({ status: 'error', content: 'Half of an' });
    expect(end.payload.message.error?.code).toBe('NETWORK');
  });

  it('another page cannot cancel a stream it did not start', async () => {
    const { core, call, events } = startCore();
    const { id } = await call<{ id: string }>('conversations.create', {});
    const sent = await call<{ streamId: string }>('chat.send', { conversationId: id, text: 'Hi' });
    const intruder = core.connectClient(() => undefined);
    const result = await core.dispatch(
      'chat.cancel',
      { streamId: sent.streamId },
      { clientId: intruder },
    );
    expect(result).toEqual({ ok: true, value: { cancelled: false } });
    expect((await waitForEnd(events, sent.streamId)).name).toBe('chat.done');
  });

  it('closing the page cancels its streams and keeps the partial text', async () => {
    const { core, call, events, clientId } = startCore();
    const { id } = await call<{ id: string }>('conversations.create', {});
    fake.queue.push({ kind: 'stream', chunks: toChunks('x '.repeat(100)), delayMs: 20 });
    const sent = await call<{ streamId: string; assistantMessage: Message }>('chat.send', {
      conversationId: id,
      text: 'Hi',
    });
    while (deltasOf(events, sent.streamId).length === 0) await new Promise((r) => setTimeout(r, 5));
    core.disconnectClient(clientId);
    await core.close();
    const db = openDatabase(path.join(dirs.at(-1) as string, DATABASE_FILE_NAME));
    const row = db
      .prepare('SELECT status, length(content) AS n FROM messages WHERE id = ?')
      .get(sent.assistantMessage.id) as { status: string; n: number };
    db.close();
    expect(row.status).toBe('cancelled');
    expect(row.n).toBeGreaterThan(0);
  });

  it('checkpoints partial text at a bounded rate, and recovery marks it interrupted', async () => {
    const dataDir = newDataDir();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    // A provider that streams, then hangs like a process about to be killed.
    const hanging: ChatProvider = {
      async *streamChat() {
        for (let i = 0; i < 40; i++) {
          yield { type: 'text', text: `t${i} ` };
          await new Promise((r) => setTimeout(r, 25));
        }
        await gate;
      },
    };
    const { call, events } = startCore(dataDir, { mistral: hanging });
    const { id } = await call<{ id: string }>('conversations.create', {});
    const sent = await call<{ streamId: string; assistantMessage: Message }>('chat.send', {
      conversationId: id,
      text: 'Long',
    });
    await new Promise((r) => setTimeout(r, 1_300));
    expect(deltasOf(events, sent.streamId).length).toBeGreaterThan(0);
    // Read the file from a second connection, as a crash would leave it.
    const peek = openDatabase(path.join(dataDir, DATABASE_FILE_NAME));
    const saved = peek
      .prepare('SELECT status, content FROM messages WHERE id = ?')
      .get(sent.assistantMessage.id) as { status: string; content: string };
    peek.close();
    expect(saved.status).toBe('streaming');
    expect(saved.content).toMatch(/^t0 t1 /);

    // Simulate the crash: a fresh core opens the same file while the row is still streaming.
    const copyDir = newDataDir();
    const source = openDatabase(path.join(dataDir, DATABASE_FILE_NAME));
    await source.backup(path.join(copyDir, DATABASE_FILE_NAME));
    source.close();
    release();
    const reopened = startCore(copyDir);
    const opened = await reopened.call<{ messages: Message[] }>('conversations.open', {
      conversationId: id,
    });
    expect(opened.messages[1]).toMatchObject({ status: 'interrupted' });
    expect(opened.messages[1]?.content).toBe(saved.content);
  });

  it('reports NOT_FOUND for a conversation that does not exist', async () => {
    const { core, clientId } = startCore();
    const result = await core.dispatch(
      'chat.send',
      { conversationId: 'missing', text: 'Hi' },
      { clientId },
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('history and titles', () => {
  it('leaves empty and failed replies out of the history', () => {
    const base = {
      conversationId: 'c',
      parentId: null,
      model: null,
      usage: null,
      error: null,
      createdAt: 0,
      updatedAt: 0,
      replyLanguage: null,
      detectedLanguage: null,
      ttftMs: null,
      tokensPerSec: null,
    };
    const history = toProviderHistory([
      { ...base, id: '1', role: 'user', content: 'Q1', status: 'complete' },
      { ...base, id: '2', role: 'assistant', content: '', status: 'error' },
      { ...base, id: '3', role: 'user', content: 'Q2', status: 'complete' },
    ]);
    expect(history).toEqual([
      { role: 'user', content: 'Q1' },
      { role: 'user', content: 'Q2' },
    ]);
  });

  it('titles from the first words without splitting characters', () => {
    expect(fallbackTitle('  Bonjour\n  le monde ')).toBe('Bonjour le monde');
    const long = '我们的数据库很快'.repeat(10);
    const title = fallbackTitle(long, 10);
    expect(Array.from(title)).toHaveLength(10);
    expect(title.endsWith('…')).toBe(true);
  });
});

/** Waits until `check` returns something, polling every 10 ms for up to 5 s. */
async function until<T>(check: () => T | undefined | null | false, what: string): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = check();
    if (value) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function textOf(events: AnyEvent[], streamId: string): string {
  return deltasOf(events, streamId)
    .map((d) => d.text)
    .join('');
}

describe('continuing a reply that stopped part-way', () => {
  type Started = { streamId: string; assistantMessage: Message };

  /** Sends `text`, lets a few words of a slow queued reply arrive, and presses Stop. */
  async function stoppedReply(harness: ReturnType<typeof startCore>, text = 'Go') {
    const { call, events } = harness;
    const { id } = await call<{ id: string }>('conversations.create', {});
    fake.queue.push({
      kind: 'stream',
      chunks: toChunks('one two three four five six seven eight nine ten'),
      delayMs: 40,
    });
    const sent = await call<{ streamId: string; assistantMessage: Message }>('chat.send', {
      conversationId: id,
      text,
    });
    await until(() => deltasOf(events, sent.streamId).length > 0, 'the first delta');
    await call('chat.cancel', { streamId: sent.streamId });
    const end = await waitForEnd(events, sent.streamId);
    expect(end.name).toBe('chat.cancelled');
    return { conversationId: id, reply: end.payload.message };
  }

  it('streams on in the same message from its partial text, and sends that text as a prefix', async () => {
    const harness = startCore();
    const { call, events } = harness;
    const { conversationId, reply } = await stoppedReply(harness);
    const partial = reply.content;
    expect(partial.length).toBeGreaterThan(0);
    expect(partial).not.toContain('ten');
    const before = fake.requests.length;
    // As La Plateforme does: the prefix again, then the rest.
    fake.queue.push({
      kind: 'stream',
      chunks: [...toChunks(partial), ' and the rest.'],
      delayMs: 5,
    });
    const continued = await call<Started>('chat.continue', { messageId: reply.id });
    expect(continued.assistantMessage).toMatchObject({
      id: reply.id,
      status: 'streaming',
      content: partial,
    });
    const end = await waitForEnd(events, continued.streamId);
    expect(end.name).toBe('chat.done');
    // Only the new text is streamed; the saved reply is the partial text plus the continuation.
    expect(textOf(events, continued.streamId)).toBe(' and the rest.');
    expect(end.payload.message).toMatchObject({
      id: reply.id,
      status: 'complete',
      content: `${partial} and the rest.`,
      error: null,
    });
    expect(fake.requests.length - before).toBe(1);
    const sent = fake.requests[before]?.body.messages ?? [];
    expect(sent.at(-1)).toEqual({ role: 'assistant', content: partial, prefix: true });
    expect(sent.at(-2)).toMatchObject({ role: 'user', content: 'Go' });
    const opened = await call<{ messages: Message[] }>('conversations.open', { conversationId });
    expect(opened.messages.map((m) => [m.role, m.status])).toEqual([
      ['user', 'complete'],
      ['assistant', 'complete'],
    ]);
    expect(opened.messages[1]?.content).toBe(`${partial} and the rest.`);
  });

  it('never loses the partial text: a failed continuation keeps it, a later one completes it', async () => {
    const { call, events } = startCore();
    const { id } = await call<{ id: string }>('conversations.create', {});
    fake.queue.push({ kind: 'disconnect', chunks: toChunks('Half of an'), delayMs: 5 });
    const sent = await call<{ streamId: string; assistantMessage: Message }>('chat.send', {
      conversationId: id,
      text: 'Go',
    });
    expect((await waitForEnd(events, sent.streamId)).name).toBe('chat.error');

    fake.queue.push(apiError(401, 'Unauthorized'));
    const failed = await call<Started>('chat.continue', { messageId: sent.assistantMessage.id });
    const failedEnd = await waitForEnd(events, failed.streamId);
    expect(failedEnd.name).toBe('chat.error');
    expect(failedEnd.payload.error.code).toBe('PROVIDER_AUTH');
    expect(failedEnd.payload.message).toMatchObject({ status: 'error', content: 'Half of an' });

    // A server that does not echo the prefix: its text is appended as it is.
    fake.queue.push({ kind: 'stream', chunks: [' answer', '.'] });
    const again = await call<Started>('chat.continue', { messageId: sent.assistantMessage.id });
    const end = await waitForEnd(events, again.streamId);
    expect(end.name).toBe('chat.done');
    expect(end.payload.message).toMatchObject({
      content: 'Half of an answer.',
      status: 'complete',
    });
  });

  it('Stop works during a continuation, and the reply can be continued again', async () => {
    const harness = startCore();
    const { call, events } = harness;
    const { reply } = await stoppedReply(harness);
    fake.queue.push({
      kind: 'stream',
      chunks: toChunks(' more words keep coming here slowly'),
      delayMs: 60,
    });
    const continued = await call<Started>('chat.continue', { messageId: reply.id });
    await until(() => deltasOf(events, continued.streamId).length > 0, 'a continued delta');
    expect(await call('chat.cancel', { streamId: continued.streamId })).toEqual({
      cancelled: true,
    });
    const end = await waitForEnd(events, continued.streamId);
    expect(end.name).toBe('chat.cancelled');
    const streamed = textOf(events, continued.streamId);
    expect(end.payload.message.content).toBe(reply.content + streamed);
    expect(end.payload.message.content).not.toContain('slowly');
    fake.queue.push({ kind: 'stream', chunks: [' Done.'] });
    const last = await call<Started>('chat.continue', { messageId: reply.id });
    const lastEnd = await waitForEnd(events, last.streamId);
    expect(lastEnd.payload.message.content).toBe(`${reply.content}${streamed} Done.`);
  });

  it('refuses replies that cannot be continued', async () => {
    const harness = startCore();
    const { core, call, clientId, events } = harness;
    const attempt = (messageId: string) =>
      core.dispatch('chat.continue', { messageId }, { clientId }) as Promise<Result<unknown>>;
    const { conversationId, reply } = await stoppedReply(harness);

    // Twice at once: the first continues, the second is told the reply is already being written.
    fake.queue.push({ kind: 'stream', chunks: toChunks(' and more'), delayMs: 20 });
    const first = await call<Started>('chat.continue', { messageId: reply.id });
    expect(await attempt(reply.id)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    await waitForEnd(events, first.streamId);
    // Finished replies, user messages and unknown ids cannot be continued.
    expect(await attempt(reply.id)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await attempt(first.assistantMessage.parentId ?? '')).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    expect(await attempt('missing')).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });

    // A stopped reply that is no longer the last one of the conversation.
    fake.queue.push({ kind: 'stream', chunks: toChunks('a b c d e f g h i j'), delayMs: 40 });
    const second = await call<{ streamId: string; assistantMessage: Message }>('chat.send', {
      conversationId,
      text: 'Again',
    });
    await until(() => deltasOf(events, second.streamId).length > 0, 'the first delta');
    await call('chat.cancel', { streamId: second.streamId });
    await waitForEnd(events, second.streamId);
    await call('chat.send', { conversationId, text: 'Moving on' });
    expect(await attempt(second.assistantMessage.id)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('last reply') },
    });
  });

  it('checks the language of the whole continued reply, and corrects it with a fresh reply', async () => {
    const { call, events } = startCore();
    const { id } = await call<{ id: string }>('conversations.create', { replyLanguage: 'fr' });
    fake.queue.push({
      kind: 'disconnect',
      chunks: toChunks('The answer to your question'),
      delayMs: 5,
    });
    const sent = await call<{ streamId: string; assistantMessage: Message }>('chat.send', {
      conversationId: id,
      text: 'Quelle est la réponse ?',
    });
    expect((await waitForEnd(events, sent.streamId)).name).toBe('chat.error');
    fake.queue.push({
      kind: 'stream',
      chunks: toChunks(
        ' is simple: the weather will stay warm and sunny for the whole week, so you can plan the picnic with your friends.',
      ),
    });
    const continued = await call<Started>('chat.continue', { messageId: sent.assistantMessage.id });
    const end = await waitForEnd(events, continued.streamId);
    expect(end.name).toBe('chat.done');
    expect(end.payload.message).toMatchObject({ replyLanguage: 'fr', detectedLanguage: 'en' });
    const correction = await until(
      () => events.find((e) => e.name === 'chat.started'),
      'the language correction',
    );
    expect(correction.payload).toMatchObject({
      replaces: sent.assistantMessage.id,
      reason: 'language-correction',
    });
    await waitForEnd(events, correction.payload.streamId);
    // The correction starts over from the question: no partial text is carried on.
    expect(fake.requests.at(-1)?.body.messages?.at(-1)).toMatchObject({
      role: 'user',
      content: 'Quelle est la réponse ?',
    });
  });

  it('continues a reply recovered as interrupted after the process was killed', async () => {
    const dataDir = newDataDir();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const hanging: ChatProvider = {
      async *streamChat() {
        for (let i = 0; i < 30; i++) {
          yield { type: 'text', text: `t${i} ` };
          await new Promise((r) => setTimeout(r, 25));
        }
        await gate;
      },
    };
    const first = startCore(dataDir, { mistral: hanging });
    const { id } = await first.call<{ id: string }>('conversations.create', {});
    const sent = await first.call<{ streamId: string; assistantMessage: Message }>('chat.send', {
      conversationId: id,
      text: 'Long',
    });
    await new Promise((r) => setTimeout(r, 1_000));
    // The file as a kill -9 leaves it: the reply still marked streaming, its text checkpointed.
    const copyDir = newDataDir();
    const source = openDatabase(path.join(dataDir, DATABASE_FILE_NAME));
    await source.backup(path.join(copyDir, DATABASE_FILE_NAME));
    source.close();
    release();

    const reopened = startCore(copyDir);
    const opened = await reopened.call<{ messages: Message[] }>('conversations.open', {
      conversationId: id,
    });
    const recovered = opened.messages[1];
    expect(recovered).toMatchObject({ status: 'interrupted' });
    expect(recovered?.content).toMatch(/^t0 t1 /);
    const continued = await reopened.call<Started>('chat.continue', {
      messageId: sent.assistantMessage.id,
    });
    const end = await waitForEnd(reopened.events, continued.streamId);
    expect(end.name).toBe('chat.done');
    // The fake could not have written "t0 t1 …", so it carries on with a stand-in after it.
    expect(end.payload.message.content).toBe(`${recovered?.content} (continued)`);
    expect(fake.requests.at(-1)?.body.messages?.at(-1)).toEqual({
      role: 'assistant',
      content: recovered?.content,
      prefix: true,
    });
  });
});

describe('model-written titles', () => {
  function changes(events: AnyEvent[]): Conversation[] {
    return events.flatMap((e) =>
      e.name === 'conversations.changed' ? [e.payload.conversation] : [],
    );
  }

  async function firstExchange(
    harness: ReturnType<typeof startCore>,
    text: string,
    replyLanguage?: string,
  ) {
    const { call, events } = harness;
    const conversation = await call<{ id: string }>(
      'conversations.create',
      replyLanguage ? { replyLanguage } : {},
    );
    const sent = await call<{ streamId: string }>('chat.send', {
      conversationId: conversation.id,
      text,
    });
    const end = await waitForEnd(events, sent.streamId);
    return { conversationId: conversation.id, end };
  }

  async function titleOf(harness: ReturnType<typeof startCore>, conversationId: string) {
    const list = await harness.call<{ conversations: Conversation[] }>('conversations.list', {});
    return list.conversations.find((c) => c.id === conversationId)?.title;
  }

  it('asks the model after the first reply, in French for a French conversation, and tells every page', async () => {
    const harness = startCore();
    const otherPage: AnyEvent[] = [];
    harness.core.connectClient((event) => otherPage.push(event));
    const requestsBefore = fake.requests.length;
    const titlesBefore = fake.titleRequests.length;
    const text = 'Bonjour ! Peux-tu me donner une recette de ratatouille provençale ? #title';
    const { conversationId, end } = await firstExchange(harness, text);
    expect(end.name).toBe('chat.done');
    const [changed] = await until(
      () => changes(harness.events).length > 0 && changes(harness.events),
      'a title',
    );
    expect(changed).toMatchObject({ id: conversationId, title: FAKE_MODEL_TITLES.French });
    await until(() => changes(otherPage).length > 0, 'the title on the other page');
    expect(await titleOf(harness, conversationId)).toBe(FAKE_MODEL_TITLES.French);

    // One title request, in French, with the exchange; it is neither a turn nor a message.
    expect(fake.titleRequests.length - titlesBefore).toBe(1);
    const asked = fake.titleRequests.at(-1)?.body;
    expect(asked?.model).toBe('mistral-small-latest');
    expect(asked?.messages?.[0]?.content).toContain('Write the title in French.');
    expect(asked?.messages?.[1]?.content).toContain('recette de ratatouille');
    expect(fake.requests.length - requestsBefore).toBe(1);
    const opened = await harness.call<{ messages: Message[] }>('conversations.open', {
      conversationId,
    });
    expect(opened.messages).toHaveLength(2);

    // Later turns keep the title and ask for no other.
    const next = await harness.call<{ streamId: string }>('chat.send', {
      conversationId,
      text: 'Merci #title',
    });
    await waitForEnd(harness.events, next.streamId);
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.titleRequests.length - titlesBefore).toBe(1);
  });

  it('writes the title in the forced reply language', async () => {
    const harness = startCore();
    const { conversationId } = await firstExchange(
      harness,
      'Bonjour, parlons de jardinage #title',
      'en',
    );
    await until(() => changes(harness.events).length > 0, 'a title');
    expect(await titleOf(harness, conversationId)).toBe(FAKE_MODEL_TITLES.English);
    expect(fake.titleRequests.at(-1)?.body.messages?.[0]?.content).toContain(
      'Write the title in English.',
    );
  });

  it.each([
    ['the title request fails', '#title-fail', 'chat.title.failed'],
    ['the model answers junk', '#title-junk', 'chat.title.unusable'],
    ['the model answers nothing', '(no marker)', 'chat.title.unusable'],
  ])('keeps the first words when %s', async (_case, marker, logEvent) => {
    const harness = startCore();
    const text = `Bonjour, une question simple ${marker}`;
    const { conversationId, end } = await firstExchange(harness, text);
    expect(end.name).toBe('chat.done');
    await until(() => harness.logger.lines.some((line) => line.includes(logEvent)), logEvent);
    expect(await titleOf(harness, conversationId)).toBe(fallbackTitle(text));
    expect(changes(harness.events)).toEqual([]);
    // Nothing reaches the page: no error event, no error on the reply.
    expect(harness.events.filter((e) => e.name === 'chat.error')).toEqual([]);
  });

  it('never replaces a title the user chose while the model was thinking', async () => {
    const harness = startCore();
    fake.titleQueue.push({ kind: 'stream', chunks: ['Model', ' title'], firstChunkDelayMs: 400 });
    const titlesBefore = fake.titleRequests.length;
    const { conversationId } = await firstExchange(harness, 'Hello there');
    await until(() => fake.titleRequests.length > titlesBefore, 'the title request');
    await harness.call('conversations.rename', { conversationId, title: 'Mine' });
    await until(
      () => harness.logger.lines.some((line) => line.includes('chat.title.superseded')),
      'the superseded title',
    );
    expect(await titleOf(harness, conversationId)).toBe('Mine');
    expect(changes(harness.events)).toEqual([]);
  });

  it('asks nothing when the setting is off, and the setting survives a restart', async () => {
    const harness = startCore();
    expect(await harness.call('settings.setModelTitles', { enabled: false })).toEqual({
      modelTitles: false,
    });
    const titlesBefore = fake.titleRequests.length;
    const text = 'Bonjour, parlons de musique #title';
    const { conversationId } = await firstExchange(harness, text);
    await new Promise((r) => setTimeout(r, 200));
    expect(fake.titleRequests.length).toBe(titlesBefore);
    expect(await titleOf(harness, conversationId)).toBe(fallbackTitle(text));
    await harness.core.close();
    const restarted = startCore(harness.dataDir);
    expect(await restarted.call<{ modelTitles: boolean }>('settings.get', {})).toMatchObject({
      modelTitles: false,
    });
  });

  it('titles a conversation once its continued first reply completes', async () => {
    const harness = startCore();
    const { call, events } = harness;
    const { id } = await call<{ id: string }>('conversations.create', {});
    fake.queue.push({ kind: 'disconnect', chunks: toChunks('La moitié'), delayMs: 5 });
    const titlesBefore = fake.titleRequests.length;
    const sent = await call<{ streamId: string; assistantMessage: Message }>('chat.send', {
      conversationId: id,
      text: 'Bonjour, raconte-moi une histoire #title',
    });
    expect((await waitForEnd(events, sent.streamId)).name).toBe('chat.error');
    await new Promise((r) => setTimeout(r, 100));
    expect(fake.titleRequests.length).toBe(titlesBefore);
    fake.queue.push({ kind: 'stream', chunks: [' d’une histoire.'] });
    const continued = await call<{ streamId: string }>('chat.continue', {
      messageId: sent.assistantMessage.id,
    });
    await waitForEnd(events, continued.streamId);
    await until(() => changes(events).length > 0, 'a title');
    expect(await titleOf(harness, id)).toBe(FAKE_MODEL_TITLES.French);
    expect(fake.titleRequests.at(-1)?.body.messages?.[1]?.content).toContain(
      'La moitié d’une histoire.',
    );
  });
});

describe('defaults for new conversations', () => {
  const small = { provider: 'mistral', model: 'mistral-small-latest' };
  const large = { provider: 'mistral', model: 'mistral-large-latest' };

  it('start new conversations with the model, language and parameters set in Settings', async () => {
    const { call, events } = startCore();
    const before = await call<Conversation>('conversations.create', {});
    expect(
      await call('settings.setDefaults', {
        model: large,
        replyLanguage: 'fr',
        params: { temperature: 0.2, maxTokens: 300 },
      }),
    ).toEqual({ model: large, replyLanguage: 'fr', params: { temperature: 0.2, maxTokens: 300 } });
    const after = await call<Conversation>('conversations.create', {});
    expect(after).toMatchObject({
      model: large,
      replyLanguage: 'fr',
      params: { temperature: 0.2, maxTokens: 300 },
    });
    // Conversations that already exist keep what they had; what a call asks for wins.
    const reopened = await call<{ conversation: Conversation }>('conversations.open', {
      conversationId: before.id,
    });
    expect(reopened.conversation).toMatchObject({
      model: small,
      replyLanguage: null,
      params: null,
    });
    expect(
      (await call<Conversation>('conversations.create', { replyLanguage: null, model: small }))
        .replyLanguage,
    ).toBeNull();

    // The parameters reach the provider.
    const asked = fake.requests.length;
    const sent = await call<{ streamId: string }>('chat.send', {
      conversationId: after.id,
      text: 'Bonjour',
    });
    await waitForEnd(events, sent.streamId);
    expect(fake.requests[asked]?.body).toMatchObject({
      model: 'mistral-large-latest',
      temperature: 0.2,
      max_tokens: 300,
    });

    // Cleared, the model falls back to the app's default; the rest stays as set.
    expect(await call('settings.setDefaults', { model: null })).toMatchObject({
      model: null,
      replyLanguage: 'fr',
    });
    expect(await call('settings.get', {})).toMatchObject({
      defaultModel: small,
      defaults: { model: null, replyLanguage: 'fr' },
    });
  });

  it('refuses a default model that cannot run, and survives a restart', async () => {
    const harness = startCore();
    await expect(
      harness.call('settings.setDefaults', { model: { provider: 'endpoint:gone', model: 'x' } }),
    ).rejects.toThrow(/settings.setDefaults failed/);
    await harness.call('settings.setDefaults', { replyLanguage: 'zh-Hans' });
    await harness.core.close();
    const restarted = startCore(harness.dataDir);
    expect(await restarted.call('settings.get', {})).toMatchObject({
      defaults: { model: null, replyLanguage: 'zh-Hans', params: null },
    });
  });
});
