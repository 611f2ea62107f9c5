import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../openDatabase';
import {
  addConversation,
  addMessage,
  assertSearchIndexesConsistent,
  memoryDb,
} from '../../../../testing/store';
import { findConversation, listConversations } from './conversations';
import {
  listTrash,
  purgeConversation,
  purgeTrash,
  restoreConversation,
  trashConversation,
} from './trash';
import { findMessage } from './messages';

const DAY = 24 * 60 * 60 * 1000;
let db: Db;
beforeEach(() => {
  db = memoryDb();
  for (const id of ['a', 'b', 'c']) {
    addConversation(db, id, { title: `Title ${id}`, pinned: id === 'a' });
    addMessage(db, { id: `${id}1`, conversationId: id });
    addMessage(db, { id: `${id}2`, conversationId: id, parentId: `${id}1`, role: 'assistant' });
  }
});
afterEach(() => db.close());

const count = (table: string) =>
  (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('trash', () => {
  it('moves a conversation to the trash and back, exactly as it was', () => {
    const before = findConversation(db, 'a');
    expect(trashConversation(db, 'a', 10 * DAY)).toBe(true);
    expect(trashConversation(db, 'a', 11 * DAY)).toBe(false); // already there: keeps the first date
    expect(listConversations(db).map((c) => c.id)).not.toContain('a');
    expect(listTrash(db).map((c) => [c.id, c.deletedAt])).toEqual([['a', 10 * DAY]]);
    expect(findMessage(db, 'a2')).toBeDefined();

    expect(restoreConversation(db, 'a')).toBe(true);
    expect(restoreConversation(db, 'a')).toBe(false);
    expect(findConversation(db, 'a')).toEqual(before);
    expect(listConversations(db)[0]?.id).toBe('a'); // still pinned
    expect(listTrash(db)).toEqual([]);
  });

  it('lists the trash most recently deleted first', () => {
    trashConversation(db, 'a', 1 * DAY);
    trashConversation(db, 'c', 3 * DAY);
    trashConversation(db, 'b', 2 * DAY);
    expect(listTrash(db).map((c) => c.id)).toEqual(['c', 'b', 'a']);
  });

  it('purges only what has been in the trash long enough, with messages and search entries', () => {
    trashConversation(db, 'a', 1 * DAY);
    trashConversation(db, 'b', 20 * DAY);
    expect(purgeTrash(db, { now: 31 * DAY, olderThanDays: 30 })).toBe(1);
    expect(findConversation(db, 'a')).toBeUndefined();
    expect(findMessage(db, 'a1')).toBeUndefined();
    expect(findMessage(db, 'a2')).toBeUndefined();
    expect(findConversation(db, 'b')?.deletedAt).toBe(20 * DAY);
    expect(count('messages')).toBe(4);
    assertSearchIndexesConsistent(db);

    expect(purgeTrash(db, { now: 21 * DAY })).toBe(1); // everything in the trash
    expect(listTrash(db)).toEqual([]);
    expect(listConversations(db).map((c) => c.id)).toEqual(['c']);
    expect(count('messages')).toBe(2);
    assertSearchIndexesConsistent(db);
  });

  it('never purges a live conversation', () => {
    expect(purgeTrash(db, { now: 1000 * DAY })).toBe(0);
    expect(purgeConversation(db, 'c')).toBe(false);
    expect(findConversation(db, 'c')).toBeDefined();
    trashConversation(db, 'c', 1);
    expect(purgeConversation(db, 'c')).toBe(true);
    expect(findMessage(db, 'c1')).toBeUndefined();
    assertSearchIndexesConsistent(db);
  });
});
