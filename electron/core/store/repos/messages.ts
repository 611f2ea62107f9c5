import type { ErrorCode } from '../../../../shared/errors';
import type { Message, MessageStatus, ModelRef, Usage } from '../../../../shared/domain';
import type { Db } from '../openDatabase';
import { prepared } from '../statements';

interface MessageRow {
  id: string;
  conversation_id: string;
  parent_id: string | null;
  role: Message['role'];
  content: string;
  status: MessageStatus;
  provider: string | null;
  model: string | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  total_tokens: number | null;
  error_code: string | null;
  error_message: string | null;
  created_at: number;
  updated_at: number;
}

const COLUMN_NAMES = [
  'id',
  'conversation_id',
  'parent_id',
  'role',
  'content',
  'status',
  'provider',
  'model',
  'prompt_tokens',
  'completion_tokens',
  'total_tokens',
  'error_code',
  'error_message',
  'created_at',
  'updated_at',
];
const COLUMNS = COLUMN_NAMES.join(', ');
const COLUMNS_OF_M = COLUMN_NAMES.map((name) => `m.${name}`).join(', ');

function toMessage(row: MessageRow): Message {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    parentId: row.parent_id,
    role: row.role,
    content: row.content,
    status: row.status,
    model:
      row.provider && row.model
        ? { provider: row.provider as ModelRef['provider'], model: row.model }
        : null,
    usage:
      row.total_tokens === null
        ? null
        : {
            promptTokens: row.prompt_tokens ?? 0,
            completionTokens: row.completion_tokens ?? 0,
            totalTokens: row.total_tokens,
          },
    error:
      row.error_code === null
        ? null
        : {
            code: row.error_code as ErrorCode,
            message: row.error_message ?? '',
            retryable: false,
          },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Inserts one message. */
export function insertMessage(db: Db, message: Message): void {
  prepared(
    db,
    `INSERT INTO messages (id, conversation_id, parent_id, role, content, status, provider, model,
       prompt_tokens, completion_tokens, total_tokens, error_code, error_message, created_at, updated_at)
     VALUES (@id, @conversationId, @parentId, @role, @content, @status, @provider, @model,
       @promptTokens, @completionTokens, @totalTokens, @errorCode, @errorMessage, @createdAt, @updatedAt)`,
  ).run({
    id: message.id,
    conversationId: message.conversationId,
    parentId: message.parentId,
    role: message.role,
    content: message.content,
    status: message.status,
    provider: message.model?.provider ?? null,
    model: message.model?.model ?? null,
    promptTokens: message.usage?.promptTokens ?? null,
    completionTokens: message.usage?.completionTokens ?? null,
    totalTokens: message.usage?.totalTokens ?? null,
    errorCode: message.error?.code ?? null,
    errorMessage: message.error?.message ?? null,
    createdAt: message.createdAt,
    updatedAt: message.updatedAt,
  });
}

/** One message, or undefined. */
export function findMessage(db: Db, id: string): Message | undefined {
  const row = prepared<[string], MessageRow>(
    db,
    `SELECT ${COLUMNS} FROM messages WHERE id = ?`,
  ).get(id);
  return row && toMessage(row);
}

/**
 * The thread as the user sees it: from the root down to `leafId`, following `parent_id`.
 * Walks up with a recursive CTE so it costs the path's length, not the conversation's size.
 */
export function listPathToLeaf(db: Db, leafId: string): Message[] {
  return prepared<[string], MessageRow>(
    db,
    `WITH RECURSIVE path (id, depth) AS (
       SELECT id, 0 FROM messages WHERE id = ?
       UNION ALL
       SELECT m.parent_id, path.depth + 1 FROM messages m JOIN path ON m.id = path.id
        WHERE m.parent_id IS NOT NULL
     )
     SELECT ${COLUMNS_OF_M}
       FROM path JOIN messages m ON m.id = path.id
      ORDER BY path.depth DESC`,
  )
    .all(leafId)
    .map(toMessage);
}

/** Saves text received so far while a reply streams; the status stays `streaming`. */
export function checkpointMessageContent(
  db: Db,
  change: { id: string; content: string; updatedAt: number },
): void {
  prepared(
    db,
    `UPDATE messages SET content = @content, updated_at = @updatedAt
      WHERE id = @id AND status = 'streaming'`,
  ).run(change);
}

/** Ends a streaming reply: its final text, status, usage and error, in one write. */
export function finishMessage(
  db: Db,
  change: {
    id: string;
    content: string;
    status: Exclude<MessageStatus, 'streaming'>;
    usage: Usage | null;
    error: { code: ErrorCode; message: string } | null;
    updatedAt: number;
  },
): void {
  prepared(
    db,
    `UPDATE messages
        SET content = @content, status = @status,
            prompt_tokens = @promptTokens, completion_tokens = @completionTokens,
            total_tokens = @totalTokens, error_code = @errorCode, error_message = @errorMessage,
            updated_at = @updatedAt
      WHERE id = @id`,
  ).run({
    id: change.id,
    content: change.content,
    status: change.status,
    promptTokens: change.usage?.promptTokens ?? null,
    completionTokens: change.usage?.completionTokens ?? null,
    totalTokens: change.usage?.totalTokens ?? null,
    errorCode: change.error?.code ?? null,
    errorMessage: change.error?.message ?? null,
    updatedAt: change.updatedAt,
  });
}

/**
 * Replies still marked `streaming` when the store opens were cut off by a crash or kill:
 * mark them `interrupted`, keeping every character that was checkpointed.
 */
export function markStreamingMessagesInterrupted(db: Db, now: number): number {
  return prepared(
    db,
    `UPDATE messages SET status = 'interrupted', updated_at = ? WHERE status = 'streaming'`,
  ).run(now).changes;
}
