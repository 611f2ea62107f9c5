import type { Conversation, Folder } from '../../../shared/domain';
import { groupConversations, type ConversationGroup } from './groupConversations';

/**
 * One row of the virtualized sidebar. Everything the list shows is a row (section titles, folders,
 * conversations), so 10,000 conversations still cost only the rows in view.
 */
export type SidebarRow =
  | { kind: 'folders-title'; id: string }
  | { kind: 'folder-draft'; id: string }
  | { kind: 'folder'; id: string; folder: Folder; count: number; expanded: boolean }
  | { kind: 'folder-empty'; id: string; folderId: string }
  | { kind: 'header'; id: string; group: ConversationGroup }
  | { kind: 'conversation'; id: string; conversation: Conversation; inFolder: boolean }
  | { kind: 'archive-title'; id: string; count: number }
  | { kind: 'archive-empty'; id: string };

/** How the user arranged the sidebar. */
export interface SidebarLayout {
  /** The conversations with their folders, or only the archived ones. */
  view: 'conversations' | 'archive';
  collapsedFolderIds: readonly string[];
  /** A folder is being named: show the name field first among the folders. */
  folderDraft: boolean;
}

const newestFirst = (a: Conversation, b: Conversation) =>
  b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : -1);
const pinnedThenNewest = (a: Conversation, b: Conversation) =>
  Number(b.pinned) - Number(a.pinned) || newestFirst(a, b);

/**
 * The sidebar from top to bottom: the folders (each followed by its conversations unless folded),
 * then the conversations outside any folder grouped by recency (pinned first). Archived
 * conversations (wherever they are filed) are left out; the archive view lists only them, most
 * recent first. A conversation appears once: under its folder if it has one. A folder id nobody
 * knows (deleted elsewhere) counts as no folder.
 */
export function buildSidebarRows(
  conversations: readonly Conversation[],
  folders: readonly Folder[],
  layout: SidebarLayout,
  now: number,
): SidebarRow[] {
  const filed = new Map<string, Conversation[]>(folders.map((folder) => [folder.id, []]));
  const loose: Conversation[] = [];
  const archived: Conversation[] = [];
  for (const conversation of conversations) {
    if (conversation.archived) archived.push(conversation);
    else if (conversation.folderId !== null && filed.has(conversation.folderId)) {
      filed.get(conversation.folderId)?.push(conversation);
    } else loose.push(conversation);
  }

  if (layout.view === 'archive') {
    const rows: SidebarRow[] = [
      { kind: 'archive-title', id: 'section:archive', count: archived.length },
    ];
    if (archived.length === 0) rows.push({ kind: 'archive-empty', id: 'archive-empty' });
    for (const conversation of archived.sort(newestFirst)) {
      rows.push({ kind: 'conversation', id: conversation.id, conversation, inFolder: false });
    }
    return rows;
  }

  const rows: SidebarRow[] = [{ kind: 'folders-title', id: 'section:folders' }];
  if (layout.folderDraft) rows.push({ kind: 'folder-draft', id: 'folder-draft' });
  const collapsed = new Set(layout.collapsedFolderIds);
  for (const folder of folders) {
    const inFolder = (filed.get(folder.id) ?? []).sort(pinnedThenNewest);
    const expanded = !collapsed.has(folder.id);
    rows.push({
      kind: 'folder',
      id: `folder:${folder.id}`,
      folder,
      count: inFolder.length,
      expanded,
    });
    if (!expanded) continue;
    if (inFolder.length === 0) {
      rows.push({ kind: 'folder-empty', id: `folder-empty:${folder.id}`, folderId: folder.id });
    }
    for (const conversation of inFolder) {
      rows.push({ kind: 'conversation', id: conversation.id, conversation, inFolder: true });
    }
  }

  for (const group of groupConversations(loose, now)) {
    rows.push({ kind: 'header', id: `group:${group.id}`, group });
    for (const conversation of group.conversations) {
      rows.push({ kind: 'conversation', id: conversation.id, conversation, inFolder: false });
    }
  }
  return rows;
}

/** How many archived conversations there are. */
export function countArchived(conversations: readonly Conversation[]): number {
  let count = 0;
  for (const conversation of conversations) if (conversation.archived) count += 1;
  return count;
}

/** How many live conversations a folder holds, archived ones included (for the delete prompt). */
export function countFiled(conversations: readonly Conversation[], folderId: string): number {
  let count = 0;
  for (const conversation of conversations) if (conversation.folderId === folderId) count += 1;
  return count;
}
