import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readSchemaVersion } from '../openDatabase';
import { cjkBigrams, registerSearchFunctions } from '../searchFunctions';
import { MIGRATIONS } from '.';

describe('migration 0004: CJK pair index', () => {
  it('indexes existing messages, and new and edited ones through triggers', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 3));
    db.exec(`
      INSERT INTO conversations (id, title, provider, model, created_at, updated_at)
        VALUES ('c1', '设计', 'mistral', 'mistral-small-latest', 1, 1);
      INSERT INTO messages (id, conversation_id, role, content, status, created_at, updated_at)
        VALUES ('old', 'c1', 'user', '我们的数据库很快', 'complete', 1, 1),
               ('latin', 'c1', 'user', 'no Chinese here', 'complete', 2, 2);
    `);
    migrate(db, MIGRATIONS.slice(0, 4));
    expect(readSchemaVersion(db)).toBe(4);
    // Straight from the pair index: searchMessages reads the latest schema (0007's folded text).
    const hits = (pair: string) =>
      (
        db
          .prepare(
            'SELECT m.id FROM messages_cjk k JOIN messages m ON m.rowid = k.rowid WHERE messages_cjk MATCH ?',
          )
          .all(`"${pair}"`) as { id: string }[]
      )
        .map((row) => row.id)
        .sort();
    expect(hits('数据')).toEqual(['old']);

    // A new connection registers the function before any write (configureConnection does it).
    registerSearchFunctions(db);
    db.prepare(
      `INSERT INTO messages (id, conversation_id, role, content, status, created_at, updated_at)
       VALUES ('new', 'c1', 'assistant', '数据很重要', 'complete', 3, 3)`,
    ).run();
    expect(hits('数据')).toEqual(['new', 'old']);
    db.prepare("UPDATE messages SET content = '天气很好' WHERE id = 'old'").run();
    expect(hits('数据')).toEqual(['new']);
    expect(hits('天气')).toEqual(['old']);
    db.prepare("DELETE FROM messages WHERE id = 'new'").run();
    expect(hits('数据')).toEqual([]);
    db.close();
  });

  it('pairs adjacent CJK characters across scripts and skips everything else', () => {
    expect(cjkBigrams('我们的数据')).toBe('我们 们的 的数 数据');
    expect(cjkBigrams('Use 東京 and 한국어!')).toBe('東京 한국 국어');
    expect(cjkBigrams('plain text')).toBe('');
  });
});
