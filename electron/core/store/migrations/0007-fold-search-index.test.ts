import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { configureConnection, migrate, readSchemaVersion } from '../openDatabase';
import { markStreamingMessagesInterrupted } from '../repos/messages';
import { rebuildSearchIndexes } from '../repos/maintenance';
import {
  HIGHLIGHT_END,
  HIGHLIGHT_START,
  searchConversationTitles,
  searchMessages,
} from '../repos/search';
import { assertSearchIndexesConsistent } from '../../../../testing/store';
import { MIGRATIONS } from '.';

const ids = (db: Database.Database, query: string, chineseVariants = false) =>
  searchMessages(db, { query, chineseVariants })
    .map((hit) => hit.messageId)
    .sort();

describe('migration 0007: folded search indexes', () => {
  it('migrates a version-6 store: existing rows are found folded, a streaming one stays out', () => {
    const db = new Database(':memory:');
    configureConnection(db);
    migrate(db, MIGRATIONS.slice(0, 6));
    db.exec(`
      INSERT INTO conversations (id, title, provider, model, created_at, updated_at)
        VALUES ('c1', 'Fußball und 數據', 'mistral', 'mistral-small-latest', 1, 1),
               ('c2', 'Ёлка', 'mistral', 'mistral-small-latest', 2, 2);
      INSERT INTO messages (id, conversation_id, role, content, status, created_at, updated_at)
        VALUES ('de', 'c1', 'user', 'Treffpunkt: Hauptstraße 5', 'complete', 1, 1),
               ('ar', 'c1', 'assistant', 'العِلْمُ نور', 'complete', 2, 2),
               ('ru', 'c2', 'user', 'Ёжик в тумане', 'complete', 3, 3),
               ('tw', 'c2', 'assistant', '我們的數據庫', 'complete', 4, 4),
               ('fr', 'c2', 'user', 'Ça va ? "new york"', 'error', 5, 5),
               ('cut', 'c2', 'assistant', 'Straße partielle', 'streaming', 6, 6);
    `);
    // Version 6 misses them all.
    const v6 = (query: string) =>
      (
        db
          .prepare(
            'SELECT m.id FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid WHERE messages_fts MATCH ?',
          )
          .all(`"${query}"`) as { id: string }[]
      ).map((row) => row.id);
    expect(v6('strasse')).toEqual([]);
    expect(v6('ежик')).toEqual([]);
    expect(v6('العلم')).toEqual([]);

    migrate(db, MIGRATIONS.slice(0, 7));
    expect(readSchemaVersion(db)).toBe(7);
    expect(ids(db, 'strasse')).toEqual(['de']);
    expect(ids(db, 'ежик')).toEqual(['ru']);
    expect(ids(db, 'العلم')).toEqual(['ar']);
    expect(ids(db, 'ça')).toEqual(['fr']);
    expect(ids(db, '"new york"')).toEqual(['fr']);
    expect(ids(db, '数据库')).toEqual([]);
    expect(ids(db, '数据库', true)).toEqual(['tw']);
    expect(ids(db, '数据', true)).toEqual(['tw']);
    expect(searchMessages(db, { query: 'strasse' })[0]?.snippet).toBe(
      `Treffpunkt: Haupt${HIGHLIGHT_START}straße${HIGHLIGHT_END} 5`,
    );
    expect(
      searchConversationTitles(db, { query: 'fussball' }).map((h) => h.conversationId),
    ).toEqual(['c1']);
    expect(
      searchConversationTitles(db, { query: '数据', chineseVariants: true }).map(
        (h) => h.conversationId,
      ),
    ).toEqual(['c1']);
    expect(searchConversationTitles(db, { query: 'елка' })[0]?.highlighted).toBe(
      `${HIGHLIGHT_START}Ёлка${HIGHLIGHT_END}`,
    );
    // The streaming reply is in no index, and comes in once the startup recovery ends it.
    expect(ids(db, 'partielle')).toEqual([]);
    assertSearchIndexesConsistent(db);
    expect(markStreamingMessagesInterrupted(db, 10)).toBe(1);
    expect(ids(db, 'strasse')).toEqual(['cut', 'de']);
    assertSearchIndexesConsistent(db);

    // Triggers keep every index in step, and a rebuild (after a VACUUM) gives the same.
    db.prepare("UPDATE messages SET content = 'Maßband' WHERE id = 'de'").run();
    db.prepare("DELETE FROM messages WHERE id = 'ar'").run();
    db.prepare("UPDATE conversations SET title = 'Grüße' WHERE id = 'c1'").run();
    expect(ids(db, 'massband')).toEqual(['de']);
    expect(ids(db, 'العلم')).toEqual([]);
    expect(searchConversationTitles(db, { query: 'grusse' })).toHaveLength(1);
    assertSearchIndexesConsistent(db);
    rebuildSearchIndexes(db);
    expect(ids(db, 'massband')).toEqual(['de']);
    expect(ids(db, 'strasse')).toEqual(['cut']);
    assertSearchIndexesConsistent(db);
    db.close();
  });
});
