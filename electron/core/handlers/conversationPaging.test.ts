import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyEvent } from '../../../shared/contract';
import type { Conversation } from '../../../shared/domain';
import type { Result } from '../../../shared/errors';
import { createCore, type Core } from '../createCore';
import { createMemoryLogger } from '../logger';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real core on a temporary data folder, with two connected pages. */
function startCore() {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'causerie-paging-'));
  const core: Core = createCore({
    dataDir,
    keyVault: { get: () => 'key', set: () => undefined },
    logger: createMemoryLogger(),
    mistralBaseUrl: 'http://127.0.0.1:9',
    defaultModel: { provider: 'mistral', model: 'mistral-small-latest' },
  });
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
  cleanups.push(() => core.close());
  const page = () => {
    const events: AnyEvent[] = [];
    const clientId = core.connectClient((event) => events.push(event));
    const call = async <T>(method: string, input: unknown): Promise<T> => {
      const result = (await core.dispatch(method, input, { clientId })) as Result<T>;
      if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
      return result.value;
    };
    return { events, call };
  };
  return { mine: page(), other: page() };
}

describe('sidebar paging over the contract', () => {
  it('pages the unfiled list and counts every list', async () => {
    const { mine } = startCore();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++)
      ids.push((await mine.call<Conversation>('conversations.create', {})).id);
    await mine.call('conversations.setArchived', { conversationId: ids[0], archived: true });
    type Page = { conversations: Conversation[]; next: unknown };
    const first = await mine.call<Page>('conversations.page', {
      list: { kind: 'unfiled' },
      limit: 3,
    });
    expect(first.conversations).toHaveLength(3);
    const rest = await mine.call<Page>('conversations.page', {
      list: { kind: 'unfiled' },
      limit: 3,
      before: first.next,
    });
    expect(rest.next).toBeNull();
    expect(new Set([...first.conversations, ...rest.conversations].map((c) => c.id))).toEqual(
      new Set(ids.slice(1)),
    );
    expect(await mine.call('conversations.counts', {})).toEqual({
      live: 5,
      unfiled: 4,
      archived: 1,
      folders: {},
    });
  });

  it('tells the other pages what changed or left the sidebar, not the page that asked', async () => {
    const { mine, other } = startCore();
    const created = await mine.call<Conversation>('conversations.create', {});
    const conversationId = created.id;
    await mine.call('conversations.rename', { conversationId, title: 'Renamed' });
    await mine.call('conversations.setPinned', { conversationId, pinned: true });
    await mine.call('conversations.trash', { conversationId });
    await mine.call('conversations.restore', { conversationId });
    const seen = (events: AnyEvent[]) =>
      events.flatMap((e) =>
        e.name === 'conversations.changed'
          ? [`changed ${e.payload.conversation.title} ${e.payload.conversation.pinned}`]
          : e.name === 'conversations.removed'
            ? [`removed ${e.payload.conversationId === conversationId}`]
            : [],
      );
    expect(seen(other.events)).toEqual([
      'changed Renamed false',
      'changed Renamed true',
      'removed true',
      'changed Renamed true',
    ]);
    expect(seen(mine.events)).toEqual([]);
  });
});
