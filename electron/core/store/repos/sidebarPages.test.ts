import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../openDatabase';
import { addConversation, memoryDb } from '../../../../testing/store';
import { listConversations, type ConversationCursor } from './conversations';
import { insertFolder } from './folders';
import { countSidebar, listSidebarPage, type SidebarList } from './sidebarPages';
import { trashConversation } from './trash';

const COUNT = 3_000;
let db: Db;
beforeAll(() => {
  db = memoryDb();
  insertFolder(db, { id: 'f1', name: 'Travail', createdAt: 1 });
  insertFolder(db, { id: 'f2', name: 'Maison', createdAt: 1 });
  db.transaction(() => {
    for (let i = 0; i < COUNT; i++) {
      // Shared updated_at values exercise the id tie-break; a few pinned rows in every list.
      addConversation(db, `c${String(i).padStart(5, '0')}`, {
        updatedAt: Math.floor(i / 4),
        pinned: i % 97 === 0,
        archived: i % 11 === 0,
        folderId: i % 5 === 0 ? 'f1' : i % 13 === 0 ? 'f2' : null,
      });
    }
    trashConversation(db, 'c00003', 1);
  })();
});
afterAll(() => db.close());

function walk(list: SidebarList, limit: number): string[] {
  const seen: string[] = [];
  let before: ConversationCursor | null = null;
  do {
    const page = listSidebarPage(db, { list, limit, before });
    seen.push(...page.conversations.map((c) => c.id));
    before = page.next;
  } while (before);
  return seen;
}

const all = () => listConversations(db, { limit: COUNT, includeArchived: true });
const newestFirst = (a: { updatedAt: number; id: string }, b: { updatedAt: number; id: string }) =>
  b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : -1);

describe('listSidebarPage', () => {
  it('walks the unfiled list in sidebar order, each exactly once, without the filed, archived or trashed', () => {
    const expected = all()
      .filter((c) => !c.archived && c.folderId === null)
      .map((c) => c.id);
    expect(walk({ kind: 'unfiled' }, 100)).toEqual(expected);
    expect(expected).not.toContain('c00003');
    expect(expected.length).toBeGreaterThan(1000);
  });

  it("walks one folder's live conversations, pinned first", () => {
    const expected = all()
      .filter((c) => !c.archived && c.folderId === 'f1')
      .map((c) => c.id);
    const seen = walk({ kind: 'folder', folderId: 'f1' }, 50);
    expect(seen).toEqual(expected);
    expect(seen.length).toBeGreaterThan(100);
  });

  it('walks the archive by recency alone, wherever its conversations are filed', () => {
    const expected = all()
      .filter((c) => c.archived)
      .sort(newestFirst)
      .map((c) => c.id);
    expect(walk({ kind: 'archive' }, 30)).toEqual(expected);
    // A pinned archived conversation is not lifted to the top of the archive.
    expect(expected[0]).not.toBe('c00000');
  });

  it('ends with next = null; a full last page is followed by an empty one', () => {
    const first = listSidebarPage(db, { list: { kind: 'folder', folderId: 'f2' }, limit: 10_000 });
    expect(first.next).toBeNull();
    const exact = listSidebarPage(db, {
      list: { kind: 'folder', folderId: 'f2' },
      limit: first.conversations.length,
    });
    expect(exact.next).not.toBeNull();
    expect(
      listSidebarPage(db, {
        list: { kind: 'folder', folderId: 'f2' },
        limit: 10,
        before: exact.next,
      }),
    ).toEqual({ conversations: [], next: null });
  });

  it('uses the sidebar index for the unfiled list (no sort)', () => {
    const detail = (
      db
        .prepare(
          `EXPLAIN QUERY PLAN SELECT id FROM conversations
            WHERE deleted_at IS NULL AND archived = 0 AND folder_id IS NULL
              AND (pinned, updated_at, id) < (?, ?, ?)
            ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT 100`,
        )
        .all(0, 500, 'c02000') as { detail: string }[]
    )
      .map((row) => row.detail)
      .join(' | ');
    expect(detail).toMatch(/INDEX conversations_sidebar/);
    expect(detail).not.toMatch(/TEMP B-TREE/);
  });
});

describe('countSidebar', () => {
  it('counts every list as the pages list them', () => {
    const counts = countSidebar(db);
    const live = all();
    expect(counts.live).toBe(live.length);
    expect(counts.unfiled).toBe(walk({ kind: 'unfiled' }, 500).length);
    expect(counts.archived).toBe(live.filter((c) => c.archived).length);
    expect(counts.folders.f1).toEqual({
      shown: walk({ kind: 'folder', folderId: 'f1' }, 500).length,
      filed: live.filter((c) => c.folderId === 'f1').length,
    });
    expect(Object.keys(counts.folders).sort()).toEqual(['f1', 'f2']);
  });

  it('answers zeros on an empty store', () => {
    const empty = memoryDb();
    expect(countSidebar(empty)).toEqual({ live: 0, unfiled: 0, archived: 0, folders: {} });
    empty.close();
  });
});
