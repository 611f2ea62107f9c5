import Database from 'better-sqlite3';
import { CoreError } from '../coreError';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import type { Migration } from './migrations/migration';
import { registerSearchFunctions } from './searchFunctions';

/** A better-sqlite3 connection. */
export type Db = Database.Database;

/** Thrown when the file was written by a newer Causerie; the file is left untouched. */
export class DatabaseTooNewError extends CoreError {
  constructor(found: number, supported: number) {
    super(
      'STORAGE',
      `This history was written by a newer version of Causerie (schema ${found}; this version understands up to ${supported}). Update Causerie to open it. The file was not changed.`,
    );
    this.name = 'DatabaseTooNewError';
  }
}

/**
 * Opens (or creates) the conversation store and brings its schema up to date.
 * Pragmas are set on every connection because SQLite does not persist them (except WAL).
 */
export function openDatabase(file: string, migrations: readonly Migration[] = MIGRATIONS): Db {
  const db = new Database(file);
  try {
    configureConnection(db);
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** The pragmas every connection to the store needs. */
export function configureConnection(db: Db): void {
  db.pragma('journal_mode = WAL');
  // WAL + NORMAL: a crash or kill -9 of the app never loses a committed transaction and never
  // corrupts the file; only a power cut or OS crash can roll back the last few commits. FULL
  // would fsync on every commit, which a streaming checkpoint every 500 ms does not need.
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  registerSearchFunctions(db);
}

/** Runs pending migrations, each in its own transaction with its `user_version` bump. */
export function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations.at(-1)?.version ?? LATEST_SCHEMA_VERSION;
  const current = readSchemaVersion(db);
  if (current > latest) throw new DatabaseTooNewError(current, latest);
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
}

/** The schema version recorded in the file. */
export function readSchemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}
