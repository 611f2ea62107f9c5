import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { fileTimestamp, moveDatabaseAside } from './databaseFiles';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import type { Migration } from './migrations/migration';
import { DatabaseTooNewError, openDatabase, readSchemaVersion, type Db } from './openDatabase';
import { runQuickCheck } from './repos/maintenance';

/** What {@link openDatabaseSafely} had to do to give back a usable store. */
export interface Recovery {
  /** Where the damaged file now lives (its -wal / -shm beside it, same suffix). */
  movedTo: string;
  /** What was wrong, for the log and for the notice shown to the user. */
  reason: string;
}

/** SQLite result codes that mean "this file is damaged or is not a database". */
function isCorruption(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
  );
}

/**
 * Looks at an existing file through a read-only connection, which never writes, checkpoints or
 * deletes the -wal: returns why the file is unusable, or null when it is fine. Throws
 * {@link DatabaseTooNewError} for a newer schema, and any error that is not about the contents.
 */
function diagnose(file: string, latest: number): string | null {
  let db: Db | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const version = readSchemaVersion(db);
    if (version > latest) throw new DatabaseTooNewError(version, latest);
    const check = runQuickCheck(db);
    return check.ok ? null : `quick_check failed: ${check.problems.join('; ')}`;
  } catch (error) {
    if (!isCorruption(error)) throw error;
    return `${(error as { code: string }).code}: ${(error as Error).message}`;
  } finally {
    db?.close();
  }
}

/**
 * Opens the store like {@link openDatabase}, but survives a damaged file: when SQLite reports
 * the file corrupt or not a database, or `quick_check` finds problems, the file (and its -wal /
 * -shm) is moved aside to `<file>.corrupt-<timestamp>` — never deleted, so it can still be
 * rescued by hand — and a fresh, empty store is opened in its place.
 *
 * The checks run on a read-only connection before anything writes: a damaged file is moved
 * exactly as it was found (its -wal not checkpointed into it), and a file from a newer Causerie
 * throws {@link DatabaseTooNewError} and is left byte-for-byte untouched. Other failures
 * (permissions, a full disk) are thrown as they are: they say nothing about the contents, and
 * moving the file aside would only hide the user's history. `quick_check` reads the whole file:
 * expect tens of milliseconds per 100 MB at startup.
 */
export function openDatabaseSafely(
  file: string,
  options: { now: number; migrations?: readonly Migration[] },
): { db: Db; recovered: Recovery | null } {
  const migrations = options.migrations ?? MIGRATIONS;
  const latest = migrations.at(-1)?.version ?? LATEST_SCHEMA_VERSION;
  const inMemory = file === ':memory:' || file === '';
  const problem = !inMemory && existsSync(file) ? diagnose(file, latest) : null;
  if (problem === null) {
    try {
      return { db: openDatabase(file, migrations), recovered: null };
    } catch (error) {
      // Damage the read-only checks could not see (a migration touched a bad page).
      if (!isCorruption(error)) throw error;
      return recover(file, `${(error as { code: string }).code}: ${(error as Error).message}`);
    }
  }
  return recover(file, problem);

  function recover(damaged: string, reason: string) {
    const movedTo = moveDatabaseAside(damaged, `.corrupt-${fileTimestamp(options.now)}`);
    return { db: openDatabase(damaged, migrations), recovered: { movedTo, reason } };
  }
}
