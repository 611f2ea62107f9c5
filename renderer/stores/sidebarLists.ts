import type { ConversationCursor, SidebarList } from '../../shared/contract';
import type { Conversation } from '../../shared/domain';

/**
 * The sidebar's lists as the renderer pages through them: which list a conversation belongs to,
 * the order each is kept in (the store's), and whether a conversation falls inside the part of
 * its list loaded so far. Pure functions, shared by the store slice and the sidebar rows.
 */

/** The name of a sidebar list in the store: `unfiled`, `archive` or `folder:<id>`. */
export type SidebarListKey = 'unfiled' | 'archive' | `folder:${string}`;

/** How far a list is loaded: up to `next` (the last loaded row's key), or all of it when null. */
export interface SidebarPage {
  next: ConversationCursor | null;
}

export function sidebarListKey(list: SidebarList): SidebarListKey {
  return list.kind === 'folder' ? `folder:${list.folderId}` : list.kind;
}

export function sidebarListOfKey(key: SidebarListKey): SidebarList {
  if (key === 'unfiled' || key === 'archive') return { kind: key };
  return { kind: 'folder', folderId: key.slice('folder:'.length) };
}

/** The list a conversation is shown in; `knownFolder` says whether its folder still exists here. */
export function sidebarListKeyOf(
  conversation: Conversation,
  knownFolder: (folderId: string) => boolean = () => true,
): SidebarListKey {
  if (conversation.archived) return 'archive';
  if (conversation.folderId !== null && knownFolder(conversation.folderId)) {
    return `folder:${conversation.folderId}`;
  }
  return 'unfiled';
}

type SortKey = Pick<Conversation, 'pinned' | 'updatedAt' | 'id'>;

/** The archive's order: most recent first, ties by id (descending), as the store sorts. */
export const newestFirst = (a: SortKey, b: SortKey) =>
  b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** The unfiled and folder lists' order: pinned first, then {@link newestFirst}. */
export const pinnedThenNewest = (a: SortKey, b: SortKey) =>
  Number(b.pinned) - Number(a.pinned) || newestFirst(a, b);

/**
 * Whether a conversation falls in the loaded part of its list: the list is loaded to its end, or
 * the conversation sorts no later than the last row loaded. One that sorts later waits for the
 * page that brings it, so it shows once and in its place.
 */
export function inLoadedPart(
  conversation: SortKey,
  key: SidebarListKey,
  page: SidebarPage | undefined,
): boolean {
  if (!page) return false;
  if (page.next === null) return true;
  const order = key === 'archive' ? newestFirst : pinnedThenNewest;
  return order(conversation, page.next) <= 0;
}
