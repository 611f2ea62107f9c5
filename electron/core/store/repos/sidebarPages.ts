import type { Db } from '../openDatabase';
import { prepared } from '../statements';
import {
  COLUMNS,
  toConversation,
  type ConversationCursor,
  type ConversationRecord,
  type ConversationRow,
} from './conversations';

/** One list the sidebar pages through: live conversations outside any folder, one folder's, or the archive. */
export type SidebarList =
  { kind: 'unfiled' } | { kind: 'folder'; folderId: string } | { kind: 'archive' };

/** How many conversations each sidebar list holds, for the counts it shows before loading them. */
export interface SidebarCounts {
  /** Every live conversation, archived ones included. */
  live: number;
  unfiled: number;
  archived: number;
  /** Per folder: `shown`, not archived (the folder row's count); `filed`, all of them. */
  folders: Record<string, { shown: number; filed: number }>;
}

// The unfiled list and a folder's keep the sidebar order (pinned first, then the most recently
// active); the archive is by recency alone, as its view always was, so its cursor ignores `pinned`.
const WHERE: Record<SidebarList['kind'], string> = {
  unfiled: 'deleted_at IS NULL AND archived = 0 AND folder_id IS NULL',
  folder: 'deleted_at IS NULL AND archived = 0 AND folder_id = @folderId',
  archive: 'deleted_at IS NULL AND archived = 1',
};
const AFTER: Record<SidebarList['kind'], string> = {
  unfiled: '(pinned, updated_at, id) < (@pinned, @updatedAt, @id)',
  folder: '(pinned, updated_at, id) < (@pinned, @updatedAt, @id)',
  archive: '(updated_at, id) < (@updatedAt, @id)',
};
const ORDER: Record<SidebarList['kind'], string> = {
  unfiled: 'pinned DESC, updated_at DESC, id DESC',
  folder: 'pinned DESC, updated_at DESC, id DESC',
  archive: 'updated_at DESC, id DESC',
};

/**
 * One page of a sidebar list, keyset-paginated like `listConversationsPage`: pass `next` back as
 * `before` for the following page; it is null on the last one. The unfiled list (the long one)
 * walks the `conversations_sidebar` index; a folder's and the archive are read through their own
 * filters and are short next to it.
 */
export function listSidebarPage(
  db: Db,
  options: { list: SidebarList; limit: number; before?: ConversationCursor | null },
): { conversations: ConversationRecord[]; next: ConversationCursor | null } {
  const { list, before } = options;
  const limit = Math.max(1, Math.floor(options.limit));
  const where = before ? `${WHERE[list.kind]} AND ${AFTER[list.kind]}` : WHERE[list.kind];
  const params: Record<string, string | number> = { limit };
  if (list.kind === 'folder') params.folderId = list.folderId;
  if (before) {
    params.updatedAt = before.updatedAt;
    params.id = before.id;
    if (list.kind !== 'archive') params.pinned = before.pinned ? 1 : 0;
  }
  const rows = prepared<[Record<string, string | number>], ConversationRow>(
    db,
    `SELECT ${COLUMNS} FROM conversations WHERE ${where} ORDER BY ${ORDER[list.kind]} LIMIT @limit`,
  ).all(params);
  const conversations = rows.map(toConversation);
  const last = conversations.at(-1);
  return {
    conversations,
    next:
      last && conversations.length === limit
        ? { pinned: last.pinned, updatedAt: last.updatedAt, id: last.id }
        : null,
  };
}

/** The sizes of the sidebar's lists, in two indexed passes. */
export function countSidebar(db: Db): SidebarCounts {
  const totals = prepared<[], { live: number; unfiled: number | null; archived: number | null }>(
    db,
    `SELECT count(*) AS live,
            sum(archived = 0 AND folder_id IS NULL) AS unfiled,
            sum(archived = 1) AS archived
       FROM conversations WHERE deleted_at IS NULL`,
  ).get() ?? { live: 0, unfiled: 0, archived: 0 };
  const folders: SidebarCounts['folders'] = {};
  for (const row of prepared<[], { folder_id: string; shown: number; filed: number }>(
    db,
    `SELECT folder_id, sum(archived = 0) AS shown, count(*) AS filed FROM conversations
      WHERE folder_id IS NOT NULL AND deleted_at IS NULL GROUP BY folder_id`,
  ).all()) {
    folders[row.folder_id] = { shown: row.shown, filed: row.filed };
  }
  return {
    live: totals.live,
    unfiled: totals.unfiled ?? 0,
    archived: totals.archived ?? 0,
    folders,
  };
}
