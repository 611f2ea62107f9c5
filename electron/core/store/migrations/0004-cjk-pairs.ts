import { registerSearchFunctions } from '../searchFunctions';
import type { Migration } from './migration';

/**
 * A companion search index for two-character CJK words, which the trigram index cannot look up
 * (a trigram needs three characters) and which are the usual length of a Chinese word. It holds
 * adjacent character pairs only (contentless, no positions), kept by triggers like the trigram
 * index, so "数据" is an index lookup instead of a scan of every message.
 */
export const migration0004CjkPairs: Migration = {
  version: 4,
  name: 'cjk-pairs',
  up(db) {
    registerSearchFunctions(db);
    db.exec(`
      CREATE VIRTUAL TABLE messages_cjk USING fts5(
        bigrams, content = '', contentless_delete = 1, detail = none,
        tokenize = 'unicode61 remove_diacritics 0'
      );

      CREATE TRIGGER messages_cjk_after_insert AFTER INSERT ON messages BEGIN
        INSERT INTO messages_cjk (rowid, bigrams)
          SELECT new.rowid, b FROM (SELECT causerie_cjk_bigrams(new.content) AS b) WHERE b <> '';
      END;

      CREATE TRIGGER messages_cjk_after_delete AFTER DELETE ON messages BEGIN
        DELETE FROM messages_cjk WHERE rowid = old.rowid;
      END;

      CREATE TRIGGER messages_cjk_after_update AFTER UPDATE OF content ON messages
        WHEN old.content IS NOT new.content BEGIN
        DELETE FROM messages_cjk WHERE rowid = old.rowid;
        INSERT INTO messages_cjk (rowid, bigrams)
          SELECT new.rowid, b FROM (SELECT causerie_cjk_bigrams(new.content) AS b) WHERE b <> '';
      END;

      INSERT INTO messages_cjk (rowid, bigrams)
        SELECT rowid, b FROM (SELECT rowid, causerie_cjk_bigrams(content) AS b FROM messages)
         WHERE b <> '';
    `);
  },
};
