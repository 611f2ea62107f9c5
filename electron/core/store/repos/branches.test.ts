import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../openDatabase';
import { addConversation, addMessage, memoryDb } from '../../../../testing/store';
import { deleteMessage, switchToBranch } from './branches';
import { findActiveLeafId, recordConversationActivity, setActiveLeaf } from './conversations';
import {
  findLatestLeafUnder,
  listPathToLeaf,
  listSiblings,
  listThread,
  listThreadPage,
} from './thread';

let db: Db;

/**
 * u1 ─ a1 ─ u2  ─ a2
 *         └ u2' ─ a2' (regenerated) ─ u3'
 *               └ a2''
 * plus a second root: u1b (the first message edited) ─ a1b
 */
beforeEach(() => {
  db = memoryDb();
  addConversation(db, 'c');
  addConversation(db, 'other');
  addMessage(db, { id: 'u1', conversationId: 'c', createdAt: 1 });
  addMessage(db, {
    id: 'a1',
    conversationId: 'c',
    parentId: 'u1',
    role: 'assistant',
    createdAt: 2,
  });
  addMessage(db, { id: 'u2', conversationId: 'c', parentId: 'a1', createdAt: 3 });
  addMessage(db, {
    id: 'a2',
    conversationId: 'c',
    parentId: 'u2',
    role: 'assistant',
    createdAt: 4,
  });
  // Editing u2 inserts a sibling user message; nothing is overwritten.
  addMessage(db, {
    id: "u2'",
    conversationId: 'c',
    parentId: 'a1',
    createdAt: 5,
    content: 'edited',
  });
  addMessage(db, {
    id: "a2'",
    conversationId: 'c',
    parentId: "u2'",
    role: 'assistant',
    createdAt: 6,
  });
  addMessage(db, { id: "u3'", conversationId: 'c', parentId: "a2'", createdAt: 7 });
  // Regenerating a2' inserts a sibling assistant message.
  addMessage(db, {
    id: "a2''",
    conversationId: 'c',
    parentId: "u2'",
    role: 'assistant',
    createdAt: 8,
  });
  // Editing the very first message makes a second root.
  addMessage(db, { id: 'u1b', conversationId: 'c', createdAt: 9 });
  addMessage(db, {
    id: 'a1b',
    conversationId: 'c',
    parentId: 'u1b',
    role: 'assistant',
    createdAt: 10,
  });
  // A root in another conversation is never a sibling.
  addMessage(db, { id: 'x1', conversationId: 'other', createdAt: 1 });
  recordConversationActivity(db, { id: 'c', activeLeafId: "a2''", updatedAt: 10 });
});
afterEach(() => db.close());

const idsOf = (messages: { id: string }[]) => messages.map((m) => m.id);

describe('message branches', () => {
  it('keeps the original when a message is edited or regenerated', () => {
    expect(idsOf(listPathToLeaf(db, 'a2'))).toEqual(['u1', 'a1', 'u2', 'a2']);
    expect(idsOf(listPathToLeaf(db, "a2''"))).toEqual(['u1', 'a1', "u2'", "a2''"]);
  });

  it('lists siblings oldest first, for children and for roots of one conversation', () => {
    expect(idsOf(listSiblings(db, 'u2'))).toEqual(['u2', "u2'"]);
    expect(idsOf(listSiblings(db, "u2'"))).toEqual(['u2', "u2'"]);
    expect(idsOf(listSiblings(db, "a2''"))).toEqual(["a2'", "a2''"]);
    expect(idsOf(listSiblings(db, 'a1'))).toEqual(['a1']);
    expect(idsOf(listSiblings(db, 'u1'))).toEqual(['u1', 'u1b']);
    expect(idsOf(listSiblings(db, 'x1'))).toEqual(['x1']);
    expect(listSiblings(db, 'missing')).toEqual([]);
  });

  it('orders siblings created in the same millisecond by insertion', () => {
    addMessage(db, { id: 'zz', conversationId: 'c', parentId: 'a2', createdAt: 50 });
    addMessage(db, { id: 'aa', conversationId: 'c', parentId: 'a2', createdAt: 50 });
    expect(idsOf(listSiblings(db, 'aa'))).toEqual(['zz', 'aa']);
    expect(findLatestLeafUnder(db, 'a2')).toBe('aa');
  });

  it('lists the thread with each message’s position among its siblings', () => {
    expect(
      listThread(db, "a2''").map((e) => [e.message.id, e.siblingIndex, e.siblingCount]),
    ).toEqual([
      ['u1', 0, 2],
      ['a1', 0, 1],
      ["u2'", 1, 2],
      ["a2''", 1, 2],
    ]);
    expect(listThread(db, 'missing')).toEqual([]);
  });

  it('pages the thread: the last messages, with the same sibling positions as the whole list', () => {
    const whole = listThread(db, "a2''");
    expect(listThreadPage(db, "a2''", { limit: 100 })).toEqual({ entries: whole, earlier: 0 });
    const last = listThreadPage(db, "a2''", { limit: 2 });
    expect(last?.entries).toEqual(whole.slice(2));
    expect(last?.earlier).toBe(2);
    // The page above a message is found from that message alone, whatever branch is active.
    expect(listThreadPage(db, "u2'", { limit: 2, endBefore: "u2'" })).toEqual({
      entries: whole.slice(0, 2),
      earlier: 0,
    });
    expect(listThreadPage(db, "a2''", { limit: 1, endBefore: 'a1' })).toEqual({
      entries: whole.slice(0, 1),
      earlier: 0,
    });
    expect(listThreadPage(db, "a2''", { limit: 0, endBefore: 'u1' })).toEqual({
      entries: [],
      earlier: 0,
    });
  });

  it('widens a page upward to include a message asked for, and refuses messages off the path', () => {
    const page = listThreadPage(db, "a2''", { limit: 1, include: 'a1' });
    expect(page?.entries.map((e) => e.message.id)).toEqual(['u1', 'a1', "u2'", "a2''"]);
    expect(page?.earlier).toBe(0);
    // A message on another branch changes nothing.
    expect(listThreadPage(db, "a2''", { limit: 1, include: 'u2' })?.earlier).toBe(3);
    expect(listThreadPage(db, "a2''", { limit: 5, endBefore: 'u2' })).toBeUndefined();
    expect(listThreadPage(db, 'missing', { limit: 5 })).toBeUndefined();
  });

  it('finds the most recent leaf under a message', () => {
    expect(findLatestLeafUnder(db, 'u1')).toBe("a2''");
    expect(findLatestLeafUnder(db, "a2'")).toBe("u3'");
    expect(findLatestLeafUnder(db, 'u2')).toBe('a2');
    expect(findLatestLeafUnder(db, 'a2')).toBe('a2');
    expect(findLatestLeafUnder(db, 'missing')).toBeUndefined();
  });

  it('switches branch: the active leaf moves and the thread follows', () => {
    const switched = switchToBranch(db, 'u2');
    expect(switched?.leafId).toBe('a2');
    expect(findActiveLeafId(db, 'c')).toBe('a2');
    expect(idsOf(listPathToLeaf(db, 'a2'))).toEqual(['u1', 'a1', 'u2', 'a2']);
    expect(switchToBranch(db, "a2'")?.leafId).toBe("u3'");
    expect(idsOf(listPathToLeaf(db, findActiveLeafId(db, 'c') ?? ''))).toEqual([
      'u1',
      'a1',
      "u2'",
      "a2'",
      "u3'",
    ]);
    expect(switchToBranch(db, 'u1b')?.leafId).toBe('a1b');
    expect(switchToBranch(db, 'missing')).toBeUndefined();
    expect(findActiveLeafId(db, 'c')).toBe('a1b');
  });

  it('refuses an active leaf from another conversation', () => {
    expect(setActiveLeaf(db, 'c', 'x1')).toBe(false);
    expect(setActiveLeaf(db, 'c', 'missing')).toBe(false);
    expect(findActiveLeafId(db, 'c')).toBe("a2''");
    expect(setActiveLeaf(db, 'c', 'a2')).toBe(true);
    expect(findActiveLeafId(db, 'c')).toBe('a2');
  });

  it('does not bump updated_at when switching branch', () => {
    const before = db.prepare("SELECT updated_at FROM conversations WHERE id = 'c'").get();
    switchToBranch(db, 'u2');
    expect(db.prepare("SELECT updated_at FROM conversations WHERE id = 'c'").get()).toEqual(before);
  });
});

describe('deleting a message', () => {
  it('closes the thread over the gap: the replies below move up to its parent', () => {
    // The active thread is u1 ─ a1 ─ u2' ─ a2''; delete u2' (it has two replies).
    expect(deleteMessage(db, "u2'")).toEqual({
      deleted: true,
      conversationId: 'c',
      leafId: "a2''",
    });
    expect(idsOf(listPathToLeaf(db, "a2''"))).toEqual(['u1', 'a1', "a2''"]);
    expect(idsOf(listSiblings(db, "a2'"))).toEqual(['u2', "a2'", "a2''"]);
    expect(findActiveLeafId(db, 'c')).toBe("a2''");
    expect(deleteMessage(db, "u2'")).toEqual({ deleted: false, reason: 'not-found' });
  });

  it('moves the conversation to the latest remaining branch when its last message goes', () => {
    expect(deleteMessage(db, "a2''")).toMatchObject({ deleted: true, leafId: "u3'" });
    expect(findActiveLeafId(db, 'c')).toBe("u3'");
    // Deleting every message of the other root leaves that conversation ending elsewhere, then empty.
    switchToBranch(db, 'a1b');
    deleteMessage(db, 'a1b');
    expect(findActiveLeafId(db, 'c')).toBe('u1b');
  });

  it('empties a conversation whose only message is deleted', () => {
    addConversation(db, 'solo');
    addMessage(db, { id: 's1', conversationId: 'solo', createdAt: 1 });
    setActiveLeaf(db, 'solo', 's1');
    expect(deleteMessage(db, 's1')).toEqual({
      deleted: true,
      conversationId: 'solo',
      leafId: null,
    });
    expect(findActiveLeafId(db, 'solo')).toBeNull();
  });

  it('refuses a reply that is still streaming', () => {
    addMessage(db, {
      id: 'live',
      conversationId: 'c',
      parentId: "u3'",
      role: 'assistant',
      status: 'streaming',
      createdAt: 60,
    });
    expect(deleteMessage(db, 'live')).toEqual({ deleted: false, reason: 'streaming' });
    expect(idsOf(listSiblings(db, 'live'))).toEqual(['live']);
  });
});
