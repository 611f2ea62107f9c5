// The reply stream through a real core: batched deltas, the history sent, checkpoints and the one ending.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { toChunks } from '../../../testing/fixtures/fakeMistralServer';
import {
  deltasOf,
  fake,
  newDataDir,
  startCore,
  useChatCore,
  waitForEnd,
} from '../../../testing/chatCore';
import type { Message } from '../../../shared/domain';
import { DATABASE_FILE_NAME } from '../createCore';
import type { ChatProvider } from '../providers/chatProvider';
import { openDatabase } from '../store/openDatabase';
import { toProviderHistory } from './replyStream';

useChatCore();

describe('streaming a reply', () => {
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
});

describe('history', () => {
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
});
