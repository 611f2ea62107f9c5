import type { Db } from '../openDatabase';
import { setActiveLeaf } from './conversations';
import { findLatestLeafUnder, findMessage } from './messages';

/**
 * Switches the conversation to the branch through `messageId` (typically a sibling the user
 * picked with "< 2/3 >"): the thread continues down that branch's most recent replies. Returns the
 * new active leaf, or undefined when the message does not exist.
 */
export function switchToBranch(
  db: Db,
  messageId: string,
): { conversationId: string; leafId: string } | undefined {
  return db.transaction(() => {
    const message = findMessage(db, messageId);
    if (!message) return undefined;
    const leafId = findLatestLeafUnder(db, messageId) ?? messageId;
    setActiveLeaf(db, message.conversationId, leafId);
    return { conversationId: message.conversationId, leafId };
  })();
}
