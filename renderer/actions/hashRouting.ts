const HASH_PREFIX = '#/c/';

/** Which conversation the URL names, so a reload reopens it. */
export function conversationIdFromHash(hash: string): string | null {
  return hash.startsWith(HASH_PREFIX) ? decodeURIComponent(hash.slice(HASH_PREFIX.length)) : null;
}

/** Names the open conversation in the URL (none: no hash), without a history entry. */
export function setHash(conversationId: string | null): void {
  const hash = conversationId ? HASH_PREFIX + encodeURIComponent(conversationId) : '';
  if (window.location.hash !== hash) {
    history.replaceState(null, '', hash || window.location.pathname + window.location.search);
  }
}

/** Opens the conversation the URL names when the hash changes; returns the unsubscribe. */
export function watchHash(
  openConversationId: () => string | null,
  open: (conversationId: string) => void,
): () => void {
  const onHashChange = () => {
    const id = conversationIdFromHash(window.location.hash);
    if (id && id !== openConversationId()) open(id);
  };
  window.addEventListener('hashchange', onHashChange);
  return () => window.removeEventListener('hashchange', onHashChange);
}
