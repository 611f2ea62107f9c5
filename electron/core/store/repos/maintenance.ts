import { fillFoldedIndexes } from '../migrations/0007-fold-search-index';
import type { Db } from '../openDatabase';

/** The outcome of an integrity check: `ok`, or the problems SQLite reported. */
export type IntegrityReport = { ok: true } | { ok: false; problems: string[] };

/**
 * Runs `PRAGMA quick_check` (structure of every page and index entry, without the slower
 * cross-checks of integrity_check): O(size of the file). Reports at most `maxProblems` problems.
 * A file too damaged to be read at all throws SQLITE_CORRUPT / SQLITE_NOTADB instead.
 */
export function runQuickCheck(db: Db, maxProblems = 20): IntegrityReport {
  const rows = db.pragma(`quick_check(${Math.max(1, Math.floor(maxProblems))})`) as {
    quick_check: string;
  }[];
  const problems = rows.map((row) => row.quick_check).filter((line) => line !== 'ok');
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

/**
 * Checks that the search indexes agree with the text they index. Returns false when they do not
 * (for example after a VACUUM renumbered rows); {@link rebuildSearchIndexes} repairs them.
 */
export function checkSearchIndexes(db: Db): boolean {
  try {
    db.exec(`
      INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1);
      INSERT INTO conversations_fts (conversations_fts, rank) VALUES ('integrity-check', 1);
    `);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_CORRUPT')) return false;
    throw error;
  }
}

/**
 * Rebuilds every search index from the stored text, in one transaction. Message indexes read
 * `messages_searchable`, so a reply still streaming stays out of them (see migration 0005), and
 * index folded text kept in `messages_folded` (see migration 0007), which a VACUUM may have left
 * pointing at renumbered rows: it is folded again too.
 */
export function rebuildSearchIndexes(db: Db): void {
  db.transaction(() => {
    db.exec(`
      DELETE FROM messages_folded;
      INSERT INTO messages_fts (messages_fts) VALUES ('delete-all');
      INSERT INTO messages_cjk (messages_cjk) VALUES ('delete-all');
      INSERT INTO conversations_fts (conversations_fts) VALUES ('rebuild');
    `);
    fillFoldedIndexes(db, 0);
  })();
}

/**
 * Compacts the file. VACUUM may renumber rows of tables without an INTEGER PRIMARY KEY, and the
 * search indexes point at rowids, so they are rebuilt right after.
 */
export function vacuumDatabase(db: Db): void {
  db.exec('VACUUM');
  rebuildSearchIndexes(db);
}
