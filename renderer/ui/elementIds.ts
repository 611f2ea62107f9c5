/** The id of the search box, which Ctrl/⌘+K focuses. */
export const SEARCH_INPUT_ID = 'conversation-search';
/** The id of the message box. */
export const COMPOSER_INPUT_ID = 'composer-input';
