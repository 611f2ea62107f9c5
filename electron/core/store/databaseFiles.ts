import { existsSync, renameSync } from 'node:fs';

/** The files SQLite may keep beside a database in WAL mode. */
export const SIDE_FILE_SUFFIXES = ['-wal', '-shm'] as const;

/** A timestamp safe in a file name on every platform (no `:`): `2024-05-01T10-20-30-123Z`. */
export function fileTimestamp(now: number): string {
  return new Date(now).toISOString().replace(/[:.]/g, '-');
}

/**
 * Renames `file` and its `-wal` / `-shm` files to `<file><suffix>` (and `<file><suffix>-wal`,
 * so SQLite can still pair them up), never deleting anything. If that name is taken, a counter
 * is appended. The connection must be closed first. Returns the new path of the main file.
 */
export function moveDatabaseAside(file: string, suffix: string): string {
  let target = `${file}${suffix}`;
  for (let n = 2; [target, ...SIDE_FILE_SUFFIXES.map((s) => target + s)].some(existsSync); n++) {
    target = `${file}${suffix}-${n}`;
  }
  for (const side of SIDE_FILE_SUFFIXES) {
    if (existsSync(file + side)) renameSync(file + side, target + side);
  }
  if (existsSync(file)) renameSync(file, target);
  return target;
}
