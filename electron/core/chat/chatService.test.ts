// The chat commands through a real core: who may cancel, closing a page, and continuing a reply.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiError, toChunks } from '../../../testing/fixtures/fakeMistralServer';
import {
  deltasOf,
  fake,
  newDataDir,
  startCore,
  textOf,
  until,
  useChatCore,
  waitForEnd,
  type ChatCoreHarness,
} from '../../../testing/chatCore';
import type { Message } from '../../../shared/domain';
import { DATABASE_FILE_NAME } from '../createCore';
import type { ChatProvider } from '../providers/chatProvider';
import { openDatabase } from '../store/openDatabase';

useChatCore();

describe('chat commands through the core', () => {
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
    const { core, call, events, clientId, dataDir } = startCore();
    const { id } = await call<{ id: string }>('conversations.create', {});
    fake.queue.push({ kind: 'stream', chunks: toChunks('x '.repeat(100)), delayMs: 20 });
    const sent = await call<{ streamId: string; assistantMessage: Message }>('chat.send', {
      conversationId: id,
      text: 'Hi',
    });
    while (deltasOf(events, sent.streamId).length === 0) await new Promise((r) => setTimeout(r, 5));
    core.disconnectClient(clientId);
    await core.close();
    const db = openDatabase(path.join(dataDir, DATABASE_FILE_NAME));
    const row = db
      .prepare('SELECT status, length(content) AS n FROM messages WHERE id = ?')
      .get(sent.assistantMessage.id) as { status: string; n: number };
    db.close();
    expect(row.status).toBe('cancelled');
    expect(row.n).toBeGreaterThan(0);
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

describe('continuing a reply that stopped part-way', () => {
  type Started = { streamId: string; assistantMessage: Message };

  /** Sends `text`, lets a few words of a slow queued reply arrive, and presses Stop. */
  async function stoppedReply(harness: ChatCoreHarness, text = 'Go') {
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
      core.dispatch('chat.continue', { messageId }, { clientId });
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
