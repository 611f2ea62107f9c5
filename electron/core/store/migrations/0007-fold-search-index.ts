import { registerSearchFunctions } from '../searchFunctions';
import type { Migration } from './migration';

/**
 * Search indexes hold folded text (store/searchFolding.ts): `strasse` finds `Straße`, `ежик`
 * finds `Ёжик`, `العلم` finds `العِلْمُ`, `ça` finds `Ça`, full-width ＡＢＣ finds ABC. The query is
 * folded the same way, so both sides meet in one form. Each index also gets a second column,
 * `han`, holding the folded text made Simplified when that changes it (Traditional Chinese
 * only; '' otherwise), which the search option "Simplified ↔ Traditional" matches against.
 *
 * The trigram indexes stay external-content tables, now over views that fold on the fly
 * (`messages_search_text`, `conversations_search_text`), so nothing is stored twice and FTS5's
 * `integrity-check` with rank 1 still compares the index with the text. The tokenizer is
 * case-sensitive with no diacritic removal of its own: the fold has done both, so an index match
 * is exactly a substring of the folded text, and the search code can find and mark the same
 * match in the original text. Snippets are no longer FTS5's `snippet()`, which would show the
 * folded text (lower case, no accents): they are cut from the original text (repos/search.ts).
 *
 * The pair index (two-character CJK words) holds the pairs of the folded text, plus the marked
 * pairs of its Simplified form when that differs (`causerie_cjk_tokens`). All three indexes are
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

      CREATE VIEW messages_search_text AS
        SELECT message_rowid, causerie_fold(content) AS content,
               causerie_fold_han(content) AS han
          FROM messages_searchable;

      CREATE VIEW conversations_search_text AS
        SELECT rowid AS conversation_rowid, causerie_fold(title) AS title,
               causerie_fold_han(title) AS han
          FROM conversations;

      CREATE VIRTUAL TABLE messages_fts USING fts5(
        content, han,
        content = 'messages_search_text',
        content_rowid = 'message_rowid',
        tokenize = 'trigram case_sensitive 1'
      );

      CREATE VIRTUAL TABLE conversations_fts USING fts5(
        title, han,
        content = 'conversations_search_text',
        content_rowid = 'conversation_rowid',
        tokenize = 'trigram case_sensitive 1'
      );

      CREATE VIRTUAL TABLE messages_cjk USING fts5(
        bigrams, content = '', contentless_delete = 1, detail = none,
        tokenize = 'unicode61 remove_diacritics 0'
      );

      -- The same rules as 0005: a streaming row is in no index; a delete gives FTS5 exactly the
      -- values the row was indexed with (the fold of the same text is the same).
      CREATE TRIGGER messages_fts_after_insert AFTER INSERT ON messages
        WHEN new.status <> 'streaming'
      BEGIN
        INSERT INTO messages_fts (rowid, content, han)
          VALUES (new.rowid, causerie_fold(new.content), causerie_fold_han(new.content));
      END;

      CREATE TRIGGER messages_fts_after_delete AFTER DELETE ON messages
        WHEN old.status <> 'streaming'
      BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content, han)
          VALUES ('delete', old.rowid, causerie_fold(old.content), causerie_fold_han(old.content));
      END;

      CREATE TRIGGER messages_fts_after_update AFTER UPDATE OF content, status ON messages
        WHEN (old.status <> 'streaming' OR new.status <> 'streaming')
         AND (old.content IS NOT new.content
              OR (old.status = 'streaming') <> (new.status = 'streaming'))
      BEGIN
        INSERT INTO messages_fts (messages_fts, rowid, content, han)
          SELECT 'delete', old.rowid, causerie_fold(old.content), causerie_fold_han(old.content)
           WHERE old.status <> 'streaming';
        INSERT INTO messages_fts (rowid, content, han)
          SELECT new.rowid, causerie_fold(new.content), causerie_fold_han(new.content)
           WHERE new.status <> 'streaming';
      END;

      CREATE TRIGGER messages_cjk_after_insert AFTER INSERT ON messages
        WHEN new.status <> 'streaming'
      BEGIN
        INSERT INTO messages_cjk (rowid, bigrams)
          SELECT new.rowid, b FROM (SELECT causerie_cjk_tokens(new.content) AS b) WHERE b <> '';
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
          SELECT new.rowid, b FROM (SELECT causerie_cjk_tokens(new.content) AS b)
           WHERE b <> '' AND new.status <> 'streaming';
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

      INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
      INSERT INTO conversations_fts (conversations_fts) VALUES ('rebuild');
      INSERT INTO messages_cjk (rowid, bigrams)
        SELECT message_rowid, b
          FROM (SELECT message_rowid, causerie_cjk_tokens(content) AS b FROM messages_searchable)
         WHERE b <> '';
    `);
  },
};
