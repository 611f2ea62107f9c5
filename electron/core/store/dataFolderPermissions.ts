import { chmodSync, closeSync, lstatSync, mkdirSync, openSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Folders are for the user alone (rwx------), files too (rw-------). */
const PRIVATE_DIR_MODE = 0o700;
const PRIVATE_FILE_MODE = 0o600;
/** The data folder's own layout is shallow (backups/, models/, logs/); deeper is not ours. */
const MAX_DEPTH = 3;

/**
 * Makes the data folder private to the user: creates it 700 and repairs, at start-up, every
 * folder to 700 and every file to 600 that group or others could read (a history written by an
 * older version, or copied in by hand, was 644 in a 755 folder: readable by any local user).
 * Links are left alone, never followed. Returns how many entries it had to repair. Windows keeps
 * its own ACLs: nothing to do there.
 */
export function secureDataFolder(dataDir: string, platform = process.platform): number {
  if (platform === 'win32') return 0;
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  return repair(dataDir, 0);
}

/**
 * Creates `file` empty with mode 600 if it does not exist, so that what opens it next (SQLite,
 * which gives its -wal and -shm files the database file's mode) starts private.
 */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', PRIVATE_FILE_MODE));
}

function repair(entry: string, depth: number): number {
  const stats = lstatSync(entry, { throwIfNoEntry: false });
  if (!stats || stats.isSymbolicLink()) return 0;
  let repaired = 0;
  if (stats.isDirectory()) {
    if ((stats.mode & 0o777) !== PRIVATE_DIR_MODE) {
      chmodSync(entry, PRIVATE_DIR_MODE);
      repaired++;
    }
    if (depth >= MAX_DEPTH) return repaired;
    for (const name of readdirSync(entry)) repaired += repair(path.join(entry, name), depth + 1);
  } else if (stats.isFile() && (stats.mode & 0o077) !== 0) {
    chmodSync(entry, PRIVATE_FILE_MODE);
    repaired++;
  }
  return repaired;
}
