import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MethodName } from '../../shared/contract';
import type { Conversation } from '../../shared/domain';
import { ok } from '../../shared/errors';
import type { ApiClient } from '../lib/api';
import type { Transport } from '../lib/transport';
import { createAppStore } from '../stores/useAppStore';
import { createAppActions } from './appActions';
import { conversationFixture } from '../../testing/conversationFixture';

const conversation = (id: string, title: string) => conversationFixture(id, { title });

/** An API whose `conversations.create` answers only when the test lets it. */
function slowCreateApi() {
  let release: (value: Conversation) => void = () => undefined;
  const call = (method: MethodName): Promise<unknown> => {
    if (method === 'conversations.create') {
      return new Promise((resolve) => (release = (value) => resolve(ok(value))));
    }
    return Promise.resolve(ok({}));
  };
  const api: ApiClient = {
    call: call as ApiClient['call'],
    onEvent: () => () => undefined,
  };
  return { api, create: (value: Conversation) => release(value) };
}

const transport: Transport = {
  invoke: () => Promise.resolve(ok({})),
  onEvent: () => () => undefined,
};

beforeEach(() => {
  // The actions keep the open conversation in the URL hash.
  Object.assign(globalThis, {
    window: { location: { hash: '', pathname: '/', search: '' } },
    history: { replaceState: () => undefined },
  });
});
afterEach(() => {
  Reflect.deleteProperty(globalThis, 'window');
  Reflect.deleteProperty(globalThis, 'history');
});

describe('new chat', () => {
  it('takes the text typed while it is being created, leaving the previous draft alone', async () => {
    const store = createAppStore();
    const { api, create } = slowCreateApi();
    const actions = createAppActions(api, store, transport);
    store.getState().conversationCreated(conversation('old', 'Old chat'));
    store.getState().threadOpened('old', [], {});
    store.getState().draftEdited('old', 'kept for later');

    const creating = actions.newChat();
    // The composer already belongs to the new chat: what is typed now is keyed to it.
    expect(store.getState().threadConversationId).toBeFalsy();
    store.getState().draftEdited(store.getState().threadConversationId ?? '', 'typed at once');
    create(conversation('new', ''));
    await creating;

    expect(store.getState().threadConversationId).toBe('new');
    expect(store.getState().drafts.new).toBe('typed at once');
    expect(store.getState().drafts.old).toBe('kept for later');
  });
});

describe('new chat, twice at once', () => {
  it('creates one conversation when Enter comes while New chat is still being created', async () => {
    const store = createAppStore();
    const { api, create } = slowCreateApi();
    let creates = 0;
    const counting: ApiClient = {
      ...api,
      call: ((method: MethodName, input: unknown) => {
        if (method === 'conversations.create') creates += 1;
        return (api.call as (m: MethodName, i: unknown) => Promise<unknown>)(method, input);
      }) as ApiClient['call'],
    };
    const actions = createAppActions(counting, store, transport);
    const first = actions.newChat();
    const second = actions.newChat();
    create(conversation('only', ''));
    await Promise.all([first, second]);
    expect(creates).toBe(1);
    expect(store.getState().threadConversationId).toBe('only');
  });

  it('leaves the user where they went if they opened another conversation meanwhile', async () => {
    const store = createAppStore();
    const { api, create } = slowCreateApi();
    const actions = createAppActions(api, store, transport);
    const creating = actions.newChat();
    store.getState().threadOpened('elsewhere', [], {});
    create(conversation('new', ''));
    await creating;
    expect(store.getState().threadConversationId).toBe('elsewhere');
    expect(store.getState().conversations.map((c) => c.id)).toContain('new');
  });
});
