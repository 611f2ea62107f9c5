/**
 * Prototypes of store changes, measured by bench/store.ts next to the code as it is. Nothing
 * here is app code: each function shows, with the smallest amount of SQL that proves the point,
 * a change proposed for electron/core/store (see bench/README.md). Raw SQL is fine in bench/.
 */
import {
  parseSearchQuery,
  HIGHLIGHT_END,
  HIGHLIGHT_START,
} from '../../electron/core/store/repos/search';
import { fillFoldedIndexes } from '../../electron/core/store/migrations/0007-fold-search-index';
import type { Db } from '../../electron/core/store/openDatabase';

// ------------------------------------------------------------------ bulk search indexing

/**
 * Runs `write` with the per-row FTS insert trigger removed, then indexes every new message
 * with one INSERT … SELECT, and puts the trigger back; all in one transaction, so a failure
 * leaves nothing half-indexed. Why it is faster: FTS5 flushes its pending terms to disk at every
 * statement savepoint (fts5SavepointMethod), and each INSERT that fires a trigger opens one, so
 * the trigger path writes one tiny segment per message and then merges them. New rows are found
 * by rowid (`messages` rowids only grow while max(rowid) < 2^63).
 */
export function withBulkSearchIndexing<T>(db: Db, write: () => T): { value: T; indexMs: number } {
  return db.transaction(() => {
    const trigger = db
      .prepare<[], { sql: string }>(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'messages_fts_after_insert'",
      )
      .get();
    if (!trigger) throw new Error('messages_fts_after_insert is missing');
    const before = db
      .prepare<[], { last: number }>('SELECT coalesce(max(rowid), 0) AS last FROM messages')
      .get() as { last: number };
    db.exec('DROP TRIGGER messages_fts_after_insert');
    const value = write();
    const started = performance.now();
    // Since migration 0007 the one insert trigger folds the text and fills every message index.
    fillFoldedIndexes(db, before.last);
    const indexMs = performance.now() - started;
    db.exec(trigger.sql);
    return { value, indexMs };
  })();
}

// ------------------------------------------------------------------ CJK bigram index

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
const TWO_CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{2}$/u;

/** Every pair of adjacent CJK characters in `text`, space-separated ("数据库" → "数据 据库"). */
export function cjkBigrams(text: string): string {
  const out: string[] = [];
  for (const [run] of text.matchAll(CJK_RUN)) {
    const chars = [...run];
    for (let i = 0; i + 1 < chars.length; i++) out.push(`${chars[i]}${chars[i + 1]}`);
  }
  return out.join(' ');
}

/** Whether a search word is exactly two CJK characters (the trigram index cannot find those). */
export const isTwoCjk = (word: string): boolean => TWO_CJK.test(word);

/**
 * The proposed companion index for two-character CJK words: a contentless FTS5 table (no second
 * copy of the text) of CJK bigrams, one token each, detail=none (single-token lookups need no
 * positions). In the app it would be kept by triggers calling a deterministic SQL function
 * registered on every connection (configureConnection), like the trigram index; here it is
 * backfilled the way the migration would. Returns how long the backfill took.
 */
export function createCjkBigramIndex(db: Db): { ms: number; rows: number } {
  const started = performance.now();
  db.function('bench_cjk_bigrams', { deterministic: true }, (text) =>
    typeof text === 'string' ? cjkBigrams(text) : '',
  );
  const rows = db.transaction(() => {
    db.exec(`
      DROP TABLE IF EXISTS bench_messages_cjk;
      CREATE VIRTUAL TABLE bench_messages_cjk USING fts5(
        bigrams, content = '', contentless_delete = 1, detail = none,
        tokenize = 'unicode61 remove_diacritics 0'
      );
    `);
    return db
      .prepare(
        `INSERT INTO bench_messages_cjk (rowid, bigrams)
           SELECT rowid, b FROM (SELECT rowid, bench_cjk_bigrams(content) AS b FROM messages)
            WHERE b <> ''`,
      )
      .run().changes;
  })();
  return { ms: performance.now() - started, rows };
}

// ------------------------------------------------------------------ search, bounded ranking

interface Hit {
  message_id: string;
  conversation_id: string;
  conversation_title: string;
  role: string;
  created_at: number;
  snippet: string;
  rank: number;
}

const ESCAPE = "ESCAPE '\\'";
const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
const matchExpression = (terms: string[]) =>
  terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' ');

/** A word is selective when fewer than this many messages contain it. */
export const SELECTIVE_BELOW = 1_000;

/**
 * searchMessages as proposed. Why the current query is slow on common words: bm25() computes each
 * word's document frequency by walking every message that contains it (FTS5 xQueryPhrase), and
 * the query then builds a snippet for every match and sorts them all (a temp B-tree) to keep 50:
 * 150,000+ rows for a common word in a million messages. Newest-first instead lets FTS5 walk
 * the matches by descending rowid (natively) and stop at the page, with snippets for the page
 * only. Modes: `newest` always does that; `hybrid` keeps today's bm25 ranking when every word
 * is selective (each found in fewer than SELECTIVE_BELOW messages, checked with one cheap
 * bounded probe per word), which bounds its cost. Two-character CJK words go through the bigram
 * index when no longer word can drive the query. Returns null where the current code's path
 * would be taken unchanged (the caller then runs searchMessages).
 */
export function searchPrototype(
  db: Db,
  query: string,
  options: { mode: 'newest' | 'hybrid'; limit?: number },
): Hit[] | null {
  const { indexed, short } = parseSearchQuery(query);
  if (indexed.length === 0 && short.length === 0) return [];
  const limit = options.limit ?? 50;
  const params: Record<string, string | number> = { limit };
  const likes = short.map((term, i) => {
    params[`short${i}`] = likePattern(term);
    return `AND m.content LIKE @short${i} ${ESCAPE}`;
  });
  const filters = `c.deleted_at IS NULL ${likes.join(' ')}`;

  if (indexed.length > 0) {
    if (options.mode === 'hybrid' && indexed.every((term) => isSelective(db, term))) return null;
    params.match = matchExpression(indexed);
    return db
      .prepare<[Record<string, unknown>], Hit>(
        `SELECT m.id AS message_id, m.conversation_id, c.title AS conversation_title, m.role,
                m.created_at, 0 AS rank,
                snippet(messages_fts, 0, '${HIGHLIGHT_START}', '${HIGHLIGHT_END}', '…', 24) AS snippet
           FROM messages_fts
           JOIN messages m ON m.rowid = messages_fts.rowid
           JOIN conversations c ON c.id = m.conversation_id
          WHERE messages_fts MATCH @match AND ${filters}
          ORDER BY messages_fts.rowid DESC
          LIMIT @limit`,
      )
      .all(params);
  }

  const pairs = short.filter(isTwoCjk);
  if (pairs.length === 0) return null; // unchanged: the LIKE scan
  params.cjk = matchExpression(pairs);
  return db
    .prepare<[Record<string, unknown>], Hit & { content: string }>(
      `SELECT m.id AS message_id, m.conversation_id, c.title AS conversation_title, m.role,
              m.created_at, m.content, 0 AS rank
         FROM bench_messages_cjk k
         JOIN messages m ON m.rowid = k.rowid
         JOIN conversations c ON c.id = m.conversation_id
        WHERE bench_messages_cjk MATCH @cjk AND ${filters}
        ORDER BY k.rowid DESC
        LIMIT @limit`,
    )
    .all(params)
    .map(({ content, ...hit }) => ({ ...hit, snippet: excerpt(content, pairs[0] ?? '') }));
}

/** Whether fewer than SELECTIVE_BELOW messages contain `term`: reads at most that many entries. */
function isSelective(db: Db, term: string): boolean {
  const row = db
    .prepare<[string, number], { n: number }>(
      `SELECT count(*) AS n FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?
        ORDER BY rowid DESC LIMIT ?)`,
    )
    .get(matchExpression([term]), SELECTIVE_BELOW) as { n: number };
  return row.n < SELECTIVE_BELOW;
}

/** About 60 characters around the first match (what searchMessages' short-word path returns). */
function excerpt(content: string, term: string): string {
  const at = Math.max(0, content.indexOf(term));
  const start = Math.max(0, at - 20);
  return (
    content.slice(start, at) +
    HIGHLIGHT_START +
    term +
    HIGHLIGHT_END +
    content.slice(at + term.length, at + 40)
  );
}

// ------------------------------------------------------------------ opening a long thread

const COLUMNS = `id, conversation_id, parent_id, role, content, status, provider, model,
  prompt_tokens, completion_tokens, total_tokens, error_code, error_message, created_at, updated_at,
  reply_language, detected_language, ttft_ms, tokens_per_sec`;
const COLUMNS_OF_M = COLUMNS.split(',')
  .map((c) => `m.${c.trim()}`)
  .join(', ');

interface Row {
  id: string;
  conversation_id: string;
  parent_id: string | null;
  role: string;
  content: string;
  status: string;
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

/** The same object repos/messages.ts toMessage builds (not exported), so JS costs compare. */
const toRecord = (row: Row) => ({
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
      : { code: row.error_code, message: row.error_message ?? '', retryable: false },
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  replyLanguage: row.reply_language,
  detectedLanguage: row.detected_language,
  ttftMs: row.ttft_ms,
  tokensPerSec: row.tokens_per_sec,
});

/** listPathToLeaf's SQL as it is, without the row mapping (to split SQL time from JS time). */
export const pathSqlAsIs = (db: Db, leafId: string): unknown[] =>
  db
    .prepare(
      `WITH RECURSIVE path (id, depth) AS (
         SELECT id, 0 FROM messages WHERE id = ?
         UNION ALL
         SELECT m.parent_id, path.depth + 1 FROM messages m JOIN path ON m.id = path.id
          WHERE m.parent_id IS NOT NULL
       )
       SELECT ${COLUMNS_OF_M} FROM path JOIN messages m ON m.id = path.id ORDER BY path.depth DESC`,
    )
    .all(leafId);

/**
 * The same path (mapped like listPathToLeaf's), with the walk carrying each row's rowid and parent_id: one lookup by id per
 * message instead of two (the current CTE looks every id up again in its final join, and each
 * lookup by TEXT id is two B-tree searches: the id index, then the table).
 */
export const pathSqlRowid = (db: Db, leafId: string): unknown[] =>
  db
    .prepare<[string], Row>(
      `WITH RECURSIVE path (rid, parent_id, depth) AS (
         SELECT rowid, parent_id, 0 FROM messages WHERE id = ?
         UNION ALL
         SELECT m.rowid, m.parent_id, path.depth + 1 FROM messages m JOIN path ON m.id = path.parent_id
       )
       SELECT ${COLUMNS_OF_M} FROM path JOIN messages m ON m.rowid = path.rid ORDER BY path.depth DESC`,
    )
    .all(leafId)
    .map(toRecord);

/**
 * The path built in JS from every message of the conversation, read in one range scan of
 * messages_by_conversation: no lookup by id at all. Costs the conversation's size (branches
 * included) rather than the path's, which for chat (few regenerations) is about the same.
 */
export function pathByConversation(db: Db, leafId: string): unknown[] {
  const rows = db
    .prepare<[string], Row>(
      `SELECT ${COLUMNS} FROM messages
        WHERE conversation_id = (SELECT conversation_id FROM messages WHERE id = ?)`,
    )
    .all(leafId);
  const byId = new Map(rows.map((row) => [row.id, row]));
  const path: Row[] = [];
  for (let row = byId.get(leafId); row; row = row.parent_id ? byId.get(row.parent_id) : undefined) {
    path.push(row);
    if (path.length > rows.length) break; // a cycle cannot happen, but never spin
  }
  return path.reverse().map(toRecord);
}
