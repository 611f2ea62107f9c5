import type { SidebarCounts } from '../../../shared/contract';
import type { Conversation, Folder } from '../../../shared/domain';
import {
  inLoadedPart,
  newestFirst,
  pinnedThenNewest,
  type SidebarListKey,
  type SidebarPage,
} from '../../stores/sidebarLists';
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
  | { kind: 'archive-empty'; id: string }
  /** The end of what is loaded of a list: showing it asks for the next page (`loaded` rows so far). */
  | { kind: 'more'; id: string; list: SidebarListKey; loaded: number };

/** How the user arranged the sidebar. */
export interface SidebarLayout {
  /** The conversations with their folders, or only the archived ones. */
  view: 'conversations' | 'archive';
  collapsedFolderIds: readonly string[];
  /** A folder is being named: show the name field first among the folders. */
  folderDraft: boolean;
  /**
   * How far each list is loaded, and the sizes of the lists. Left out, every list counts as
   * loaded whole and the counts are those of `conversations`.
   */
  paging?: {
    pages: Partial<Record<SidebarListKey, SidebarPage>>;
    counts: SidebarCounts | null;
  };
}

/**
 * The sidebar from top to bottom: the folders (each followed by its conversations unless folded),
 * then the conversations outside any folder grouped by recency (pinned first). Archived
 * conversations (wherever they are filed) are left out; the archive view lists only them, most
 * recent first. A conversation appears once: under its folder if it has one. A folder id nobody
 * knows (deleted elsewhere) counts as no folder. Each list shows only its loaded part, followed by
 * a `more` row while there is more to load.
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
  const { paging } = layout;
  const shown = (conversation: Conversation, key: SidebarListKey) =>
    !paging || inLoadedPart(conversation, key, paging.pages[key]);
  for (const conversation of conversations) {
    if (conversation.archived) {
      if (shown(conversation, 'archive')) archived.push(conversation);
    } else if (conversation.folderId !== null && filed.has(conversation.folderId)) {
      if (shown(conversation, `folder:${conversation.folderId}`)) {
        filed.get(conversation.folderId)?.push(conversation);
      }
    } else if (shown(conversation, 'unfiled')) loose.push(conversation);
  }
  /** Whether the list is loaded to its end (always so without paging). */
  const complete = (key: SidebarListKey) => !paging || paging.pages[key]?.next === null;
  // Not before the first counts: until then the start-up load is under way, and a `more` row
  // would only ask for the same first page again.
  const more = (key: SidebarListKey, loaded: number, total: number | undefined): SidebarRow[] =>
    !paging?.counts || complete(key) || total === loaded
      ? []
      : [{ kind: 'more', id: `more:${key}`, list: key, loaded }];

  if (layout.view === 'archive') {
    const count = complete('archive')
      ? archived.length
      : (paging?.counts?.archived ?? archived.length);
    const rows: SidebarRow[] = [{ kind: 'archive-title', id: 'section:archive', count }];
    if (count === 0) rows.push({ kind: 'archive-empty', id: 'archive-empty' });
    for (const conversation of archived.sort(newestFirst)) {
      rows.push({ kind: 'conversation', id: conversation.id, conversation, inFolder: false });
    }
    rows.push(...more('archive', archived.length, paging?.counts?.archived));
    return rows;
  }

  const rows: SidebarRow[] = [{ kind: 'folders-title', id: 'section:folders' }];
  if (layout.folderDraft) rows.push({ kind: 'folder-draft', id: 'folder-draft' });
  const collapsed = new Set(layout.collapsedFolderIds);
  for (const folder of folders) {
    const key: SidebarListKey = `folder:${folder.id}`;
    const inFolder = (filed.get(folder.id) ?? []).sort(pinnedThenNewest);
    const expanded = !collapsed.has(folder.id);
    const total = paging?.counts ? (paging.counts.folders[folder.id]?.shown ?? 0) : undefined;
    const count = complete(key) ? inFolder.length : (total ?? inFolder.length);
    rows.push({ kind: 'folder', id: `folder:${folder.id}`, folder, count, expanded });
    if (!expanded) continue;
    // Empty only once known to be: loaded whole, or counted.
    if (complete(key) ? inFolder.length === 0 : total === 0) {
      rows.push({ kind: 'folder-empty', id: `folder-empty:${folder.id}`, folderId: folder.id });
      continue;
    }
    for (const conversation of inFolder) {
      rows.push({ kind: 'conversation', id: conversation.id, conversation, inFolder: true });
    }
    rows.push(...more(key, inFolder.length, total));
  }

  for (const group of groupConversations(loose.sort(pinnedThenNewest), now)) {
    rows.push({ kind: 'header', id: `group:${group.id}`, group });
    for (const conversation of group.conversations) {
      rows.push({ kind: 'conversation', id: conversation.id, conversation, inFolder: false });
    }
  }
  rows.push(...more('unfiled', loose.length, paging?.counts?.unfiled));
  return rows;
}

/** How many archived conversations are known here (the store's count, when paging, is in the counts). */
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
