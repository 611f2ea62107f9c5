import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, readSchemaVersion } from '../openDatabase';
import { findConversation, updateConversationSettings } from '../repos/conversations';
import { MIGRATIONS } from '.';

describe('migration 0006: remote images per conversation', () => {
  it('leaves remote images off for existing conversations, and lets one turn them on', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 5));
    db.prepare(
      `INSERT INTO conversations (id, title, provider, model, created_at, updated_at)
       VALUES ('c1', 'Avant', 'mistral', 'mistral-small-latest', 1, 2)`,
    ).run();
    migrate(db, MIGRATIONS.slice(0, 6));
    expect(readSchemaVersion(db)).toBe(6);
    expect(findConversation(db, 'c1')).toMatchObject({ title: 'Avant', allowRemoteImages: false });
    updateConversationSettings(db, 'c1', { allowRemoteImages: true });
    expect(findConversation(db, 'c1')?.allowRemoteImages).toBe(true);
    // Other settings leave it as it is.
    updateConversationSettings(db, 'c1', { languageCorrection: 'off' });
    expect(findConversation(db, 'c1')?.allowRemoteImages).toBe(true);
    expect(() => db.prepare('UPDATE conversations SET allow_remote_images = 2').run()).toThrow(
      /CHECK/,
    );
    db.close();
  });
});
