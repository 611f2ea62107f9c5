import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CoreError } from '../coreError';
import { fileTimestamp, moveDatabaseAside, SIDE_FILE_SUFFIXES } from './databaseFiles';
import { LATEST_SCHEMA_VERSION } from './migrations';
import { readSchemaVersion, type Db } from './openDatabase';
import { runQuickCheck } from './repos/maintenance';

/** How many daily backups are kept by default. */
export const DEFAULT_BACKUPS_KEPT = 7;

/** Pages copied between two event-loop turns (better-sqlite3's default). */
const BACKUP_PAGES_PER_STEP = 100;

const BACKUP_NAME = /^causerie-(\d{4}-\d{2}-\d{2})\.db$/;

/** One backup file in the backups folder. */
export interface BackupInfo {
  file: string;
  name: string;
  /** The UTC day it was taken, `YYYY-MM-DD`. */
  date: string;
  sizeBytes: number;
  modifiedAt: number;
}

/** The UTC day of `now`, `YYYY-MM-DD`: one backup per day, whatever the time zone does. */
export function backupDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** The backup file name for the day of `now`: `causerie-YYYY-MM-DD.db`. */
export function backupFileName(now: number): string {
  return `causerie-${backupDay(now)}.db`;
}

/**
 * Copies the live store to `<backupsDir>/causerie-YYYY-MM-DD.db` with SQLite's online backup
 * (consistent even while the app writes). The copy is written under a temporary name, switched
 * to rollback-journal mode so it is one self-contained file, and only then renamed into place:
 * an interrupted backup never replaces a good one. A second backup the same day replaces the
 * first. Returns the backup's path.
 *
 * The copy runs in steps between event-loop turns, on `db`: the caller must not close `db` until
 * the promise settles. Aborting `signal` stops it at the next step (it then rejects with the
 * signal's reason and leaves no file behind), so a caller that is closing need not wait for a
 * whole copy.
 */
export async function createBackup(
  db: Db,
  backupsDir: string,
  now: number,
  signal?: AbortSignal,
): Promise<string> {
  signal?.throwIfAborted();
  mkdirSync(backupsDir, { recursive: true, mode: 0o700 });
  const target = path.join(backupsDir, backupFileName(now));
  const partial = `${target}.partial`;
  rmSync(partial, { force: true });
  try {
    // Throwing from the progress callback ends the copy: better-sqlite3 then releases the backup
    // handle before it rejects.
    await db.backup(partial, {
      progress: () => {
        signal?.throwIfAborted();
        return BACKUP_PAGES_PER_STEP;
      },
    });
    signal?.throwIfAborted();
    const copy = new Database(partial);
    try {
      copy.pragma('journal_mode = DELETE');
    } finally {
      copy.close();
    }
    chmodSync(partial, 0o600); // SQLite creates it 644: a backup is as private as the history.
    renameSync(partial, target);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return target;
}

/** The backups in `backupsDir`, newest first; empty when the folder does not exist. */
export function listBackups(backupsDir: string): BackupInfo[] {
  if (!existsSync(backupsDir)) return [];
  return readdirSync(backupsDir)
    .flatMap((name) => {
      const match = BACKUP_NAME.exec(name);
      if (!match?.[1]) return [];
      const file = path.join(backupsDir, name);
      const stat = statSync(file);
      return [{ file, name, date: match[1], sizeBytes: stat.size, modifiedAt: stat.mtimeMs }];
    })
    .sort((a, b) => b.date.localeCompare(a.date));
}

/**
 * Deletes all but the `keep` newest backups. Only files named like a backup are touched.
 * Returns the paths deleted.
 */
export function rotateBackups(backupsDir: string, keep = DEFAULT_BACKUPS_KEPT): string[] {
  const old = listBackups(backupsDir).slice(Math.max(0, keep));
  for (const backup of old) rmSync(backup.file, { force: true });
  return old.map((backup) => backup.file);
}

/**
 * Takes today's backup unless there already is one, then rotates. Call it at startup and, for
 * an app left open for days, on a timer. Returns the new backup's path, or null when not due.
 * `signal` cancels it, as for {@link createBackup}.
 */
export async function backupIfDue(
  db: Db,
  backupsDir: string,
  now: number,
  options: { keep?: number; signal?: AbortSignal } = {},
): Promise<string | null> {
  const { keep = DEFAULT_BACKUPS_KEPT, signal } = options;
  if (listBackups(backupsDir).some((backup) => backup.date === backupDay(now))) return null;
  const file = await createBackup(db, backupsDir, now, signal);
  rotateBackups(backupsDir, keep);
  return file;
}

/**
 * Checks that `backupFile` is a Causerie store this version can open: a SQLite file that passes
 * `quick_check`, with a schema no newer than this build's. Opens it read-only; changes nothing.
 * Throws CoreError('VALIDATION') with a message a person can act on otherwise.
 */
export function validateBackup(backupFile: string): {
  schemaVersion: number;
  conversations: number;
} {
  let db: Db;
  try {
    db = new Database(backupFile, { readonly: true, fileMustExist: true });
  } catch (error) {
    throw new CoreError('VALIDATION', 'The backup file could not be opened.', { cause: error });
  }
  try {
    const schemaVersion = readSchemaVersion(db);
    if (schemaVersion > LATEST_SCHEMA_VERSION) {
      throw new CoreError(
        'VALIDATION',
        `This backup was made by a newer version of Causerie (schema ${schemaVersion}). Update Causerie to restore it.`,
      );
    }
    const hasConversations = db
      .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'conversations'")
      .get();
    if (schemaVersion < 1 || !hasConversations) {
      throw new CoreError('VALIDATION', 'This file is not a Causerie backup.');
    }
    const check = runQuickCheck(db);
    if (!check.ok)
      throw new CoreError('VALIDATION', 'This backup is damaged and cannot be restored.');
    const { n } = db.prepare('SELECT count(*) AS n FROM conversations').get() as { n: number };
    return { schemaVersion, conversations: n };
  } catch (error) {
    if (error instanceof CoreError) throw error;
    throw new CoreError('VALIDATION', 'This file is not a readable Causerie backup.', {
      cause: error,
    });
  } finally {
    db.close();
  }
}

/**
 * Puts `backupFile` in place of the live store at `liveFile`. The caller closes its connection
 * first and reopens with `openDatabase` afterwards (which migrates an older backup). The backup
 * is validated before anything moves; it is copied next to the live file first, so a failed copy
 * changes nothing; then the live file (with its -wal / -shm) is moved aside to
 * `<liveFile>.before-restore-<timestamp>`, never deleted, and the copy renamed into place.
 */
export function restoreFromBackup(
  liveFile: string,
  backupFile: string,
  now: number,
): { movedTo: string | null; schemaVersion: number } {
  const { schemaVersion } = validateBackup(backupFile);
  const incoming = `${liveFile}.restoring`;
  rmSync(incoming, { force: true });
  copyFileSync(backupFile, incoming);
  const present = [liveFile, ...SIDE_FILE_SUFFIXES.map((suffix) => liveFile + suffix)].some(
    (file) => existsSync(file),
  );
  const movedTo = present
    ? moveDatabaseAside(liveFile, `.before-restore-${fileTimestamp(now)}`)
    : null;
  renameSync(incoming, liveFile);
  return { movedTo, schemaVersion };
}
