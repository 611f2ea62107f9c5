import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, readSchemaVersion } from '../openDatabase';
import { findConversation, listConversations } from '../repos/conversations';
import { findMessage } from '../repos/messages';
import { listPathToLeaf } from '../repos/thread';
import { searchConversationTitles, searchMessages } from '../repos/search';
import { assertSearchIndexesConsistent, removeTempDirs, tempDir } from '../../../../testing/store';
import { migration0001Initial } from './0001-initial';
import { LATEST_SCHEMA_VERSION } from '.';

afterEach(removeTempDirs);

/** A version-1 file with real rows, written with the v1 schema's own SQL. */
function versionOneFile(): string {
  const file = path.join(tempDir(), 'causerie.db');
  const v1 = openDatabase(file, [migration0001Initial]);
  expect(readSchemaVersion(v1)).toBe(1);
  v1.exec(`
    INSERT INTO conversations (id, title, provider, model, active_leaf_id, created_at, updated_at)
    VALUES ('c1', 'Réunion budget', 'mistral', 'mistral-small-latest', 'm2', 1000, 3000),
           ('c2', '数据库设计', 'mistral', 'mistral-large-latest', NULL, 2000, 2000);
    INSERT INTO messages (id, conversation_id, parent_id, role, content, status, provider, model,
      prompt_tokens, completion_tokens, total_tokens, error_code, error_message, created_at, updated_at)
    VALUES
      ('m1', 'c1', NULL, 'user', 'Peux-tu résumer le budget ?', 'complete', NULL, NULL,
        NULL, NULL, NULL, NULL, NULL, 1000, 1000),
      ('m2', 'c1', 'm1', 'assistant', 'Voici le résumé du budget.', 'complete', 'mistral',
        'mistral-small-latest', 10, 20, 30, NULL, NULL, 1001, 1002),
      ('m3', 'c1', 'm2', 'assistant', 'cut off mid-sent', 'streaming', 'mistral',
        'mistral-small-latest', NULL, NULL, NULL, NULL, NULL, 1003, 1004);
  `);
  v1.close();
  return file;
}

describe('migration 0002 (history features)', () => {
  it('keeps version-1 rows, gives them defaults and makes them searchable', () => {
    // Through 0002 and every later step: the repos read the latest schema.
    const db = openDatabase(versionOneFile());
    expect(readSchemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);

    expect(findConversation(db, 'c1')).toEqual({
      id: 'c1',
      title: 'Réunion budget',
      model: { provider: 'mistral', model: 'mistral-small-latest' },
      createdAt: 1000,
      updatedAt: 3000,
      systemPrompt: null,
      replyLanguage: null,
      languageCorrection: 'auto',
      params: null,
      pinned: false,
      archived: false,
      folderId: null,
      allowRemoteImages: false,
      deletedAt: null,
    });
    expect(listConversations(db).map((c) => c.id)).toEqual(['c1', 'c2']);
    expect(listPathToLeaf(db, 'm2').map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(findMessage(db, 'm2')).toMatchObject({
      content: 'Voici le résumé du budget.',
      usage: { promptTokens: 10, completionTokens: 20, totalTokens: 30 },
      replyLanguage: null,
      detectedLanguage: null,
      ttftMs: null,
      tokensPerSec: null,
    });
    expect(findMessage(db, 'm3')?.status).toBe('streaming');

    // Existing text was indexed by the migration, accents folded.
    expect(
      searchMessages(db, { query: 'resume' })
        .map((h) => h.messageId)
        .sort(),
    ).toEqual(['m1', 'm2']);
    expect(searchMessages(db, { query: 'RESUME du' }).map((h) => h.messageId)).toEqual(['m2']);
    expect(
      searchMessages(db, { query: 'budget' })
        .map((h) => h.messageId)
        .sort(),
    ).toEqual(['m1', 'm2']);
    expect(searchConversationTitles(db, { query: '数据库' }).map((h) => h.conversationId)).toEqual([
      'c2',
    ]);
    expect(searchConversationTitles(db, { query: 'reunion' })).toHaveLength(1);
    assertSearchIndexesConsistent(db);
    db.close();
  });

  it('adds the columns, folders table, FTS tables, triggers and indexes it promises', () => {
    const db = openDatabase(versionOneFile());
    const columns = (table: string) =>
      (db.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name);
    expect(columns('conversations')).toEqual(
      expect.arrayContaining([
        'system_prompt',
        'reply_language',
        'params_json',
        'pinned',
        'archived',
        'folder_id',
        'deleted_at',
      ]),
    );
    expect(columns('messages')).toEqual(
      expect.arrayContaining(['reply_language', 'detected_language', 'ttft_ms', 'tokens_per_sec']),
    );
    expect(columns('folders')).toEqual(['id', 'name', 'created_at']);
    const names = (
      db
        .prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index', 'trigger')")
        .all() as {
        name: string;
      }[]
    ).map((r) => r.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'messages_fts',
        'conversations_fts',
        'messages_fts_after_insert',
        'messages_fts_after_delete',
        'messages_fts_after_update',
        'conversations_sidebar',
        'conversations_trash',
        'messages_siblings',
      ]),
    );
    expect(names).not.toContain('conversations_by_updated');
    const trigger = db
      .prepare("SELECT sql FROM sqlite_master WHERE name = 'messages_fts_after_update'")
      .get() as { sql: string };
    // Scoped to the indexed text (0005 adds the status, which decides whether a row is indexed).
    expect(trigger.sql).toMatch(/AFTER UPDATE OF content(, status)? ON messages/);
    db.close();
  });

  it('constrains the new flags and the parameters JSON', () => {
    const db = openDatabase(versionOneFile());
    expect(() => db.exec("UPDATE conversations SET pinned = 2 WHERE id = 'c1'")).toThrow(/CHECK/);
    expect(() => db.exec("UPDATE conversations SET params_json = '{oops' WHERE id = 'c1'")).toThrow(
      /CHECK/,
    );
    expect(() => db.exec("UPDATE conversations SET folder_id = 'nope' WHERE id = 'c1'")).toThrow(
      /FOREIGN KEY/,
    );
    db.close();
  });
});
