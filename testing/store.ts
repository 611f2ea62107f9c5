// Helpers for the store's tests only (imported by *.test.ts, never by app code).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message } from '../shared/domain';
import { openDatabase, readSchemaVersion, type Db } from '../electron/core/store/openDatabase';
import {
  insertConversation,
  type ConversationExtras,
} from '../electron/core/store/repos/conversations';
import { insertMessage, type MessageExtras } from '../electron/core/store/repos/messages';
import { foldForSearch } from '../electron/core/store/searchFolding';
import {
  cjkBigrams,
  cjkIndexTokens,
  simplifiedFoldIfDifferent,
} from '../electron/core/store/searchFunctions';

const dirs: string[] = [];

/** A fresh temporary folder, removed by {@link removeTempDirs}. */
export function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'causerie-store-'));
  dirs.push(dir);
  return dir;
}

/** Removes every folder made by {@link tempDir}; call it in `afterEach`. */
export function removeTempDirs(): void {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** An in-memory store at the latest schema. */
export const memoryDb = (): Db => openDatabase(':memory:');

const MODEL = { provider: 'mistral' as const, model: 'mistral-small-latest' };

/** Inserts a conversation with sensible defaults. */
export function addConversation(
  db: Db,
  id: string,
  fields: {
    title?: string;
    createdAt?: number;
    updatedAt?: number;
  } & Partial<ConversationExtras> = {},
): void {
  insertConversation(db, {
    id,
    title: fields.title ?? `Conversation ${id}`,
    model: MODEL,
    createdAt: fields.createdAt ?? 1000,
    updatedAt: fields.updatedAt ?? fields.createdAt ?? 1000,
    ...fields,
  });
}

/** Inserts a message with sensible defaults and returns it. */
export function addMessage(
  db: Db,
  fields: Pick<Message, 'id' | 'conversationId'> & Partial<Message> & Partial<MessageExtras>,
): Message & Partial<MessageExtras> {
  const message: Message & Partial<MessageExtras> = {
    parentId: null,
    role: 'user',
    content: `content of ${fields.id}`,
    status: 'complete',
    model: fields.role === 'assistant' ? MODEL : null,
    usage: null,
    error: null,
    createdAt: 1000,
    updatedAt: fields.createdAt ?? 1000,
    replyLanguage: null,
    detectedLanguage: null,
    ttftMs: null,
    tokensPerSec: null,
    ...fields,
  };
  insertMessage(db, message);
  return message;
}

/**
 * Throws unless the search indexes match the text they index. The trigram indexes check
 * themselves against their content source (FTS5 `integrity-check` with rank 1); the contentless
 * CJK pair index cannot, so its (row, pair) entries are compared with the pairs of every message
 * that is not streaming (the rule since migration 0005), of its folded text since 0007.
 */
export function assertSearchIndexesConsistent(db: Db): void {
  db.exec(`
    INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1);
    INSERT INTO conversations_fts (conversations_fts, rank) VALUES ('integrity-check', 1);
  `);
  const cjk = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'messages_cjk'").get();
  if (!cjk) return;
  db.exec(`
    INSERT INTO messages_cjk (messages_cjk) VALUES ('integrity-check');
    CREATE VIRTUAL TABLE IF NOT EXISTS temp.messages_cjk_entries
      USING fts5vocab(main, messages_cjk, 'instance');
  `);
  const indexed = new Set(
    (db.prepare('SELECT doc, term FROM temp.messages_cjk_entries').all() as CjkEntry[]).map(
      (entry) => `${entry.doc} ${entry.term}`,
    ),
  );
  const expected = new Set<string>();
  const rows = db
    .prepare("SELECT rowid AS doc, content FROM messages WHERE status <> 'streaming'")
    .all() as { doc: number; content: string }[];
  const folded = readSchemaVersion(db) >= 7;
  if (folded) assertFoldedTextCurrent(db);
  const tokens = (text: string) =>
    folded
      ? cjkIndexTokens(foldForSearch(text), simplifiedFoldIfDifferent(text))
      : cjkBigrams(text);
  for (const row of rows) {
    for (const pair of tokens(row.content).split(' ')) {
      if (pair) expected.add(`${row.doc} ${pair}`);
    }
  }
  const missing = [...expected].filter((entry) => !indexed.has(entry));
  const extra = [...indexed].filter((entry) => !expected.has(entry));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(
      `messages_cjk is out of step: missing ${JSON.stringify(missing.slice(0, 5))} (${missing.length}), extra ${JSON.stringify(extra.slice(0, 5))} (${extra.length})`,
    );
  }
}

interface CjkEntry {
  doc: number;
  term: string;
}

/** Since 0007: `messages_folded` holds the fold of exactly the messages that are not streaming. */
function assertFoldedTextCurrent(db: Db): void {
  const stored = db
    .prepare('SELECT message_rowid AS doc, content, han FROM messages_folded ORDER BY 1')
    .all() as { doc: number; content: string; han: string }[];
  const expected = (
    db
      .prepare("SELECT rowid AS doc, content FROM messages WHERE status <> 'streaming' ORDER BY 1")
      .all() as { doc: number; content: string }[]
  ).map((row) => ({
    doc: row.doc,
    content: foldForSearch(row.content),
    han: simplifiedFoldIfDifferent(row.content),
  }));
  if (JSON.stringify(stored) !== JSON.stringify(expected)) {
    throw new Error(
      `messages_folded is out of step: ${stored.length} rows stored, ${expected.length} expected`,
    );
  }
}
