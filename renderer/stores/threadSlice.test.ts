import { describe, expect, it } from 'vitest';
import type { Message } from '../../shared/domain';
import { selectActiveStreamId } from './threadSlice';
import { createAppStore } from './useAppStore';

function message(id: string, role: Message['role'], content = ''): Message {
  return {
    id,
    conversationId: 'c1',
    parentId: null,
    role,
    content,
    status: role === 'assistant' ? 'streaming' : 'complete',
    model: null,
    usage: null,
    error: null,
    createdAt: 1,
    updatedAt: 1,
    replyLanguage: null,
    detectedLanguage: null,
    ttftMs: null,
    tokensPerSec: null,
  };
}

function sentStore() {
  const store = createAppStore();
  store.getState().threadOpened('c1', [], {});
  store.getState().replyStarted({
    streamId: 's1',
    messages: [message('u1', 'user', 'Bonjour'), message('a1', 'assistant')],
    replaces: null,
  });
  return store;
}

describe('thread slice', () => {
  it('appends deltas in order and drops a repeated sequence number', () => {
    const store = sentStore();
    const delta = (seq: number, text: string) =>
      store
        .getState()
        .streamEventReceived({ name: 'chat.delta', payload: { streamId: 's1', seq, text } });
    delta(0, 'Bon');
    delta(1, 'jour');
    delta(1, 'jour');
    expect(store.getState().messagesById.a1?.content).toBe('Bonjour');
    expect(store.getState().threadMessageIds).toEqual(['u1', 'a1']);
    expect(selectActiveStreamId(store.getState())).toBe('s1');
  });

  it('replaces the message with the saved one when the stream ends', () => {
    const store = sentStore();
    const saved = { ...message('a1', 'assistant', 'Salut'), status: 'complete' as const };
    store.getState().streamEventReceived({
      name: 'chat.done',
      payload: { streamId: 's1', message: saved, droppedTurns: 0 },
    });
    expect(store.getState().messagesById.a1).toEqual(saved);
    expect(selectActiveStreamId(store.getState())).toBeNull();
  });

  it('a continued reply streams into the message already shown, after its partial text', () => {
    const store = sentStore();
    const stopped = { ...message('a1', 'assistant', 'Bon'), status: 'cancelled' as const };
    store.getState().streamEventReceived({
      name: 'chat.cancelled',
      payload: { streamId: 's1', message: stopped },
    });
    store.getState().replyStarted({
      streamId: 's2',
      messages: [{ ...stopped, status: 'streaming' }],
      replaces: null,
    });
    store.getState().streamEventReceived({
      name: 'chat.delta',
      payload: { streamId: 's2', seq: 0, text: 'jour' },
    });
    expect(store.getState().threadMessageIds).toEqual(['u1', 'a1']);
    expect(store.getState().branches).toEqual({});
    expect(store.getState().messagesById.a1).toMatchObject({
      content: 'Bonjour',
      status: 'streaming',
    });
    expect(selectActiveStreamId(store.getState())).toBe('s2');
  });

  it('keeps events that arrive before the send answer and applies them afterwards', () => {
    const store = createAppStore();
    store.getState().threadOpened('c1', [], {});
    store.getState().streamEventReceived({
      name: 'chat.delta',
      payload: { streamId: 's1', seq: 0, text: 'Early' },
    });
    store.getState().replyStarted({
      streamId: 's1',
      messages: [message('u1', 'user', 'Hi'), message('a1', 'assistant')],
      replaces: null,
    });
    expect(store.getState().messagesById.a1?.content).toBe('Early');
    expect(store.getState().earlyEvents).toEqual({});
  });

  it('a delta changes only the streaming message object', () => {
    const store = sentStore();
    const before = store.getState().messagesById;
    store
      .getState()
      .streamEventReceived({ name: 'chat.delta', payload: { streamId: 's1', seq: 0, text: 'x' } });
    const after = store.getState().messagesById;
    expect(after.u1).toBe(before.u1);
    expect(after.a1).not.toBe(before.a1);
  });

  it('a regenerated reply takes the place of the old one and both show as branches', () => {
    const store = sentStore();
    store.getState().streamEventReceived({
      name: 'chat.done',
      payload: {
        streamId: 's1',
        message: { ...message('a1', 'assistant', 'v1'), status: 'complete', parentId: 'u1' },
        droppedTurns: 0,
      },
    });
    store.getState().replyStarted({
      streamId: 's2',
      messages: [{ ...message('a2', 'assistant'), parentId: 'u1' }],
      replaces: 'a1',
    });
    const state = store.getState();
    expect(state.threadMessageIds).toEqual(['u1', 'a2']);
    expect(state.branches.a2).toEqual({ index: 1, count: 2 });
    expect(state.branches.a1).toEqual({ index: 0, count: 2 });
    expect(selectActiveStreamId(state)).toBe('s2');
  });

  it('puts an earlier page on top, once, and ignores a page for a thread no longer shown', () => {
    const store = createAppStore();
    const done = (id: string, role: Message['role']) => ({
      ...message(id, role, id),
      status: 'complete' as const,
    });
    store.getState().threadOpened('c1', [done('m3', 'user'), done('m4', 'assistant')], {}, 3);
    const page = {
      messages: [done('m0', 'user'), done('m1', 'assistant'), done('m2', 'user')],
      branches: { m1: { index: 1, count: 2 } },
      earlier: 0,
    };
    store.getState().earlierLoaded('m3', page);
    expect(store.getState().threadMessageIds).toEqual(['m0', 'm1', 'm2', 'm3', 'm4']);
    expect(store.getState().threadEarlier).toBe(0);
    expect(store.getState().branches.m1).toEqual({ index: 1, count: 2 });
    // The same answer twice (or a late one) changes nothing.
    store.getState().earlierLoaded('m3', page);
    expect(store.getState().threadMessageIds).toHaveLength(5);
    store.getState().threadOpened('c2', [done('x1', 'user')], {}, 0);
    store.getState().earlierLoaded('m3', page);
    expect(store.getState().threadMessageIds).toEqual(['x1']);
  });
});

describe('stopping a reply', () => {
  it('shows it stopped at once, frees the composer, and takes the host’s saved text after', () => {
    const store = sentStore();
    store.getState().streamEventReceived({
      name: 'chat.delta',
      payload: { streamId: 's1', seq: 0, text: 'Bon' },
    });
    store.getState().streamStopRequested('s1');
    expect(store.getState().messagesById.a1?.status).toBe('cancelled');
    expect(selectActiveStreamId(store.getState())).toBeNull();
    // Text the host sent before it saw the cancel still arrives, and is kept.
    store.getState().streamEventReceived({
      name: 'chat.delta',
      payload: { streamId: 's1', seq: 1, text: 'jour' },
    });
    expect(store.getState().messagesById.a1?.content).toBe('Bonjour');
    expect(store.getState().streams.s1?.stopping).toBe(true);
    const saved = { ...message('a1', 'assistant', 'Bonjour'), status: 'cancelled' as const };
    store.getState().streamEventReceived({
      name: 'chat.cancelled',
      payload: { streamId: 's1', message: saved },
    });
    expect(store.getState().streams.s1).toBeUndefined();
    expect(store.getState().messagesById.a1).toEqual(saved);
    // A second Stop for a stream already gone changes nothing.
    store.getState().streamStopRequested('s1');
    expect(store.getState().messagesById.a1).toEqual(saved);
  });
});
