import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AnyEvent, ConversationCursor, MethodName } from '../../shared/contract';
import type { Conversation } from '../../shared/domain';
import { ok } from '../../shared/errors';
import type { ApiClient } from '../lib/api';
import type { Transport } from '../lib/transport';
import { createAppStore } from '../stores/useAppStore';
import { pinnedThenNewest } from '../stores/sidebarLists';
import { conversationFixture } from '../../testing/conversationFixture';
import { createAppActions } from './appActions';

/** A back end holding `count` unfiled conversations, paging them as the store does. */
function pagingApi(count: number) {
  const all = Array.from({ length: count }, (_, i) =>
    conversationFixture(`c${String(i).padStart(4, '0')}`, { updatedAt: count - i }),
  ).sort(pinnedThenNewest);
  const calls: { method: MethodName; input: unknown }[] = [];
  let deliver: (event: AnyEvent) => void = () => undefined;
  const answer = (method: MethodName, input: unknown): unknown => {
    if (method === 'conversations.page') {
      const { before, limit = 100 } = input as {
        before?: ConversationCursor | null;
        limit?: number;
      };
      const start = before ? all.findIndex((c) => pinnedThenNewest(c, before) > 0) : 0;
      const rows = start === -1 ? [] : all.slice(start, start + limit);
      const last = rows.at(-1);
      return {
        conversations: rows,
        next:
          last && rows.length === limit
            ? { pinned: last.pinned, updatedAt: last.updatedAt, id: last.id }
            : null,
      };
    }
    if (method === 'conversations.counts') {
      return { live: all.length, unfiled: all.length, archived: 0, folders: {} };
    }
    if (method === 'folders.list') return { folders: [] };
    return {};
  };
  const api: ApiClient = {
    call: ((method: MethodName, input: unknown) => {
      calls.push({ method, input });
      return Promise.resolve(ok(answer(method, input)));
    }) as ApiClient['call'],
    onEvent: (handler) => {
      deliver = handler;
      return () => undefined;
    },
  };
  const pages = () => calls.filter((call) => call.method === 'conversations.page');
  return { api, all, pages, event: (event: AnyEvent) => deliver(event) };
}

const transport: Transport = {
  invoke: () => Promise.resolve(ok({})),
  onEvent: () => () => undefined,
};

beforeEach(() => {
  // `start` follows the URL hash.
  Object.assign(globalThis, {
    window: {
      location: { hash: '', pathname: '/', search: '' },
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
    },
    history: { replaceState: () => undefined },
  });
});
afterEach(() => {
  Reflect.deleteProperty(globalThis, 'window');
  Reflect.deleteProperty(globalThis, 'history');
});

describe('sidebar paging', () => {
  it('starts with one page, then loads each next page once, until the end', async () => {
    const backEnd = pagingApi(250);
    const store = createAppStore();
    const actions = createAppActions(backEnd.api, store, transport);
    await actions.reloadSidebar();
    expect(backEnd.pages()).toHaveLength(1);
    expect(store.getState().conversations).toHaveLength(100);
    expect(store.getState().sidebarCounts?.unfiled).toBe(250);

    // Asked twice at once (two rows near the viewport): one request.
    await Promise.all([actions.loadSidebarPage('unfiled'), actions.loadSidebarPage('unfiled')]);
    expect(backEnd.pages()).toHaveLength(2);
    await actions.loadSidebarPage('unfiled');
    expect(store.getState().sidebarPages.unfiled).toEqual({ next: null });
    await actions.loadSidebarPage('unfiled');
    expect(backEnd.pages()).toHaveLength(3);
    const ids = store.getState().conversations.map((c) => c.id);
    expect(ids).toEqual(backEnd.all.map((c) => c.id));
  });

  it('patches loaded rows from events, reading no page again', async () => {
    const backEnd = pagingApi(250);
    const store = createAppStore();
    const actions = createAppActions(backEnd.api, store, transport);
    const stop = actions.start();
    await actions.reloadSidebar();
    const before = backEnd.pages().length;
    const renamed: Conversation = { ...backEnd.all[3]!, title: 'Renamed elsewhere' };
    backEnd.event({ name: 'conversations.changed', payload: { conversation: renamed } });
    backEnd.event({ name: 'conversations.removed', payload: { conversationId: 'c0005' } });
    const known = store.getState().conversations;
    expect(known.find((c) => c.id === renamed.id)?.title).toBe('Renamed elsewhere');
    expect(known.some((c) => c.id === 'c0005')).toBe(false);
    expect(backEnd.pages()).toHaveLength(before);
    stop();
  });
});
