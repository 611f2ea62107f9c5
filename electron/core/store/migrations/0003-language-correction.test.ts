import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readSchemaVersion } from '../openDatabase';
import { findConversation, updateConversationSettings } from '../repos/conversations';
import { migration0001Initial } from './0001-initial';
import { migration0002HistoryFeatures } from './0002-history-features';
import { MIGRATIONS } from '.';

describe('migration 0003: language correction policy', () => {
  it('gives existing conversations the auto policy and keeps their rows', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, [migration0001Initial, migration0002HistoryFeatures]);
    db.prepare(
      `INSERT INTO conversations (id, title, provider, model, created_at, updated_at, reply_language)
       VALUES ('c1', 'Avant', 'mistral', 'mistral-small-latest', 1, 2, 'fr')`,
    ).run();
    migrate(db, MIGRATIONS.slice(0, 3));
    expect(readSchemaVersion(db)).toBe(3);
    // The repos read columns later migrations add.
    migrate(db, MIGRATIONS);
    expect(findConversation(db, 'c1')).toMatchObject({
      title: 'Avant',
      replyLanguage: 'fr',
      languageCorrection: 'auto',
    });
    updateConversationSettings(db, 'c1', { languageCorrection: 'ask' });
    expect(findConversation(db, 'c1')?.languageCorrection).toBe('ask');
    expect(() =>
      db.prepare("UPDATE conversations SET language_correction = 'sometimes'").run(),
    ).toThrow(/CHECK/);
    db.close();
  });
});
