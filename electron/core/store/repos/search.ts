import type { Message, ModelRef } from '../../../../shared/domain';
import type { Db } from '../openDatabase';
import { isTwoCjkCharacters } from '../searchFunctions';
import { prepared } from '../statements';

/**
 * Highlight markers in snippets: U+E000 opens a match and U+E001 closes it. They are
 * private-use characters, so they never collide with markup; the renderer splits the snippet on
 * them and wraps the matched parts in <mark> as text nodes, never as HTML. (Should a message
 * itself contain these characters, the worst outcome is a wrong highlight, never markup.)
 */
export const HIGHLIGHT_START = '\uE000';
/** Closes a highlighted match; see {@link HIGHLIGHT_START}. */
export const HIGHLIGHT_END = '\uE001';

/** The most terms one query may have; further words are ignored. */
export const MAX_SEARCH_TERMS = 16;
const MAX_LIMIT = 200;
const ELLIPSIS = '…';

/** A message search. `from` is inclusive and `to` exclusive, both in ms since the epoch. */
export interface MessageSearchQuery {
  query: string;
  conversationId?: string;
  /** Only conversations filed in this folder. */
  folderId?: string;
  role?: Message['role'];
  /** The provider that wrote the reply, or for user messages the conversation's provider. */
  provider?: ModelRef['provider'];
  /** Likewise for the model. */
  model?: string;
  from?: number;
  to?: number;
  /** At most 200; 50 by default. */
  limit?: number;
  offset?: number;
}

/** One message that matched. */
export interface MessageSearchHit {
  messageId: string;
  conversationId: string;
  conversationTitle: string;
  role: Message['role'];
  /** A short excerpt around the match, matches wrapped in {@link HIGHLIGHT_START} / {@link HIGHLIGHT_END}. */
  snippet: string;
  createdAt: number;
  /**
   * FTS5 bm25 score: lower is a better match. 0 for a query made only of 1–2 character words;
   * those hits come most recently stored first.
   */
  rank: number;
}

/** One conversation whose title matched. */
export interface TitleSearchHit {
  conversationId: string;
  title: string;
  /** The whole title with matches wrapped in the highlight markers. */
  highlighted: string;
  updatedAt: number;
  rank: number;
}

/**
 * The user's text split into search terms. Each whitespace-separated word is matched as a
 * literal substring (a quoted FTS5 phrase, so `"`, `*`, `-`, `:`, `(`, `NEAR` and `AND` have no
 * special meaning) and all words must match. Words of three or more characters go through the
 * trigram index; shorter ones cannot (a trigram needs three characters) and are checked with
 * LIKE on the rows the index found, or, when every word is short, by scanning the messages of
 * live conversations.
 */
export function parseSearchQuery(query: string): { indexed: string[]; short: string[] } {
  const words = query
    .normalize('NFC')
    // Control characters (NUL included) mean nothing in a search and only confuse the parser.
    .replace(/\p{Cc}/gu, ' ')
    .split(/\s+/u)
    .filter((word) => word.length > 0);
  const unique = [...new Set(words)].slice(0, MAX_SEARCH_TERMS);
  return {
    indexed: unique.filter((word) => [...word].length >= 3),
    short: unique.filter((word) => [...word].length < 3),
  };
}

/** Below this many matching messages a word is ranked by relevance; above, newest first. */
export const RANKED_BELOW_MATCHES = 1_000;

/** Whether fewer than {@link RANKED_BELOW_MATCHES} messages contain `term` (reads at most that many). */
function isSelective(db: Db, term: string): boolean {
  const row = prepared<[string, number], { n: number }>(
    db,
    `SELECT count(*) AS n FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?
      ORDER BY rowid DESC LIMIT ?)`,
  ).get(toMatchExpression([term]), RANKED_BELOW_MATCHES);
  return (row?.n ?? 0) < RANKED_BELOW_MATCHES;
}

/** An FTS5 MATCH expression: each term a quoted phrase (quotes doubled), implicitly AND-ed. */
function toMatchExpression(terms: string[]): string {
  return terms.map((term) => `"${term.replaceAll('"', '""')}"`).join(' ');
}

/** A LIKE pattern matching `term` anywhere, with `\`, `%` and `_` escaped (ESCAPE '\'). */
function toLikePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Full-text search over the messages of live conversations (the trash is left out; archived
 * conversations are included): best matches first when the words are selective, newest first
 * when a word is common (found in {@link RANKED_BELOW_MATCHES} messages or more). Matching ignores case and, for words of
 * three characters or more, accents (`resume` finds `résumé`). Words of one or two characters
 * ignore ASCII case only: they are matched with LIKE, which knows no accents. A query with no
 * words returns nothing.
 */
export function searchMessages(db: Db, search: MessageSearchQuery): MessageSearchHit[] {
  const { indexed, short } = parseSearchQuery(search.query);
  if (indexed.length === 0 && short.length === 0) return [];
  const params: Record<string, string | number> = {
    limit: clampLimit(search.limit),
    offset: Math.max(0, Math.floor(search.offset ?? 0)),
  };
  // Only the filters given become SQL, so the planner can use an index for them (for example
  // messages_by_conversation); the prepared-statement cache holds each combination once.
  const clauses = ['c.deleted_at IS NULL'];
  const filter = (value: string | number | undefined, name: string, sql: string) => {
    if (value === undefined) return;
    params[name] = value;
    clauses.push(sql);
  };
  filter(search.conversationId, 'conversationId', 'm.conversation_id = @conversationId');
  filter(search.folderId, 'folderId', 'c.folder_id = @folderId');
  filter(search.role, 'role', 'm.role = @role');
  filter(search.provider, 'provider', 'coalesce(m.provider, c.provider) = @provider');
  filter(search.model, 'model', 'coalesce(m.model, c.model) = @model');
  filter(search.from, 'from', 'm.created_at >= @from');
  filter(search.to, 'to', 'm.created_at < @to');
  short.forEach((term, i) =>
    filter(toLikePattern(term), `short${i}`, `m.content LIKE @short${i} ESCAPE '\\'`),
  );
  const filters = clauses.join(' AND ');

  if (indexed.length > 0) {
    params.match = toMatchExpression(indexed);
    // bm25 ranking costs a walk over every match of every word, plus a sort of all of them: fine
    // for selective words, hundreds of milliseconds for a word in 150,000 messages. Common words
    // therefore come back newest first, which FTS5 walks natively and stops after one page.
    const ranked = indexed.every((term) => isSelective(db, term));
    return prepared<[Record<string, unknown>], HitRow>(
      db,
      `SELECT m.id AS message_id, m.conversation_id, c.title AS conversation_title, m.role,
              m.created_at,
              snippet(messages_fts, 0, '${HIGHLIGHT_START}', '${HIGHLIGHT_END}', '${ELLIPSIS}', 24)
                AS snippet,
              ${ranked ? 'bm25(messages_fts)' : '0'} AS rank
         FROM messages_fts
         JOIN messages m ON m.rowid = messages_fts.rowid
         JOIN conversations c ON c.id = m.conversation_id
        WHERE messages_fts MATCH @match AND ${filters}
        ORDER BY ${ranked ? 'rank, m.created_at DESC, m.rowid DESC' : 'messages_fts.rowid DESC'}
        LIMIT @limit OFFSET @offset`,
    )
      .all(params)
      .map(toHit);
  }

  // Two-character CJK words (the usual Chinese word) have their own pair index; any other short
  // words are checked with LIKE on the rows it finds.
  const pairs = short.filter(isTwoCjkCharacters);
  if (pairs.length > 0) {
    params.pairs = toMatchExpression(pairs);
    return prepared<[Record<string, unknown>], HitRow & { content: string }>(
      db,
      `SELECT m.id AS message_id, m.conversation_id, c.title AS conversation_title, m.role,
              m.created_at, m.content, 0 AS rank
         FROM messages_cjk k
         JOIN messages m ON m.rowid = k.rowid
         JOIN conversations c ON c.id = m.conversation_id
        WHERE messages_cjk MATCH @pairs AND ${filters}
        ORDER BY k.rowid DESC
        LIMIT @limit OFFSET @offset`,
    )
      .all(params)
      .map((row) => toHit({ ...row, snippet: excerpt(row.content, short) }));
  }

  // Only 1–2 character words: no trigram to look up, so scan the messages, most recently stored
  // first (rowid order), which lets a common word stop after one page instead of sorting every
  // match. A word found nowhere costs one pass over the text (~60 ms per 100,000 messages).
  return prepared<[Record<string, unknown>], HitRow & { content: string }>(
    db,
    `SELECT m.id AS message_id, m.conversation_id, c.title AS conversation_title, m.role,
            m.created_at, m.content, 0 AS rank
       FROM messages m
       JOIN conversations c ON c.id = m.conversation_id
      WHERE ${filters}
      ORDER BY m.rowid DESC
      LIMIT @limit OFFSET @offset`,
  )
    .all(params)
    .map((row) => toHit({ ...row, snippet: excerpt(row.content, short) }));
}

/**
 * Searches the titles of live conversations (archived included), with the same matching rules as
 * {@link searchMessages}. Best matches first, then the most recently active.
 */
export function searchConversationTitles(
  db: Db,
  search: { query: string; limit?: number },
): TitleSearchHit[] {
  const { indexed, short } = parseSearchQuery(search.query);
  if (indexed.length === 0 && short.length === 0) return [];
  const params: Record<string, string | number> = { limit: clampLimit(search.limit) };
  const shortClauses = short.map((term, i) => {
    params[`short${i}`] = toLikePattern(term);
    return `AND c.title LIKE @short${i} ESCAPE '\\'`;
  });

  if (indexed.length > 0) {
    params.match = toMatchExpression(indexed);
    return prepared<[Record<string, unknown>], TitleRow>(
      db,
      `SELECT c.id, c.title, c.updated_at,
              highlight(conversations_fts, 0, '${HIGHLIGHT_START}', '${HIGHLIGHT_END}') AS highlighted,
              bm25(conversations_fts) AS rank
         FROM conversations_fts
         JOIN conversations c ON c.rowid = conversations_fts.rowid
        WHERE conversations_fts MATCH @match AND c.deleted_at IS NULL ${shortClauses.join(' ')}
        ORDER BY rank, c.updated_at DESC
        LIMIT @limit`,
    )
      .all(params)
      .map(toTitleHit);
  }
  return prepared<[Record<string, unknown>], TitleRow>(
    db,
    `SELECT c.id, c.title, c.updated_at, c.title AS highlighted, 0 AS rank
       FROM conversations c
      WHERE c.deleted_at IS NULL ${shortClauses.join(' ')}
      ORDER BY c.updated_at DESC, c.id DESC
      LIMIT @limit`,
  )
    .all(params)
    .map((row) => toTitleHit({ ...row, highlighted: markMatches(row.title, short) }));
}

interface HitRow {
  message_id: string;
  conversation_id: string;
  conversation_title: string;
  role: Message['role'];
  created_at: number;
  snippet: string;
  rank: number;
}

interface TitleRow {
  id: string;
  title: string;
  updated_at: number;
  highlighted: string;
  rank: number;
}

const toHit = (row: HitRow): MessageSearchHit => ({
  messageId: row.message_id,
  conversationId: row.conversation_id,
  conversationTitle: row.conversation_title,
  role: row.role,
  snippet: row.snippet,
  createdAt: row.created_at,
  rank: row.rank,
});

const toTitleHit = (row: TitleRow): TitleSearchHit => ({
  conversationId: row.id,
  title: row.title,
  highlighted: row.highlighted,
  updatedAt: row.updated_at,
  rank: row.rank,
});

function clampLimit(limit: number | undefined): number {
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit ?? 50)));
}

/** Lower-cases A–Z only, as SQLite's LIKE does; keeps every index where it was. */
const foldAscii = (text: string): string => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** Every occurrence of any term (ASCII case ignored, like LIKE) wrapped in the markers. */
function markMatches(text: string, terms: string[]): string {
  const folded = foldAscii(text);
  const ranges: [number, number][] = [];
  for (const term of terms.map(foldAscii)) {
    for (let at = folded.indexOf(term); at !== -1; at = folded.indexOf(term, at + term.length)) {
      ranges.push([at, at + term.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let cursor = 0;
  for (const [start, end] of ranges) {
    if (start < cursor) continue; // overlaps a range already marked
    out += text.slice(cursor, start) + HIGHLIGHT_START + text.slice(start, end) + HIGHLIGHT_END;
    cursor = end;
  }
  return out + text.slice(cursor);
}

/** About 60 characters around the first match, like FTS5's snippet(), with every match marked. */
function excerpt(content: string, terms: string[]): string {
  const folded = foldAscii(content);
  const first = Math.min(
    ...terms.map((term) => folded.indexOf(foldAscii(term))).filter((at) => at >= 0),
  );
  const at = Number.isFinite(first) ? first : 0;
  let start = Math.max(0, at - 20);
  let end = Math.min(content.length, at + 40);
  // Never cut a surrogate pair in half.
  if (start > 0 && isLowSurrogate(content.charCodeAt(start))) start -= 1;
  if (end < content.length && isLowSurrogate(content.charCodeAt(end))) end += 1;
  return (
    (start > 0 ? ELLIPSIS : '') +
    markMatches(content.slice(start, end), terms) +
    (end < content.length ? ELLIPSIS : '')
  );
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/**
 * Runs a large write (an import) with the per-row search-index trigger removed, then indexes
 * every new message with one INSERT … SELECT and puts the trigger back, all inside the caller's
 * transaction, so a failure leaves nothing half-indexed. FTS5 flushes its pending terms at every
 * statement savepoint and each trigger-fired insert opens one, so the per-row path writes one
 * tiny index segment per message: measured 4.3× slower on a 100,000-message import. Like the
 * triggers, it indexes only messages that are not streaming (`messages_searchable`).
 */
export function withBulkSearchIndexing<T>(db: Db, write: () => T): T {
  const triggers = prepared<[], { name: string; sql: string }>(
    db,
    `SELECT name, sql FROM sqlite_master WHERE type = 'trigger'
      AND name IN ('messages_fts_after_insert', 'messages_cjk_after_insert')`,
  ).all();
  if (triggers.length === 0) return write();
  const before = prepared<[], { last: number }>(
    db,
    'SELECT coalesce(max(rowid), 0) AS last FROM messages',
  ).get();
  const last = before?.last ?? 0;
  for (const trigger of triggers) db.exec(`DROP TRIGGER ${trigger.name}`);
  try {
    const value = write();
    const names = new Set(triggers.map((trigger) => trigger.name));
    if (names.has('messages_fts_after_insert')) {
      db.prepare(
        `INSERT INTO messages_fts (rowid, content)
           SELECT message_rowid, content FROM messages_searchable WHERE message_rowid > ?`,
      ).run(last);
    }
    if (names.has('messages_cjk_after_insert')) {
      db.prepare(
        `INSERT INTO messages_cjk (rowid, bigrams)
           SELECT message_rowid, b
             FROM (SELECT message_rowid, causerie_cjk_bigrams(content) AS b
                     FROM messages_searchable WHERE message_rowid > ?)
            WHERE b <> ''`,
      ).run(last);
    }
    return value;
  } finally {
    for (const trigger of triggers) db.exec(trigger.sql);
  }
}
