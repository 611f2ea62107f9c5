import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../openDatabase';
import {
  addConversation,
  addMessage,
  assertSearchIndexesConsistent,
  memoryDb,
} from '../../../../testing/store';
import {
  checkSearchIndexes,
  rebuildSearchIndexes,
  runQuickCheck,
  vacuumDatabase,
} from './maintenance';
import { searchMessages } from './search';

let db: Db;
beforeEach(() => {
  db = memoryDb();
  addConversation(db, 'c');
  addMessage(db, { id: 'm1', conversationId: 'c', content: 'the platypus lays eggs' });
  addMessage(db, { id: 'm2', conversationId: 'c', content: 'the echidna too' });
  addMessage(db, { id: 'm3', conversationId: 'c', content: '鸭嘴兽会下蛋' });
});
afterEach(() => db.close());

describe('maintenance', () => {
  it('reports a healthy store as ok', () => {
    expect(runQuickCheck(db)).toEqual({ ok: true });
    expect(checkSearchIndexes(db)).toBe(true);
  });

  it('detects a search index out of step with the text and rebuilds it', () => {
    // Simulate drift (as a VACUUM renumbering rows could cause): drop one row from the index.
    db.exec(`INSERT INTO messages_fts (messages_fts, rowid, content)
             SELECT 'delete', rowid, content FROM messages WHERE id = 'm1'`);
    expect(searchMessages(db, { query: 'platypus' })).toEqual([]);
    expect(checkSearchIndexes(db)).toBe(false);
    rebuildSearchIndexes(db);
    expect(checkSearchIndexes(db)).toBe(true);
    expect(searchMessages(db, { query: 'platypus' }).map((h) => h.messageId)).toEqual(['m1']);
  });

  it('rebuilds the CJK pair index too, and leaves a reply that is streaming out of both', () => {
    db.exec(`DELETE FROM messages_cjk WHERE rowid = (SELECT rowid FROM messages WHERE id = 'm3')`);
    addMessage(db, { id: 's', conversationId: 'c', content: '', status: 'streaming' });
    db.prepare("UPDATE messages SET content = '鸭嘴兽 platypus too' WHERE id = 's'").run();
    expect(searchMessages(db, { query: '鸭嘴' })).toEqual([]);
    rebuildSearchIndexes(db);
    expect(searchMessages(db, { query: '鸭嘴' }).map((h) => h.messageId)).toEqual(['m3']);
    expect(searchMessages(db, { query: 'platypus' }).map((h) => h.messageId)).toEqual(['m1']);
    assertSearchIndexesConsistent(db);
  });

  it('vacuums and keeps search working', () => {
    db.exec("DELETE FROM messages WHERE id = 'm1'");
    vacuumDatabase(db);
    expect(checkSearchIndexes(db)).toBe(true);
    expect(searchMessages(db, { query: 'echidna' }).map((h) => h.messageId)).toEqual(['m2']);
  });
});
