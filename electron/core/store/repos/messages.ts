import type { ErrorCode } from '../../../../shared/errors';
import type { Message, MessageStatus, Usage } from '../../../../shared/domain';
import type { Db } from '../openDatabase';
import { prepared } from '../statements';

export interface MessageRow {
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
  reply_language: string | null;
  detected_language: string | null;
  ttft_ms: number | null;
  tokens_per_sec: number | null;
}

/** What the store keeps about a message beyond the domain {@link Message}. */
export interface MessageExtras {
  /** The language the reply was asked to be in (a language code), if one was asked. */
  replyLanguage: string | null;
  /** The language the text was detected to be in, if detection ran. */
  detectedLanguage: string | null;
  /** Time to first token, in milliseconds. */
  ttftMs: number | null;
  /** Generation speed over the whole reply. */
  tokensPerSec: number | null;
}

/** A message as stored: the domain fields plus {@link MessageExtras}. */
export type MessageRecord = Message & MessageExtras;

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
  'reply_language',
  'detected_language',
  'ttft_ms',
  'tokens_per_sec',
];
export const COLUMNS = COLUMN_NAMES.join(', ');
export const COLUMNS_OF_M = COLUMN_NAMES.map((name) => `m.${name}`).join(', ');

export function toMessage(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    parentId: row.parent_id,
    role: row.role,
    content: row.content,
    status: row.status,
    model: row.provider && row.model ? { provider: row.provider, model: row.model } : null,
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
    replyLanguage: row.reply_language,
    detectedLanguage: row.detected_language,
    ttftMs: row.ttft_ms,
    tokensPerSec: row.tokens_per_sec,
  };
}

/**
 * Inserts one message. Editing a user message or regenerating a reply never overwrites: it
 * inserts a sibling (same `parentId`) and makes the new branch active.
 */
export function insertMessage(
  db: Db,
  message: Omit<Message, keyof MessageExtras> & Partial<MessageExtras>,
): void {
  prepared(
    db,
    `INSERT INTO messages (id, conversation_id, parent_id, role, content, status, provider, model,
       prompt_tokens, completion_tokens, total_tokens, error_code, error_message, created_at, updated_at,
       reply_language, detected_language, ttft_ms, tokens_per_sec)
     VALUES (@id, @conversationId, @parentId, @role, @content, @status, @provider, @model,
       @promptTokens, @completionTokens, @totalTokens, @errorCode, @errorMessage, @createdAt, @updatedAt,
       @replyLanguage, @detectedLanguage, @ttftMs, @tokensPerSec)`,
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
    replyLanguage: message.replyLanguage ?? null,
    detectedLanguage: message.detectedLanguage ?? null,
    ttftMs: message.ttftMs ?? null,
    tokensPerSec: message.tokensPerSec ?? null,
  });
}

/** One message, or undefined. */
export function findMessage(db: Db, id: string): MessageRecord | undefined {
  const row = prepared<[string], MessageRow>(
    db,
    `SELECT ${COLUMNS} FROM messages WHERE id = ?`,
  ).get(id);
  return row && toMessage(row);
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

/**
 * Ends a streaming reply: its final text, status, usage and error, in one write. The optional
 * language and timing fields are saved when given and left as they were when not.
 */
export function finishMessage(
  db: Db,
  change: {
    id: string;
    content: string;
    status: Exclude<MessageStatus, 'streaming'>;
    usage: Usage | null;
    error: { code: ErrorCode; message: string } | null;
    updatedAt: number;
    replyLanguage?: string | null;
    detectedLanguage?: string | null;
    ttftMs?: number | null;
    tokensPerSec?: number | null;
  },
): void {
  prepared(
    db,
    `UPDATE messages
        SET content = @content, status = @status,
            prompt_tokens = @promptTokens, completion_tokens = @completionTokens,
            total_tokens = @totalTokens, error_code = @errorCode, error_message = @errorMessage,
            updated_at = @updatedAt,
            reply_language = COALESCE(@replyLanguage, reply_language),
            detected_language = COALESCE(@detectedLanguage, detected_language),
            ttft_ms = COALESCE(@ttftMs, ttft_ms),
            tokens_per_sec = COALESCE(@tokensPerSec, tokens_per_sec)
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
    replyLanguage: change.replyLanguage ?? null,
    detectedLanguage: change.detectedLanguage ?? null,
    ttftMs: change.ttftMs ?? null,
    tokensPerSec: change.tokensPerSec ?? null,
  });
}

/**
 * Reopens a reply that stopped part-way (stopped, interrupted, failed) so it can be continued: its
 * text stays, its status goes back to `streaming` (a crash during the continuation is then
 * recovered like any other) and its old error is cleared. Returns false when the reply is not in a
 * state that can be continued, e.g. because another continuation already reopened it.
 */
export function reopenReplyForContinuation(
  db: Db,
  change: { id: string; updatedAt: number },
): boolean {
  return (
    prepared(
      db,
      `UPDATE messages
          SET status = 'streaming', error_code = NULL, error_message = NULL, updated_at = @updatedAt
        WHERE id = @id AND role = 'assistant' AND content <> ''
          AND status IN ('cancelled', 'interrupted', 'error')`,
    ).run(change).changes === 1
  );
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

/** Every message of a conversation, every branch included, oldest first (for export). */
export function listConversationMessages(db: Db, conversationId: string): MessageRecord[] {
  return prepared<[string], MessageRow>(
    db,
    `SELECT ${COLUMNS} FROM messages WHERE conversation_id = ? ORDER BY created_at, rowid`,
  )
    .all(conversationId)
    .map(toMessage);
}
