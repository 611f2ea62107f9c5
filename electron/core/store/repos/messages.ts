import type { ErrorCode } from '../../../../shared/errors';
import type { Message, MessageStatus, Usage } from '../../../../shared/domain';
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
const COLUMNS = COLUMN_NAMES.join(', ');
const COLUMNS_OF_M = COLUMN_NAMES.map((name) => `m.${name}`).join(', ');

function toMessage(row: MessageRow): MessageRecord {
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

/**
 * The thread as the user sees it: from the root down to `leafId`, following `parent_id`.
 * Walks up with a recursive CTE so it costs the path's length, not the conversation's size.
 */
export function listPathToLeaf(db: Db, leafId: string): MessageRecord[] {
  return listThread(db, leafId).map((entry) => entry.message);
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

/**
 * The alternatives at one point of the tree: the messages sharing `messageId`'s parent (for a
 * root message, the other roots of its conversation), oldest first, `messageId` included.
 * Empty when the message does not exist.
 */
export function listSiblings(db: Db, messageId: string): MessageRecord[] {
  return prepared<[string], MessageRow>(
    db,
    `SELECT ${COLUMNS_OF_M}
       FROM messages self
       JOIN messages m ON m.conversation_id = self.conversation_id AND m.parent_id IS self.parent_id
      WHERE self.id = ?
      ORDER BY m.created_at, m.rowid`,
  )
    .all(messageId)
    .map(toMessage);
}

/** A message on the visible thread, with where it sits among its siblings (for "2 / 3"). */
export interface ThreadEntry {
  message: MessageRecord;
  /** 0-based position among its siblings, oldest first. */
  siblingIndex: number;
  siblingCount: number;
}

/**
 * Like {@link listPathToLeaf}, with each message's position among its siblings, so the thread
 * can show branch switchers without one query per message.
 */
export function listThread(db: Db, leafId: string): ThreadEntry[] {
  const leaf = prepared<[string], { conversation_id: string }>(
    db,
    'SELECT conversation_id FROM messages WHERE id = ?',
  ).get(leafId);
  if (!leaf) return [];
  // One scan of the conversation on its index, then the parent links are followed in memory:
  // cheaper than a recursive query that looks every message up by its text id twice.
  const rows = prepared<[string], MessageRow & { row: number }>(
    db,
    `SELECT ${COLUMNS}, rowid AS row FROM messages
      WHERE conversation_id = ? ORDER BY created_at, rowid`,
  ).all(leaf.conversation_id);
  const byId = new Map<string, MessageRow>();
  const siblings = new Map<string | null, string[]>();
  for (const row of rows) {
    byId.set(row.id, row);
    const group = siblings.get(row.parent_id);
    if (group) group.push(row.id);
    else siblings.set(row.parent_id, [row.id]);
  }
  const path: ThreadEntry[] = [];
  const seen = new Set<string>();
  for (let row = byId.get(leafId); row && !seen.has(row.id);) {
    seen.add(row.id);
    const group = siblings.get(row.parent_id) ?? [row.id];
    path.push({
      message: toMessage(row),
      siblingIndex: group.indexOf(row.id),
      siblingCount: group.length,
    });
    row = row.parent_id === null ? undefined : byId.get(row.parent_id);
  }
  return path.reverse();
}

/** A window of the visible thread, and how many of its messages come before the window. */
export interface ThreadPage {
  entries: ThreadEntry[];
  /** Messages of the thread above the first entry, not sent yet (loaded when the user scrolls up). */
  earlier: number;
}

/** Messages shown above a message that was asked to be in view (a search hit, a branch switch). */
const CONTEXT_ABOVE_TARGET = 10;

/**
 * Part of the thread from the root down to `leafId`: the `limit` messages that end just before
 * `endBefore` (or at the leaf), widened upward so `include` is in it when it is on the path.
 *
 * Opening a 10,000-message conversation sends its last page, not the whole thread: the
 * conversation's parent links are scanned without their text, and only the page's rows are read
 * in full. Undefined when `leafId` or `endBefore` is not on the thread.
 */
export function listThreadPage(
  db: Db,
  leafId: string,
  page: { limit: number; endBefore?: string; include?: string },
): ThreadPage | undefined {
  const leaf = prepared<[string], { conversation_id: string }>(
    db,
    'SELECT conversation_id FROM messages WHERE id = ?',
  ).get(leafId);
  if (!leaf) return undefined;
  const links = prepared<[string], { id: string; parent_id: string | null }>(
    db,
    `SELECT id, parent_id FROM messages WHERE conversation_id = ? ORDER BY created_at, rowid`,
  ).all(leaf.conversation_id);
  const parentOf = new Map<string, string | null>();
  const siblings = new Map<string | null, string[]>();
  for (const link of links) {
    parentOf.set(link.id, link.parent_id);
    const group = siblings.get(link.parent_id);
    if (group) group.push(link.id);
    else siblings.set(link.parent_id, [link.id]);
  }
  const path: string[] = [];
  const seen = new Set<string>();
  for (let id: string | null | undefined = leafId; id && !seen.has(id); id = parentOf.get(id)) {
    seen.add(id);
    path.push(id);
  }
  path.reverse();

  const end = page.endBefore === undefined ? path.length : path.indexOf(page.endBefore);
  if (end === -1) return undefined;
  let start = Math.max(0, end - page.limit);
  const target = page.include === undefined ? -1 : path.indexOf(page.include);
  if (target !== -1 && target < start) start = Math.max(0, target - CONTEXT_ABOVE_TARGET);
  const ids = path.slice(start, end);

  const rows = prepared<[string], MessageRow>(
    db,
    `SELECT ${COLUMNS} FROM messages WHERE id IN (SELECT value FROM json_each(?))`,
  ).all(JSON.stringify(ids));
  const byId = new Map(rows.map((row) => [row.id, row]));
  const entries: ThreadEntry[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) continue;
    const group = siblings.get(row.parent_id) ?? [row.id];
    entries.push({
      message: toMessage(row),
      siblingIndex: group.indexOf(row.id),
      siblingCount: group.length,
    });
  }
  return { entries, earlier: start };
}

/**
 * The leaf reached from `messageId` by always taking the most recent child (by `created_at`,
 * then insertion order): where the thread continues when the user switches to that branch.
 * `messageId` itself when it has no children; undefined when it does not exist.
 */
export function findLatestLeafUnder(db: Db, messageId: string): string | undefined {
  const row = prepared<[string], { id: string }>(
    db,
    `WITH RECURSIVE down (id, depth) AS (
       SELECT id, 0 FROM messages WHERE id = ?
       UNION ALL
       SELECT (SELECT c.id FROM messages c WHERE c.parent_id = down.id
                ORDER BY c.created_at DESC, c.rowid DESC LIMIT 1),
              down.depth + 1
         FROM down
        WHERE EXISTS (SELECT 1 FROM messages c WHERE c.parent_id = down.id)
          AND down.depth < 100000 -- a guard: parent links cannot form a cycle, but never spin
     )
     SELECT id FROM down ORDER BY depth DESC LIMIT 1`,
  ).get(messageId);
  return row?.id;
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
