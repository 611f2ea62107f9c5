import { describe, expect, it } from 'vitest';
import type { SidebarCounts } from '../../../shared/contract';
import type { Conversation, Folder } from '../../../shared/domain';
import type { SidebarPage } from '../../stores/sidebarLists';
import {
  buildSidebarRows,
  countArchived,
  countFiled,
  type SidebarLayout,
  type SidebarRow,
} from './sidebarRows';
import { conversationFixture } from '../../../testing/conversationFixture';

const now = new Date(2026, 10, 24, 15, 0).getTime();
const hour = 3_600_000;

const conversation = (id: string, fields: Partial<Conversation> = {}) =>
  conversationFixture(id, { createdAt: now - hour, updatedAt: now - hour, ...fields });

const folder = (id: string, name = id): Folder => ({ id, name, createdAt: 1 });
const open: SidebarLayout = { view: 'conversations', collapsedFolderIds: [], folderDraft: false };
const archive: SidebarLayout = { ...open, view: 'archive' };

/** Each row as a short string, so whole layouts compare at a glance. */
function describeRows(rows: SidebarRow[]): string[] {
  return rows.map((row) => {
    switch (row.kind) {
      case 'folders-title':
        return 'FOLDERS';
      case 'folder-draft':
        return '(new folder)';
      case 'folder':
        return `${row.expanded ? 'v' : '>'} ${row.folder.name} (${row.count})`;
      case 'folder-empty':
        return '  (empty)';
      case 'header':
        return row.group.id.toUpperCase();
      case 'conversation':
        return `${row.inFolder ? '  ' : ''}${row.conversation.id}`;
      case 'archive-title':
        return `ARCHIVED (${row.count})`;
      case 'archive-empty':
        return '  (none)';
      case 'more':
        return `... ${row.list} (${row.loaded})`;
    }
  });
}

describe('buildSidebarRows', () => {
  const conversations = [
    conversation('loose'),
    conversation('pinned-loose', { pinned: true, updatedAt: now - 40 * 24 * hour }),
    conversation('work-old', { folderId: 'w', updatedAt: now - 3 * hour }),
    conversation('work-new', { folderId: 'w', updatedAt: now - 2 * hour }),
    conversation('work-pinned', { folderId: 'w', pinned: true, updatedAt: now - 9 * hour }),
    conversation('archived-filed', { folderId: 'w', archived: true }),
    conversation('archived', { archived: true, updatedAt: now - 5 * hour }),
    conversation('orphan', { folderId: 'gone', updatedAt: now - 30 * 60_000 }),
  ];
  const folders = [folder('r', 'Recipes'), folder('w', 'Work')];

  it('puts folders first, then recency groups, and leaves archived conversations out', () => {
    expect(describeRows(buildSidebarRows(conversations, folders, open, now))).toEqual([
      'FOLDERS',
      'v Recipes (0)',
      '  (empty)',
      'v Work (3)',
      '  work-pinned',
      '  work-new',
      '  work-old',
      'PINNED',
      'pinned-loose',
      'TODAY',
      'orphan',
      'loose',
    ]);
  });

  it('the archive view lists only archived conversations, newest first, wherever filed', () => {
    expect(describeRows(buildSidebarRows(conversations, folders, archive, now))).toEqual([
      'ARCHIVED (2)',
      'archived-filed',
      'archived',
    ]);
    expect(describeRows(buildSidebarRows([conversation('a')], folders, archive, now))).toEqual([
      'ARCHIVED (0)',
      '  (none)',
    ]);
    expect(countArchived(conversations)).toBe(2);
  });

  it('hides the conversations of folded folders and shows the new folder field', () => {
    const layout: SidebarLayout = { ...open, collapsedFolderIds: ['w'], folderDraft: true };
    expect(describeRows(buildSidebarRows(conversations, folders, layout, now))).toEqual([
      'FOLDERS',
      '(new folder)',
      'v Recipes (0)',
      '  (empty)',
      '> Work (3)',
      'PINNED',
      'pinned-loose',
      'TODAY',
      'orphan',
      'loose',
    ]);
  });

  it('gives every row a distinct id, so the virtualizer keeps rows apart', () => {
    const layout: SidebarLayout = { ...open, folderDraft: true };
    const ids = buildSidebarRows(conversations, folders, layout, now).map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('builds 10,000 conversations in folders quickly', () => {
    const many = Array.from({ length: 10_000 }, (_, i) =>
      conversation(`c${i}`, {
        updatedAt: now - i * hour,
        folderId: i % 10 === 0 ? 'w' : null,
        archived: i % 97 === 0,
      }),
    );
    const started = performance.now();
    const rows = buildSidebarRows(many, folders, open, now);
    expect(performance.now() - started).toBeLessThan(500);
    expect(rows.filter((row) => row.kind === 'conversation')).toHaveLength(
      10_000 - many.filter((c) => c.archived).length,
    );
  });
});

describe('countFiled', () => {
  it('counts archived conversations too: they also leave the folder when it is deleted', () => {
    expect(
      countFiled(
        [
          conversation('a', { folderId: 'w' }),
          conversation('b', { folderId: 'w', archived: true }),
          conversation('c'),
        ],
        'w',
      ),
    ).toBe(2);
  });
});

describe('buildSidebarRows while paging', () => {
  const counts = (fields: Partial<SidebarCounts> = {}): SidebarCounts => ({
    live: 0,
    unfiled: 0,
    archived: 0,
    folders: {},
    ...fields,
  });
  const loose = (i: number) => conversation(`c${i}`, { updatedAt: now - i * hour });

  it('shows only the loaded part of each list, then a row that loads more', () => {
    // c0..c3 known; the unfiled list is loaded down to c1, so c2 and c3 wait for their page.
    const rows = buildSidebarRows(
      [loose(3), loose(0), loose(2), loose(1)],
      [folder('w', 'Work')],
      {
        ...open,
        paging: {
          pages: { unfiled: { next: { pinned: false, updatedAt: now - hour, id: 'c1' } } },
          counts: counts({ live: 9, unfiled: 7, folders: { w: { shown: 2, filed: 2 } } }),
        },
      },
      now,
    );
    expect(describeRows(rows)).toEqual([
      'FOLDERS',
      'v Work (2)',
      '... folder:w (0)',
      'TODAY',
      'c0',
      'c1',
      '... unfiled (2)',
    ]);
  });

  it('a folder counted empty, or a list loaded to its end, has no row to load more', () => {
    const rows = buildSidebarRows(
      [loose(0)],
      [folder('w', 'Work')],
      {
        ...open,
        paging: { pages: { unfiled: { next: null } }, counts: counts({ unfiled: 5 }) },
      },
      now,
    );
    expect(describeRows(rows)).toEqual(['FOLDERS', 'v Work (0)', '  (empty)', 'TODAY', 'c0']);
  });

  it('the archive counts from the store until loaded whole', () => {
    const archived = conversation('a1', { archived: true, updatedAt: now - hour });
    const layout = (next: SidebarPage['next']): SidebarLayout => ({
      ...archive,
      paging: { pages: { archive: { next } }, counts: counts({ archived: 40 }) },
    });
    expect(describeRows(buildSidebarRows([archived], [], layout(archived), now))).toEqual([
      'ARCHIVED (40)',
      'a1',
      '... archive (1)',
    ]);
    expect(describeRows(buildSidebarRows([archived], [], layout(null), now))).toEqual([
      'ARCHIVED (1)',
      'a1',
    ]);
  });

  it('orders unfiled conversations that share a time by id, as the store pages them', () => {
    const same = ['b', 'c', 'a'].map((id) => conversation(id, { updatedAt: now - hour }));
    const rows = buildSidebarRows(
      same,
      [],
      {
        ...open,
        paging: { pages: { unfiled: { next: null } }, counts: null },
      },
      now,
    );
    expect(describeRows(rows)).toEqual(['FOLDERS', 'TODAY', 'c', 'b', 'a']);
  });
});

it('asks for no page before the first counts arrive (the start-up load is under way)', () => {
  const rows = buildSidebarRows(
    [],
    [folder('w', 'Work')],
    { ...open, paging: { pages: {}, counts: null } },
    Date.now(),
  );
  expect(rows.map((row) => row.kind)).toEqual(['folders-title', 'folder']);
});
