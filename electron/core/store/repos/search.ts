import type { Message, ModelRef } from '../../../../shared/domain';
import type { Db } from '../openDatabase';
import { foldAcrossChineseScripts, foldForSearch } from '../searchFolding';
import { isTwoCjkCharacters, SIMPLIFIED_PAIR_PREFIX } from '../searchFunctions';
import { markMatches, snippet } from '../searchSnippets';
import { fillFoldedIndexes } from '../migrations/0007-fold-search-index';
import { prepared } from '../statements';

/*
 * Highlight markers in snippets: U+E000 opens a match and U+E001 closes it. They are
 * private-use characters, so they never collide with markup; the renderer splits the snippet on
 * them and wraps the matched parts in <mark> as text nodes, never as HTML. (Should a message
 * itself contain these characters, the worst outcome is a wrong highlight, never markup.)
 */
export { HIGHLIGHT_END, HIGHLIGHT_START } from '../searchSnippets';

/** The most terms one query may have; further words are ignored. */
export const MAX_SEARCH_TERMS = 16;
const MAX_LIMIT = 200;

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
  /** Simplified and Traditional Chinese match each other (数据 finds 數據 and the reverse). */
  chineseVariants?: boolean;
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

/** Quotes that make a phrase of the words between them, opening → closing. */
const QUOTES = /"([^"]*)"|“([^”]*)”|„([^“”]*)[“”]|«([^»]*)»|([^\s"“”„«»]+)/gu;

/**
 * The user's text split into search terms, folded (see store/searchFolding.ts) as the indexes
 * are. Each whitespace-separated word, or each quoted phrase ("new york", “…”, «…»: the words
 * next to each other), is matched as a literal substring of the folded text (a quoted FTS5
 * phrase, so `*`, `-`, `:`, `(`, `NEAR` and `AND` have no special meaning; a quote left open
 * is ignored) and all terms must match. Terms of three or more characters go through the
 * trigram index; shorter ones cannot (a trigram needs three characters) and are checked on the
 * folded text of the rows the index found, or, when every term is short, by scanning the
 * messages of live conversations. With `chineseVariants`, terms are also made Simplified.
 */
export function parseSearchQuery(
  query: string,
  options: { chineseVariants?: boolean } = {},
): { indexed: string[]; short: string[] } {
  const fold = options.chineseVariants ? foldAcrossChineseScripts : foldForSearch;
  const text = query
    .normalize('NFKC')
    // Control characters (NUL included) mean nothing in a search and only confuse the parser.
    .replace(/\p{Cc}/gu, ' ');
  const terms: string[] = [];
  for (const match of text.matchAll(QUOTES)) {
    const raw = match.slice(1).find((group) => group !== undefined) ?? '';
    const term = fold(raw).trim();
    if (term.length > 0) terms.push(term);
  }
  const unique = [...new Set(terms)].slice(0, MAX_SEARCH_TERMS);
  return {
    indexed: unique.filter((term) => [...term].length >= 3),
    short: unique.filter((term) => [...term].length < 3),
  };
}

/** Below this many matching messages a word is ranked by relevance; above, newest first. */
export const RANKED_BELOW_MATCHES = 1_000;

/** Whether fewer than {@link RANKED_BELOW_MATCHES} messages contain `term` (reads at most that many). */
function isSelective(db: Db, term: string, columns: string): boolean {
  const row = prepared<[string, number], { n: number }>(
    db,
    `SELECT count(*) AS n FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?
      ORDER BY rowid DESC LIMIT ?)`,
  ).get(toMatchExpression([term], columns), RANKED_BELOW_MATCHES);
  return (row?.n ?? 0) < RANKED_BELOW_MATCHES;
}

const quoted = (term: string): string => `"${term.replaceAll('"', '""')}"`;

/**
 * An FTS5 MATCH expression: each term a quoted phrase (quotes doubled) in the given columns,
 * implicitly AND-ed. The plain search looks in the folded text only; the Simplified ↔
 * Traditional search looks in both it and `han`, the Simplified fold of Traditional text.
 */
function toMatchExpression(terms: string[], columns: string): string {
  return terms.map((term) => `${columns} : ${quoted(term)}`).join(' ');
}

/** The pair index's MATCH expression; a Simplified ↔ Traditional search also takes marked pairs. */
function toPairExpression(pairs: string[], chineseVariants: boolean): string {
  return pairs
    .map((pair) =>
      chineseVariants
        ? `(${quoted(pair)} OR ${quoted(SIMPLIFIED_PAIR_PREFIX + pair)})`
        : quoted(pair),
    )
    .join(' ');
}

/**
 * Full-text search over the messages of live conversations (the trash is left out; archived
 * conversations are included): best matches first when the terms are selective, newest first
 * when a term is common (found in {@link RANKED_BELOW_MATCHES} messages or more). Text and query
 * are folded alike (store/searchFolding.ts): case, accents, ß / ss, ё / е, Arabic harakat and
 * full- / half-width forms are ignored, for terms of any length. With `chineseVariants`,
 * Simplified and Traditional Chinese match each other too. A query with no terms returns nothing.
 */
export function searchMessages(db: Db, search: MessageSearchQuery): MessageSearchHit[] {
  const chineseVariants = search.chineseVariants === true;
  const { indexed, short } = parseSearchQuery(search.query, { chineseVariants });
  if (indexed.length === 0 && short.length === 0) return [];
  const terms = [...indexed, ...short];
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
  // Short terms are looked for in the stored folded text (its Simplified form, if there is one,
  // with the Chinese option).
  const folded = chineseVariants ? "iif(f.han = '', f.content, f.han)" : 'f.content';
  short.forEach((term, i) => {
    params[`short${i}`] = term;
    clauses.push(`instr(${folded}, @short${i}) > 0`);
  });
  const joinFolded = (rowid: string) =>
    short.length > 0 ? `JOIN messages_folded f ON f.message_rowid = ${rowid}` : '';
  const filters = clauses.join(' AND ');
  const withSnippet = (row: HitRow & { content: string }): MessageSearchHit =>
    toHit({ ...row, snippet: snippet(row.content, terms, chineseVariants) });

  if (indexed.length > 0) {
    const columns = chineseVariants ? '{content han}' : 'content';
    params.match = toMatchExpression(indexed, columns);
    // bm25 ranking costs a walk over every match of every word, plus a sort of all of them: fine
    // for selective words, hundreds of milliseconds for a word in 150,000 messages. Common words
    // therefore come back newest first, which FTS5 walks natively and stops after one page.
    const ranked = indexed.every((term) => isSelective(db, term, columns));
    return prepared<[Record<string, unknown>], HitRow & { content: string }>(
      db,
      `SELECT m.id AS message_id, m.conversation_id, c.title AS conversation_title, m.role,
              m.created_at, m.content,
              ${ranked ? 'bm25(messages_fts)' : '0'} AS rank
         FROM messages_fts
         ${joinFolded('messages_fts.rowid')}
         JOIN messages m ON m.rowid = messages_fts.rowid
         JOIN conversations c ON c.id = m.conversation_id
        WHERE messages_fts MATCH @match AND ${filters}
        ORDER BY ${ranked ? 'rank, m.created_at DESC, m.rowid DESC' : 'messages_fts.rowid DESC'}
        LIMIT @limit OFFSET @offset`,
    )
      .all(params)
      .map(withSnippet);
  }

  // Two-character CJK words (the usual Chinese word) have their own pair index; any other short
  // words are checked on the rows it finds.
  const pairs = short.filter(isTwoCjkCharacters);
  if (pairs.length > 0) {
    params.pairs = toPairExpression(pairs, chineseVariants);
    return prepared<[Record<string, unknown>], HitRow & { content: string }>(
      db,
      `SELECT m.id AS message_id, m.conversation_id, c.title AS conversation_title, m.role,
              m.created_at, m.content, 0 AS rank
         FROM messages_cjk k
         ${joinFolded('k.rowid')}
         JOIN messages m ON m.rowid = k.rowid
         JOIN conversations c ON c.id = m.conversation_id
        WHERE messages_cjk MATCH @pairs AND ${filters}
        ORDER BY k.rowid DESC
        LIMIT @limit OFFSET @offset`,
    )
      .all(params)
      .map(withSnippet);
  }

  // Only 1–2 character words: no trigram to look up, so scan the messages, most recently stored
  // first (rowid order), which lets a common word stop after one page instead of sorting every
  // match. A word found nowhere costs one pass over the folded text, as native as LIKE was.
  return prepared<[Record<string, unknown>], HitRow & { content: string }>(
    db,
    `SELECT m.id AS message_id, m.conversation_id, c.title AS conversation_title, m.role,
            m.created_at, m.content, 0 AS rank
       FROM messages_folded f
       JOIN messages m ON m.rowid = f.message_rowid
       JOIN conversations c ON c.id = m.conversation_id
      WHERE ${filters}
      ORDER BY f.message_rowid DESC
      LIMIT @limit OFFSET @offset`,
  )
    .all(params)
    .map(withSnippet);
}

/**
 * Searches the titles of live conversations (archived included), with the same matching rules as
 * {@link searchMessages}. Best matches first, then the most recently active.
 */
export function searchConversationTitles(
  db: Db,
  search: { query: string; limit?: number; chineseVariants?: boolean },
): TitleSearchHit[] {
  const chineseVariants = search.chineseVariants === true;
  const { indexed, short } = parseSearchQuery(search.query, { chineseVariants });
  if (indexed.length === 0 && short.length === 0) return [];
  const terms = [...indexed, ...short];
  const params: Record<string, string | number> = { limit: clampLimit(search.limit) };
  const fold = chineseVariants ? 'causerie_fold_simplified' : 'causerie_fold';
  const shortClauses = short.map((term, i) => {
    params[`short${i}`] = term;
    return `AND instr(${fold}(c.title), @short${i}) > 0`;
  });
  const highlighted = (row: TitleRow): TitleSearchHit =>
    toTitleHit({ ...row, highlighted: markMatches(row.title, terms, chineseVariants) });

  if (indexed.length > 0) {
    params.match = toMatchExpression(indexed, chineseVariants ? '{title han}' : 'title');
    return prepared<[Record<string, unknown>], TitleRow>(
      db,
      `SELECT c.id, c.title, c.updated_at, bm25(conversations_fts) AS rank
         FROM conversations_fts
         JOIN conversations c ON c.rowid = conversations_fts.rowid
        WHERE conversations_fts MATCH @match AND c.deleted_at IS NULL ${shortClauses.join(' ')}
        ORDER BY rank, c.updated_at DESC
        LIMIT @limit`,
    )
      .all(params)
      .map(highlighted);
  }
  return prepared<[Record<string, unknown>], TitleRow>(
    db,
    `SELECT c.id, c.title, c.updated_at, 0 AS rank
       FROM conversations c
      WHERE c.deleted_at IS NULL ${shortClauses.join(' ')}
      ORDER BY c.updated_at DESC, c.id DESC
      LIMIT @limit`,
  )
    .all(params)
    .map(highlighted);
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

const toTitleHit = (row: TitleRow & { highlighted: string }): TitleSearchHit => ({
  conversationId: row.id,
  title: row.title,
  highlighted: row.highlighted,
  updatedAt: row.updated_at,
  rank: row.rank,
});

function clampLimit(limit: number | undefined): number {
  return Math.min(MAX_LIMIT, Math.max(1, Math.floor(limit ?? 50)));
}

/**
 * Runs a large write (an import) with the per-row search-index trigger removed, then indexes
 * every new message with one INSERT … SELECT and puts the trigger back, all inside the caller's
 * transaction, so a failure leaves nothing half-indexed. FTS5 flushes its pending terms at every
 * statement savepoint and each trigger-fired insert opens one, so the per-row path writes one
 * tiny index segment per message: measured 4.3× slower on a 100,000-message import. Like the
 * triggers, it indexes only messages that are not streaming (`messages_searchable`), folded
 * (migration 0007).
 */
export function withBulkSearchIndexing<T>(db: Db, write: () => T): T {
  const trigger = prepared<[], { sql: string }>(
    db,
    `SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'messages_fts_after_insert'`,
  ).get();
  if (!trigger) return write();
  const before = prepared<[], { last: number }>(
    db,
    'SELECT coalesce(max(rowid), 0) AS last FROM messages',
  ).get();
  db.exec('DROP TRIGGER messages_fts_after_insert');
  try {
    const value = write();
    fillFoldedIndexes(db, before?.last ?? 0);
    return value;
  } finally {
    db.exec(trigger.sql);
  }
}
