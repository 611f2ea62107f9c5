import { registerSearchFunctions } from '../searchFunctions';
import type { Database } from 'better-sqlite3';
import type { Migration } from './migration';

/**
 * Search indexes hold folded text (store/searchFolding.ts): `strasse` finds `Straße`, `ежик`
 * finds `Ёжик`, `العلم` finds `العِلْمُ`, `ça` finds `Ça`, full-width ＡＢＣ finds ABC. The query is
 * folded the same way, so both sides meet in one form.
 *
 * The folded text of every finished message is kept in `messages_folded`, with `han`: the folded
 * text made Simplified when that changes it (Traditional Chinese; '' otherwise), which the search
 * option "Simplified ↔ Traditional" matches against. It is the content table of the trigram
 * index (external content, so FTS5's `integrity-check` with rank 1 still compares the index with
 * the text, and a delete gives FTS5 the stored values, never a fold recomputed by a later
 * version) and what one- and two-character terms are scanned in, natively: folding each message
 * in JavaScript during a scan cost 70× the old LIKE scan (bench:search-folding). It costs about
 * the size of the text once more on disk.
 *
 * The trigram tokenizer is case-sensitive with no diacritic removal of its own: the fold has done
 * both, so an index match is exactly a substring of the folded text, and the search code finds
 * and marks the same match in the original text. Snippets are no longer FTS5's `snippet()`,
 * which would show the folded text (lower case, no accents, ss for ß): they are cut from the
 * original (store/searchSnippets.ts).
 *
 * Titles are few and short: their index reads a view that folds on the fly. The pair index (two
 * CJK characters) holds the pairs of the folded text, plus the marked pairs of `han`. All are
 * built again here, once; `causerie_cjk_bigrams` stays for migrations 0004-0006.
 */
export const migration0007FoldSearchIndex: Migration = {
  version: 7,
  name: 'fold-search-index',
  up(db) {
    registerSearchFunctions(db);
    db.exec(`
      DROP TRIGGER messages_fts_after_insert;
      DROP TRIGGER messages_fts_after_delete;
      DROP TRIGGER messages_fts_after_update;
      DROP TRIGGER messages_cjk_after_insert;
      DROP TRIGGER messages_cjk_after_delete;
      DROP TRIGGER messages_cjk_after_update;
      DROP TRIGGER conversations_fts_after_insert;
      DROP TRIGGER conversations_fts_after_delete;
      DROP TRIGGER conversations_fts_after_update;
      DROP TABLE messages_fts;
      DROP TABLE messages_cjk;
      DROP TABLE conversations_fts;

      -- One row per message that is not streaming (the rule since 0005), by the message's rowid.
      CREATE TABLE messages_folded (
        message_rowid INTEGER PRIMARY KEY,
        content TEXT NOT NULL,
        han TEXT NOT NULL
      ) STRICT;

      CREATE VIRTUAL TABLE messages_fts USING fts5(
        content, han,
        content = 'messages_folded',
        content_rowid = 'message_rowid',
        tokenize = 'trigram case_sensitive 1'
      );

      CREATE VIRTUAL TABLE messages_cjk USING fts5(
        bigrams, content = '', contentless_delete = 1, detail = none,
        tokenize = 'unicode61 remove_diacritics 0'
      );

      CREATE VIEW conversations_search_text AS
        SELECT rowid AS conversation_rowid, causerie_fold(title) AS title,
               causerie_fold_han(title) AS han
          FROM conversations;

      CREATE VIRTUAL TABLE conversations_fts USING fts5(
        title, han,
        content = 'conversations_search_text',
        content_rowid = 'conversation_rowid',
        tokenize = 'trigram case_sensitive 1'
      );

      -- The folded row is written first; both indexes read it, in the same trigger, since the
      -- order in which SQLite runs two triggers is not to be relied on. The name stays that of
      -- 0005's trigram trigger, which withBulkSearchIndexing looks for.
      CREATE TRIGGER messages_fts_after_insert AFTER INSERT ON messages
        WHEN new.status <> 'streaming'
      BEGIN
        INSERT INTO messages_folded (message_rowid, content, han)
          VALUES (new.rowid, causerie_fold(new.content), causerie_fold_han(new.content));
        INSERT INTO messages_fts (rowid, content, han)
          SELECT message_rowid, content, han FROM messages_folded
           WHERE message_rowid = new.rowid;
        INSERT INTO messages_cjk (rowid, bigrams)
          SELECT message_rowid, b
            FROM (SELECT message_rowid, causerie_cjk_tokens(content, han) AS b
                    FROM messages_folded WHERE message_rowid = new.rowid)
           WHERE b <> '';
      END;

      CREATE TRIGGER messages_fts_after_delete AFTER DELETE ON messages
        WHEN old.status <> 'streaming'
      BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content, han)
          SELECT 'delete', message_rowid, content, han FROM messages_folded
           WHERE message_rowid = old.rowid;
        DELETE FROM messages_folded WHERE message_rowid = old.rowid;
        DELETE FROM messages_cjk WHERE rowid = old.rowid;
      END;

      -- Fires when an indexed row's text changes or a row enters or leaves the index (a reply
      -- finishing); never for a checkpoint (streaming to streaming).
      CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF content, status ON messages
        WHEN (old.status <> 'streaming' OR new.status <> 'streaming')
         AND (old.content IS NOT new.content
              OR (old.status = 'streaming') <> (new.status = 'streaming'))
      BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content, han)
          SELECT 'delete', message_rowid, content, han FROM messages_folded
           WHERE message_rowid = old.rowid;
        DELETE FROM messages_folded WHERE message_rowid = old.rowid;
        DELETE FROM messages_cjk WHERE rowid = old.rowid;
        INSERT INTO messages_folded (message_rowid, content, han)
          SELECT new.rowid, causerie_fold(new.content), causerie_fold_han(new.content)
           WHERE new.status <> 'streaming';
        INSERT INTO messages_fts (rowid, content, han)
          SELECT message_rowid, content, han FROM messages_folded
           WHERE message_rowid = new.rowid;
        INSERT INTO messages_cjk (rowid, bigrams)
          SELECT message_rowid, b
            FROM (SELECT message_rowid, causerie_cjk_tokens(content, han) AS b
                    FROM messages_folded WHERE message_rowid = new.rowid)
           WHERE b <> '';
      END;

      CREATE TRIGGER conversations_fts_after_insert AFTER INSERT ON conversations BEGIN
        INSERT INTO conversations_fts (rowid, title, han)
          VALUES (new.rowid, causerie_fold(new.title), causerie_fold_han(new.title));
      END;

      CREATE TRIGGER conversations_fts_after_delete AFTER DELETE ON conversations BEGIN
        INSERT INTO conversations_fts (conversations_fts, rowid, title, han)
          VALUES ('delete', old.rowid, causerie_fold(old.title), causerie_fold_han(old.title));
      END;

      CREATE TRIGGER conversations_fts_after_update AFTER UPDATE OF title ON conversations
        WHEN old.title IS NOT new.title
      BEGIN
        INSERT INTO conversations_fts (conversations_fts, rowid, title, han)
          VALUES ('delete', old.rowid, causerie_fold(old.title), causerie_fold_han(old.title));
        INSERT INTO conversations_fts (rowid, title, han)
          VALUES (new.rowid, causerie_fold(new.title), causerie_fold_han(new.title));
      END;
    `);
    fillFoldedIndexes(db, 0);
    db.exec(`INSERT INTO conversations_fts (conversations_fts) VALUES ('rebuild');`);
  },
};

/**
 * Folds and indexes every finished message whose rowid is above `after`, one statement per table
 * rather than one per row: the migration, imports (withBulkSearchIndexing) and rebuilds after a
 * VACUUM (maintenance) share it while the schema is version 7's.
 */
export function fillFoldedIndexes(db: Database, after: number): void {
  db.prepare(
    `INSERT INTO messages_folded (message_rowid, content, han)
       SELECT message_rowid, causerie_fold(content), causerie_fold_han(content)
         FROM messages_searchable WHERE message_rowid > ?`,
  ).run(after);
  db.prepare(
    `INSERT INTO messages_fts (rowid, content, han)
       SELECT message_rowid, content, han FROM messages_folded WHERE message_rowid > ?`,
  ).run(after);
  db.prepare(
    `INSERT INTO messages_cjk (rowid, bigrams)
       SELECT message_rowid, b
         FROM (SELECT message_rowid, causerie_cjk_tokens(content, han) AS b
                 FROM messages_folded WHERE message_rowid > ?)
        WHERE b <> ''`,
  ).run(after);
}
