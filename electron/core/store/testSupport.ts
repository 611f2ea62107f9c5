// Helpers for the store's tests only (imported by *.test.ts, never by app code).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Message } from '../../../shared/domain';
import { openDatabase, type Db } from './openDatabase';
import { insertConversation, type ConversationExtras } from './repos/conversations';
import { insertMessage, type MessageExtras } from './repos/messages';

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
  const message = {
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
  } as Message;
  insertMessage(db, message);
  return message;
}

/** Asks FTS5 whether both search indexes match their content tables; throws if not. */
export function assertSearchIndexesConsistent(db: Db): void {
  db.exec(`
    INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1);
    INSERT INTO conversations_fts (conversations_fts, rank) VALUES ('integrity-check', 1);
  `);
}
