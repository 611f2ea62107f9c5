import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../openDatabase';
import { addConversation, addMessage, memoryDb } from '../../../../testing/store';
import {
  findConversation,
  listConversations,
  listConversationsPage,
  recordConversationActivity,
  renameConversation,
  setConversationArchived,
  setConversationPinned,
  updateConversationSettings,
  type ConversationCursor,
} from './conversations';
import { trashConversation } from './trash';

let db: Db;
beforeEach(() => {
  db = memoryDb();
});
afterEach(() => db.close());

const ids = (list: { id: string }[]) => list.map((c) => c.id);

describe('conversation list', () => {
  beforeEach(() => {
    addConversation(db, 'old', { updatedAt: 100 });
    addConversation(db, 'mid', { updatedAt: 200 });
    addConversation(db, 'new', { updatedAt: 300 });
    addConversation(db, 'pinned-old', { updatedAt: 50, pinned: true });
  });

  it('puts pinned first, then the most recently active', () => {
    expect(ids(listConversations(db))).toEqual(['pinned-old', 'new', 'mid', 'old']);
    setConversationPinned(db, 'pinned-old', false);
    setConversationPinned(db, 'old', true);
    expect(ids(listConversations(db))).toEqual(['old', 'new', 'mid', 'pinned-old']);
    expect(findConversation(db, 'old')?.pinned).toBe(true);
  });

  it('leaves out the trash always and the archive unless asked', () => {
    trashConversation(db, 'mid', 1);
    setConversationArchived(db, 'new', true);
    expect(ids(listConversations(db))).toEqual(['pinned-old', 'old']);
    expect(ids(listConversations(db, { includeArchived: true }))).toEqual([
      'pinned-old',
      'new',
      'old',
    ]);
    expect(ids(listConversations(db, { limit: 1 }))).toEqual(['pinned-old']);
    expect(ids(listConversationsPage(db, { limit: 10, archived: true }).conversations)).toEqual([
      'new',
    ]);
    setConversationArchived(db, 'new', false);
    expect(ids(listConversations(db))).toContain('new');
  });

  it('renames without reordering; new activity reorders', () => {
    expect(renameConversation(db, 'old', 'Renamed')).toBe(true);
    expect(findConversation(db, 'old')?.title).toBe('Renamed');
    expect(ids(listConversations(db)).at(-1)).toBe('old');
    expect(renameConversation(db, 'missing', 'x')).toBe(false);
    addMessage(db, { id: 'm', conversationId: 'old' });
    recordConversationActivity(db, { id: 'old', activeLeafId: 'm', updatedAt: 999 });
    expect(ids(listConversations(db))).toEqual(['pinned-old', 'old', 'new', 'mid']);
    // An explicit title is not replaced by the automatic one.
    expect(findConversation(db, 'old')?.title).toBe('Renamed');
  });

  it('saves per-conversation settings, keeping what is not given', () => {
    expect(
      updateConversationSettings(db, 'old', {
        systemPrompt: 'Tu es concis.',
        replyLanguage: 'fr',
        params: { temperature: 0.3, maxTokens: 512 },
      }),
    ).toBe(true);
    updateConversationSettings(db, 'old', { replyLanguage: null });
    expect(findConversation(db, 'old')).toMatchObject({
      systemPrompt: 'Tu es concis.',
      replyLanguage: null,
      params: { temperature: 0.3, maxTokens: 512 },
      updatedAt: 100,
    });
    updateConversationSettings(db, 'old', {
      model: { provider: 'mistral', model: 'mistral-large-latest' },
    });
    expect(findConversation(db, 'old')?.model.model).toBe('mistral-large-latest');
    expect(findConversation(db, 'old')?.systemPrompt).toBe('Tu es concis.');
    expect(updateConversationSettings(db, 'missing', { systemPrompt: 'x' })).toBe(false);
  });
});

describe('listConversationsPage (keyset pagination)', () => {
  const COUNT = 10_000;
  // One 10,000-row store for the whole block: filling it is the slow part.
  let big: Db;
  beforeAll(() => {
    big = memoryDb();
    const db = big;
    db.transaction(() => {
      for (let i = 0; i < COUNT; i++) {
        // Many share an updated_at, so the id tie-break is exercised.
        addConversation(db, `c${String(i).padStart(5, '0')}`, {
          updatedAt: Math.floor(i / 3),
          pinned: i % 1000 === 0,
          archived: i % 7 === 0 && i % 1000 !== 0,
        });
      }
      trashConversation(db, 'c00001', 1);
    })();
  });
  afterAll(() => big.close());

  it('walks 10,000 conversations page by page in the list order, each exactly once', () => {
    const expected = ids(listConversations(big, { limit: COUNT }));
    const seen: string[] = [];
    let before: ConversationCursor | null = null;
    let pages = 0;
    const started = performance.now();
    do {
      const page = listConversationsPage(big, { limit: 100, before });
      seen.push(...ids(page.conversations));
      before = page.next;
      pages++;
    } while (before);
    const elapsed = performance.now() - started;
    expect(seen).toEqual(expected);
    expect(seen.slice(0, 10).every((id) => findConversation(big, id)?.pinned)).toBe(true);
    expect(seen).not.toContain('c00001');
    expect(seen).not.toContain('c00007'); // archived
    expect(pages).toBe(Math.ceil(expected.length / 100) + (expected.length % 100 === 0 ? 1 : 0));
    // Generous: ~85 pages on a slow CI machine; a full scan per page would take far longer.
    expect(elapsed).toBeLessThan(2000);
  });

  it('uses the sidebar index for order and range (no sort, no full scan)', () => {
    const plan = (sql: string, ...params: unknown[]) =>
      (big.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
        .map((row) => row.detail)
        .join(' | ');
    const paged = plan(
      `SELECT id FROM conversations
        WHERE deleted_at IS NULL AND archived = ? AND (pinned, updated_at, id) < (?, ?, ?)
        ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ?`,
      0,
      0,
      100,
      'c00300',
      100,
    );
    expect(paged).toMatch(/USING (COVERING )?INDEX conversations_sidebar/);
    expect(paged).not.toMatch(/TEMP B-TREE/);
    const first = plan(
      `SELECT id FROM conversations WHERE deleted_at IS NULL AND archived = ?
        ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ?`,
      0,
      100,
    );
    expect(first).toMatch(/INDEX conversations_sidebar/);
    expect(first).not.toMatch(/TEMP B-TREE/);
  });

  it('ends with next = null and handles a cursor past the end', () => {
    const last = listConversationsPage(big, {
      limit: 100,
      before: { pinned: false, updatedAt: 0, id: 'c00000' },
    });
    expect(last.conversations).toEqual([]);
    expect(last.next).toBeNull();
  });
});
