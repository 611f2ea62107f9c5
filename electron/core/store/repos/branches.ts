import type { Db } from '../openDatabase';
import { prepared } from '../statements';
import { findActiveLeafId, setActiveLeaf } from './conversations';
import { findMessage } from './messages';
import { findLatestLeafUnder } from './thread';

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

/** What deleting a message did, or why it did not. */
export type DeleteMessageOutcome =
  | { deleted: true; conversationId: string; leafId: string | null }
  | { deleted: false; reason: 'not-found' | 'streaming' };

/**
 * Deletes one message. What came after it stays: its children move up to its parent, so the
 * thread closes over the gap. When the conversation ended at the deleted message, it now ends at
 * the most recent leaf under its parent (or under the most recent remaining root).
 * A reply that is still streaming is not deleted: stop it first.
 */
export function deleteMessage(db: Db, messageId: string): DeleteMessageOutcome {
  return db.transaction((): DeleteMessageOutcome => {
    const message = findMessage(db, messageId);
    if (!message) return { deleted: false, reason: 'not-found' };
    if (message.status === 'streaming') return { deleted: false, reason: 'streaming' };
    const { conversationId, parentId } = message;
    prepared(db, 'UPDATE messages SET parent_id = ? WHERE parent_id = ?').run(parentId, messageId);
    prepared(db, 'DELETE FROM messages WHERE id = ?').run(messageId);

    let leafId = findActiveLeafId(db, conversationId);
    if (leafId === messageId || leafId === null) {
      const from =
        parentId ??
        prepared<[string], { id: string }>(
          db,
          `SELECT id FROM messages WHERE conversation_id = ? AND parent_id IS NULL
            ORDER BY created_at DESC, rowid DESC LIMIT 1`,
        ).get(conversationId)?.id;
      leafId = from === undefined ? null : (findLatestLeafUnder(db, from) ?? from);
      prepared(db, 'UPDATE conversations SET active_leaf_id = ? WHERE id = ?').run(
        leafId,
        conversationId,
      );
    }
    return { deleted: true, conversationId, leafId };
  })();
}
