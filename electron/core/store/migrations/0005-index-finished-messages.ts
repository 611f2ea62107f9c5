import { registerSearchFunctions } from '../searchFunctions';
import type { Migration } from './migration';

/**
 * Search indexes hold finished messages only: a reply is indexed once, when it stops streaming.
 *
 * While a reply streams, its text is checkpointed every 500 ms, and the triggers of 0002 / 0004
 * re-indexed the whole message at each checkpoint: 0.2-0.7 s per checkpoint of a 1 MB reply
 * (measured in the test beside this file), on the thread that also has to answer Stop. Now a row whose status is `streaming` is in neither
 * index; the update that gives it a final status (done, error, cancelled, or `interrupted` by
 * the startup recovery after a crash) indexes it once. The cost: searching while a reply streams
 * does not find its partial text, only its final text once it ends.
 *
 * The trigram index reads its text through the view `messages_searchable` (every message not
 * streaming) instead of the `messages` table, so the index and its content source agree row for
 * row: `integrity-check` with rank 1 holds while a reply streams, and `rebuild` leaves streaming
 * rows out by itself. FTS5 cannot change the content source of an existing table, so the index
 * is built again here, once (like 0002 and 0004 did for existing text).
 *
 * The delete and update triggers send FTS5 `delete` only for a row that was indexed, with exactly
 * the values it was indexed with (a `delete` with other values corrupts an external-content
 * index). The contentless CJK pair index follows the same rule.
 */
export const migration0005IndexFinishedMessages: Migration = {
  version: 5,
  name: 'index-finished-messages',
  up(db) {
    registerSearchFunctions(db);
    db.exec(`
      DROP TRIGGER messages_fts_after_insert;
      DROP TRIGGER messages_fts_after_delete;
      DROP TRIGGER messages_fts_after_update;
      DROP TRIGGER messages_cjk_after_insert;
      DROP TRIGGER messages_cjk_after_delete;
      DROP TRIGGER messages_cjk_after_update;
      DROP TABLE messages_fts;

      CREATE VIEW messages_searchable AS
        SELECT rowid AS message_rowid, content FROM messages WHERE status <> 'streaming';

      CREATE VIRTUAL TABLE messages_fts USING fts5(
        content,
        content = 'messages_searchable',
        content_rowid = 'message_rowid',
        tokenize = 'trigram remove_diacritics 1'
      );

      CREATE TRIGGER messages_fts_after_insert AFTER INSERT ON messages
        WHEN new.status <> 'streaming'
      BEGIN
        INSERT INTO messages_fts (rowid, content) VALUES (new.rowid, new.content);
      END;

      CREATE TRIGGER messages_fts_after_delete AFTER DELETE ON messages
        WHEN old.status <> 'streaming'
      BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content)
          VALUES ('delete', old.rowid, old.content);
      END;

      -- Fires when an indexed row's text changes or a row enters or leaves the index (a reply
      -- finishing); never for a checkpoint (streaming to streaming) nor a status change between
      -- final statuses with the same text.
      CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF content, status ON messages
        WHEN (old.status <> 'streaming' OR new.status <> 'streaming')
         AND (old.content IS NOT new.content
              OR (old.status = 'streaming') <> (new.status = 'streaming'))
      BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content)
          SELECT 'delete', old.rowid, old.content WHERE old.status <> 'streaming';
        INSERT INTO messages_fts (rowid, content)
          SELECT new.rowid, new.content WHERE new.status <> 'streaming';
      END;

      CREATE TRIGGER messages_cjk_after_insert AFTER INSERT ON messages
        WHEN new.status <> 'streaming'
      BEGIN
        INSERT INTO messages_cjk (rowid, bigrams)
          SELECT new.rowid, b FROM (SELECT causerie_cjk_bigrams(new.content) AS b) WHERE b <> '';
      END;

      CREATE TRIGGER messages_cjk_after_delete AFTER DELETE ON messages
        WHEN old.status <> 'streaming'
      BEGIN
        DELETE FROM messages_cjk WHERE rowid = old.rowid;
      END;

      CREATE TRIGGER messages_cjk_after_update AFTER UPDATE OF content, status ON messages
        WHEN (old.status <> 'streaming' OR new.status <> 'streaming')
         AND (old.content IS NOT new.content
              OR (old.status = 'streaming') <> (new.status = 'streaming'))
      BEGIN
        DELETE FROM messages_cjk WHERE rowid = old.rowid AND old.status <> 'streaming';
        INSERT INTO messages_cjk (rowid, bigrams)
          SELECT new.rowid, b FROM (SELECT causerie_cjk_bigrams(new.content) AS b)
           WHERE b <> '' AND new.status <> 'streaming';
      END;

      -- The trigram index from the view: streaming rows left out. A reply left streaming by a
      -- crash is indexed when the startup recovery marks it interrupted.
      INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
      DELETE FROM messages_cjk
       WHERE rowid IN (SELECT rowid FROM messages WHERE status = 'streaming');
    `);
  },
};
