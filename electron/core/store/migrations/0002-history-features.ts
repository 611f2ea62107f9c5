import type { Migration } from './migration';

/**
 * Offline history: per-conversation settings, pin / archive / folders / trash, reply metadata on
 * messages, and full-text search over message text and conversation titles.
 *
 * Search uses FTS5 with the `trigram` tokenizer: it matches any substring of three or more
 * characters, so it works the same for words separated by spaces and for scripts that have none
 * (Chinese, Japanese), and `remove_diacritics 1` lets `resume` find `résumé`. Both indexes are
 * external-content tables (the text is stored once, in `messages` / `conversations`) kept in
 * sync by triggers. External content is addressed by rowid, and `messages` / `conversations` have
 * TEXT primary keys, so a VACUUM could renumber rows: run `rebuildSearchIndexes` after any VACUUM
 * (see repos/maintenance.ts).
 */
export const migration0002HistoryFeatures: Migration = {
  version: 2,
  name: 'history-features',
  up(db) {
    db.exec(`
      CREATE TABLE folders (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL
      ) STRICT;

      ALTER TABLE conversations ADD COLUMN system_prompt TEXT;
      ALTER TABLE conversations ADD COLUMN reply_language TEXT;
      ALTER TABLE conversations ADD COLUMN params_json TEXT
        CHECK (params_json IS NULL OR json_valid(params_json));
      ALTER TABLE conversations ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0
        CHECK (pinned IN (0, 1));
      ALTER TABLE conversations ADD COLUMN archived INTEGER NOT NULL DEFAULT 0
        CHECK (archived IN (0, 1));
      ALTER TABLE conversations ADD COLUMN folder_id TEXT
        REFERENCES folders (id) ON DELETE SET NULL;
      ALTER TABLE conversations ADD COLUMN deleted_at INTEGER;

      -- The sidebar: live conversations, pinned first, most recent first, paged by keyset on
      -- (pinned, updated_at, id) within one archived state. Trashed rows stay out of the index.
      DROP INDEX conversations_by_updated;
      CREATE INDEX conversations_sidebar
        ON conversations (archived, pinned, updated_at, id) WHERE deleted_at IS NULL;
      CREATE INDEX conversations_trash
        ON conversations (deleted_at) WHERE deleted_at IS NOT NULL;
      CREATE INDEX conversations_by_folder
        ON conversations (folder_id) WHERE folder_id IS NOT NULL;

      ALTER TABLE messages ADD COLUMN reply_language TEXT;
      ALTER TABLE messages ADD COLUMN detected_language TEXT;
      ALTER TABLE messages ADD COLUMN ttft_ms INTEGER;
      ALTER TABLE messages ADD COLUMN tokens_per_sec REAL;

      -- Branches: children of a message in creation order, and the roots of one conversation.
      DROP INDEX messages_by_parent;
      CREATE INDEX messages_by_parent ON messages (parent_id, created_at);
      CREATE INDEX messages_siblings ON messages (conversation_id, parent_id, created_at);

      CREATE VIRTUAL TABLE messages_fts USING fts5(
        content,
        content = 'messages',
        content_rowid = 'rowid',
        tokenize = 'trigram remove_diacritics 1'
      );

      CREATE TRIGGER messages_fts_after_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_fts (rowid, content) VALUES (new.rowid, new.content);
      END;

      CREATE TRIGGER messages_fts_after_delete AFTER DELETE ON messages BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content)
          VALUES ('delete', old.rowid, old.content);
      END;

      -- Only a change of the text reindexes: status, usage and timing updates do not, and neither
      -- does a finish that rewrites the same text the last checkpoint saved.
      CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF content ON messages
        WHEN old.content IS NOT new.content
      BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content)
          VALUES ('delete', old.rowid, old.content);
        INSERT INTO messages_fts (rowid, content) VALUES (new.rowid, new.content);
      END;

      CREATE VIRTUAL TABLE conversations_fts USING fts5(
        title,
        content = 'conversations',
        content_rowid = 'rowid',
        tokenize = 'trigram remove_diacritics 1'
      );

      CREATE TRIGGER conversations_fts_after_insert AFTER INSERT ON conversations BEGIN
        INSERT INTO conversations_fts (rowid, title) VALUES (new.rowid, new.title);
      END;

      CREATE TRIGGER conversations_fts_after_delete AFTER DELETE ON conversations BEGIN
        INSERT INTO conversations_fts (conversations_fts, rowid, title)
          VALUES ('delete', old.rowid, old.title);
      END;

      -- recordConversationActivity names title in every update; only a real change reindexes.
      CREATE TRIGGER conversations_fts_after_update AFTER UPDATE OF title ON conversations
        WHEN old.title IS NOT new.title
      BEGIN
        INSERT INTO conversations_fts (conversations_fts, rowid, title)
          VALUES ('delete', old.rowid, old.title);
        INSERT INTO conversations_fts (rowid, title) VALUES (new.rowid, new.title);
      END;

      INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
      INSERT INTO conversations_fts (conversations_fts) VALUES ('rebuild');
    `);
  },
};
