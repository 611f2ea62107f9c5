import type { Db } from '../openDatabase';
import { prepared } from '../statements';
import {
  COLUMNS,
  toConversation,
  type ConversationRecord,
  type ConversationRow,
} from './conversations';

/** Moves a live conversation to the trash. Returns false when it is missing or already there. */
export function trashConversation(db: Db, id: string, now: number): boolean {
  return (
    prepared(db, 'UPDATE conversations SET deleted_at = ? WHERE id = ? AND deleted_at IS NULL').run(
      now,
      id,
    ).changes === 1
  );
}

/** Takes a conversation out of the trash, as it was. Returns false when it was not in the trash. */
export function restoreConversation(db: Db, id: string): boolean {
  return (
    prepared(
      db,
      'UPDATE conversations SET deleted_at = NULL WHERE id = ? AND deleted_at IS NOT NULL',
    ).run(id).changes === 1
  );
}

/** The trash, most recently deleted first. */
export function listTrash(db: Db, limit = 500): ConversationRecord[] {
  return prepared<[number], ConversationRow>(
    db,
    `SELECT ${COLUMNS} FROM conversations WHERE deleted_at IS NOT NULL
      ORDER BY deleted_at DESC, id DESC LIMIT ?`,
  )
    .all(limit)
    .map(toConversation);
}

/**
 * Deletes trashed conversations for good, with their messages (ON DELETE CASCADE) and their
 * search entries (triggers). With `olderThanDays`, only those trashed at least that long before
 * `now`; without it, the whole trash. Returns how many conversations were deleted.
 */
export function purgeTrash(db: Db, options: { now: number; olderThanDays?: number }): number {
  const cutoff =
    options.olderThanDays === undefined
      ? Number.MAX_SAFE_INTEGER
      : options.now - options.olderThanDays * 24 * 60 * 60 * 1000;
  return prepared(
    db,
    'DELETE FROM conversations WHERE deleted_at IS NOT NULL AND deleted_at <= ?',
  ).run(cutoff).changes;
}

/** Deletes one trashed conversation for good. Refuses (returns false) for a live one. */
export function purgeConversation(db: Db, id: string): boolean {
  return (
    prepared(db, 'DELETE FROM conversations WHERE id = ? AND deleted_at IS NOT NULL').run(id)
      .changes === 1
  );
}
