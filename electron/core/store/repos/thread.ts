/**
 * Reading the visible thread: a conversation's path to its active leaf, a page of it, where each
 * message sits among its siblings ("2 / 3"), and the newest leaf under a message. Writing
 * messages is messages.ts.
 */
import type { Db } from '../openDatabase';
import { prepared } from '../statements';
import { COLUMNS, COLUMNS_OF_M, toMessage, type MessageRecord, type MessageRow } from './messages';

/**
 * The thread as the user sees it: from the root down to `leafId`, following `parent_id`.
 * Walks up with a recursive CTE so it costs the path's length, not the conversation's size.
 */
export function listPathToLeaf(db: Db, leafId: string): MessageRecord[] {
  return listThread(db, leafId).map((entry) => entry.message);
}

/**
 * The alternatives at one point of the tree: the messages sharing `messageId`'s parent (for a
 * root message, the other roots of its conversation), oldest first, `messageId` included.
 * Empty when the message does not exist.
 */
export function listSiblings(db: Db, messageId: string): MessageRecord[] {
  return prepared<[string], MessageRow>(
    db,
    `SELECT ${COLUMNS_OF_M}
       FROM messages self
       JOIN messages m ON m.conversation_id = self.conversation_id AND m.parent_id IS self.parent_id
      WHERE self.id = ?
      ORDER BY m.created_at, m.rowid`,
  )
    .all(messageId)
    .map(toMessage);
}

/** A message on the visible thread, with where it sits among its siblings (for "2 / 3"). */
export interface ThreadEntry {
  message: MessageRecord;
  /** 0-based position among its siblings, oldest first. */
  siblingIndex: number;
  siblingCount: number;
}

/**
 * Like {@link listPathToLeaf}, with each message's position among its siblings, so the thread
 * can show branch switchers without one query per message.
 */
export function listThread(db: Db, leafId: string): ThreadEntry[] {
  const leaf = prepared<[string], { conversation_id: string }>(
    db,
    'SELECT conversation_id FROM messages WHERE id = ?',
  ).get(leafId);
  if (!leaf) return [];
  // One scan of the conversation on its index, then the parent links are followed in memory:
  // cheaper than a recursive query that looks every message up by its text id twice.
  const rows = prepared<[string], MessageRow & { row: number }>(
    db,
    `SELECT ${COLUMNS}, rowid AS row FROM messages
      WHERE conversation_id = ? ORDER BY created_at, rowid`,
  ).all(leaf.conversation_id);
  const byId = new Map<string, MessageRow>();
  const siblings = new Map<string | null, string[]>();
  for (const row of rows) {
    byId.set(row.id, row);
    const group = siblings.get(row.parent_id);
    if (group) group.push(row.id);
    else siblings.set(row.parent_id, [row.id]);
  }
  const path: ThreadEntry[] = [];
  const seen = new Set<string>();
  for (let row = byId.get(leafId); row && !seen.has(row.id);) {
    seen.add(row.id);
    const group = siblings.get(row.parent_id) ?? [row.id];
    path.push({
      message: toMessage(row),
      siblingIndex: group.indexOf(row.id),
      siblingCount: group.length,
    });
    row = row.parent_id === null ? undefined : byId.get(row.parent_id);
  }
  return path.reverse();
}

/** A window of the visible thread, and how many of its messages come before the window. */
export interface ThreadPage {
  entries: ThreadEntry[];
  /** Messages of the thread above the first entry, not sent yet (loaded when the user scrolls up). */
  earlier: number;
}

/** Messages shown above a message that was asked to be in view (a search hit, a branch switch). */
const CONTEXT_ABOVE_TARGET = 10;

/**
 * Part of the thread from the root down to `leafId`: the `limit` messages that end just before
 * `endBefore` (or at the leaf), widened upward so `include` is in it when it is on the path.
 *
 * Opening a 10,000-message conversation sends its last page, not the whole thread: the
 * conversation's parent links are scanned without their text, and only the page's rows are read
 * in full. Undefined when `leafId` or `endBefore` is not on the thread.
 */
export function listThreadPage(
  db: Db,
  leafId: string,
  page: { limit: number; endBefore?: string; include?: string },
): ThreadPage | undefined {
  const leaf = prepared<[string], { conversation_id: string }>(
    db,
    'SELECT conversation_id FROM messages WHERE id = ?',
  ).get(leafId);
  if (!leaf) return undefined;
  const links = prepared<[string], { id: string; parent_id: string | null }>(
    db,
    `SELECT id, parent_id FROM messages WHERE conversation_id = ? ORDER BY created_at, rowid`,
  ).all(leaf.conversation_id);
  const parentOf = new Map<string, string | null>();
  const siblings = new Map<string | null, string[]>();
  for (const link of links) {
    parentOf.set(link.id, link.parent_id);
    const group = siblings.get(link.parent_id);
    if (group) group.push(link.id);
    else siblings.set(link.parent_id, [link.id]);
  }
  const path: string[] = [];
  const seen = new Set<string>();
  for (let id: string | null | undefined = leafId; id && !seen.has(id); id = parentOf.get(id)) {
    seen.add(id);
    path.push(id);
  }
  path.reverse();

  const end = page.endBefore === undefined ? path.length : path.indexOf(page.endBefore);
  if (end === -1) return undefined;
  let start = Math.max(0, end - page.limit);
  const target = page.include === undefined ? -1 : path.indexOf(page.include);
  if (target !== -1 && target < start) start = Math.max(0, target - CONTEXT_ABOVE_TARGET);
  const ids = path.slice(start, end);

  const rows = prepared<[string], MessageRow>(
    db,
    `SELECT ${COLUMNS} FROM messages WHERE id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const entries: ThreadEntry[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) continue;
    const group = siblings.get(row.parent_id) ?? [row.id];
    entries.push({
      message: toMessage(row),
      siblingIndex: group.indexOf(row.id),
      siblingCount: group.length,
    });
  }
  return { entries, earlier: start };
}

/**
 * The leaf reached from `messageId` by always taking the most recent child (by `created_at`,
 * then insertion order): where the thread continues when the user switches to that branch.
 * `messageId` itself when it has no children; undefined when it does not exist.
 */
export function findLatestLeafUnder(db: Db, messageId: string): string | undefined {
  const row = prepared<[string], { id: string }>(
    db,
    `WITH RECURSIVE down (id, depth) AS (
       SELECT id, 0 FROM messages WHERE id = ?
       UNION ALL
       SELECT (SELECT c.id FROM messages c WHERE c.parent_id = down.id
                ORDER BY c.created_at DESC, c.rowid DESC LIMIT 1),
              down.depth + 1
         FROM down
        WHERE EXISTS (SELECT 1 FROM messages c WHERE c.parent_id = down.id)
          AND down.depth < 100000 -- a guard: parent links cannot form a cycle, but never spin
     )
     SELECT id FROM down ORDER BY depth DESC LIMIT 1`,
  ).get(messageId);
  return row?.id;
}
