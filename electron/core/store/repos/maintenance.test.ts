import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../openDatabase';
import { addConversation, addMessage, memoryDb } from '../testSupport';
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

  it('vacuums and keeps search working', () => {
    db.exec("DELETE FROM messages WHERE id = 'm1'");
    vacuumDatabase(db);
    expect(checkSearchIndexes(db)).toBe(true);
    expect(searchMessages(db, { query: 'echidna' }).map((h) => h.messageId)).toEqual(['m2']);
  });
});
