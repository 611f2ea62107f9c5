import type { Conversation, ModelRef } from '../../../../shared/domain';
import type { Db } from '../openDatabase';
import { prepared } from '../statements';

interface ConversationRow {
  id: string;
  title: string;
  provider: string;
  model: string;
  created_at: number;
  updated_at: number;
}

const COLUMNS = 'id, title, provider, model, created_at, updated_at';

function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    title: row.title,
    model: { provider: row.provider as ModelRef['provider'], model: row.model },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Inserts a new, empty conversation. */
export function insertConversation(db: Db, conversation: Conversation): void {
  prepared(
    db,
    `INSERT INTO conversations (id, title, provider, model, created_at, updated_at)
     VALUES (@id, @title, @provider, @model, @createdAt, @updatedAt)`,
  ).run({
    id: conversation.id,
    title: conversation.title,
    provider: conversation.model.provider,
    model: conversation.model.model,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
  });
}

/** The most recently active conversations first. */
export function listConversations(db: Db, limit = 500): Conversation[] {
  return prepared<[number], ConversationRow>(
    db,
    `SELECT ${COLUMNS} FROM conversations ORDER BY updated_at DESC, id LIMIT ?`,
  )
    .all(limit)
    .map(toConversation);
}

/** One conversation, or undefined. */
export function findConversation(db: Db, id: string): Conversation | undefined {
  const row = prepared<[string], ConversationRow>(
    db,
    `SELECT ${COLUMNS} FROM conversations WHERE id = ?`,
  ).get(id);
  return row && toConversation(row);
}

/** Records new activity: bumps `updated_at`, moves the active leaf, and sets a title if still blank. */
export function recordConversationActivity(
  db: Db,
  change: { id: string; activeLeafId: string; updatedAt: number; titleIfUntitled?: string },
): void {
  prepared(
    db,
    `UPDATE conversations
        SET updated_at = @updatedAt,
            active_leaf_id = @activeLeafId,
            title = CASE WHEN title = '' AND @title IS NOT NULL THEN @title ELSE title END
      WHERE id = @id`,
  ).run({
    id: change.id,
    activeLeafId: change.activeLeafId,
    updatedAt: change.updatedAt,
    title: change.titleIfUntitled ?? null,
  });
}

/** The id of the message the conversation currently ends at, or null for an empty one. */
export function findActiveLeafId(db: Db, conversationId: string): string | null {
  const row = prepared<[string], { active_leaf_id: string | null }>(
    db,
    'SELECT active_leaf_id FROM conversations WHERE id = ?',
  ).get(conversationId);
  return row?.active_leaf_id ?? null;
}
