// Where focus goes in the sidebar when the element that had it goes away or is replaced.

/** The Undo button shown after an archive or a delete. */
export const UNDO_SELECTOR = '.undo-bar button';
/** The sidebar's "New folder" button. */
export const NEW_FOLDER_SELECTOR = '.new-folder-button';
/** The footer's Archived button. */
export const ARCHIVE_BUTTON_SELECTOR = '.archive-button';

/** The open button of a conversation's row. */
export const conversationButtonSelector = (conversationId: string) =>
  `[data-conversation-id="${CSS.escape(conversationId)}"] .conversation-item`;

/** The menu button of a conversation's row. */
export const conversationMenuSelector = (conversationId: string) =>
  `[data-conversation-id="${CSS.escape(conversationId)}"] .row-menu-button`;

/** The fold/unfold button of a folder. */
export const folderButtonSelector = (folderId: string) =>
  `[data-folder-id="${CSS.escape(folderId)}"] .folder-toggle`;

/** Moves focus to the first element matching `selector` once React has drawn it. */
export function focusSoon(selector: string): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>(selector)?.focus());
}

/**
 * After an action that may remove the focused row (archive, delete, move), puts focus on
 * `selector` if it was lost to the page, so keyboard users are not sent back to the top.
 */
export function refocusIfLost(selector: string): void {
  requestAnimationFrame(() => {
    const active = document.activeElement;
    if (active && active !== document.body && active.isConnected) return;
    document.querySelector<HTMLElement>(selector)?.focus();
  });
}
