import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { DatabaseTooNewError, openDatabase, readSchemaVersion } from './openDatabase';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import type { Migration } from './migrations/migration';
import { findConversation, insertConversation, listConversations } from './repos/conversations';
import { insertMessage } from './repos/messages';
import { listPathToLeaf } from './repos/thread';
import type { Message } from '../../../shared/domain';

const dirs: string[] = [];
function tempFile(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'causerie-store-'));
  dirs.push(dir);
  return path.join(dir, 'causerie.db');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const conversation = {
  id: 'c1',
  title: 'Réunion 数据库',
  model: { provider: 'mistral' as const, model: 'mistral-small-latest' },
  createdAt: 1000,
  updatedAt: 2000,
};

function message(id: string, parentId: string | null, role: Message['role']): Message {
  return {
    id,
    conversationId: 'c1',
    parentId,
    role,
    content: `content of ${id}`,
    status: 'complete',
    model: role === 'assistant' ? conversation.model : null,
    usage: role === 'assistant' ? { promptTokens: 1, completionTokens: 2, totalTokens: 3 } : null,
    error: null,
    createdAt: 1000,
    updatedAt: 1000,
    replyLanguage: null,
    detectedLanguage: null,
    ttftMs: null,
    tokensPerSec: null,
  };
}

describe('openDatabase', () => {
  it('sets WAL, foreign keys and a deliberate synchronous level', () => {
    const db = openDatabase(tempFile());
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    db.close();
  });

  it('keeps rows across a reopen of the same file and migrates only once', () => {
    const file = tempFile();
    const first = openDatabase(file);
    expect(readSchemaVersion(first)).toBe(LATEST_SCHEMA_VERSION);
    insertConversation(first, conversation);
    insertMessage(first, message('m1', null, 'user'));
    insertMessage(first, message('m2', 'm1', 'assistant'));
    first.close();

    let runs = 0;
    const counting: Migration[] = MIGRATIONS.map((m) => ({ ...m, up: () => void runs++ }));
    const second = openDatabase(file, counting);
    expect(runs).toBe(0);
    expect(findConversation(second, 'c1')).toEqual({
      ...conversation,
      systemPrompt: null,
      replyLanguage: null,
      languageCorrection: 'auto',
      params: null,
      pinned: false,
      archived: false,
      folderId: null,
      allowRemoteImages: false,
      deletedAt: null,
    });
    expect(listConversations(second)).toHaveLength(1);
    expect(listPathToLeaf(second, 'm2').map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(listPathToLeaf(second, 'm2')[1]?.usage).toEqual({
      promptTokens: 1,
      completionTokens: 2,
      totalTokens: 3,
    });
    second.close();
  });

  it('runs each migration in a transaction: a failing one leaves the file as it was', () => {
    const file = tempFile();
    openDatabase(file).close();
    const failing: Migration[] = [
      ...MIGRATIONS.map((m) => ({ ...m, up: () => undefined })),
      {
        version: LATEST_SCHEMA_VERSION + 1,
        name: 'broken',
        up(db) {
          db.exec('CREATE TABLE half_done (x INTEGER)');
          throw new Error('boom');
        },
      },
    ];
    expect(() => openDatabase(file, failing)).toThrow('boom');
    const raw = new Database(file);
    expect(readSchemaVersion(raw)).toBe(LATEST_SCHEMA_VERSION);
    expect(
      raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get(),
    ).toEqual({ n: 0 });
    raw.close();
  });

  it('refuses a database from a newer version and leaves it untouched', () => {
    const file = tempFile();
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.exec('CREATE TABLE future (x INTEGER)');
    raw.close();
    expect(() => openDatabase(file)).toThrow(DatabaseTooNewError);
    const after = new Database(file);
    expect(readSchemaVersion(after)).toBe(99);
    expect(after.prepare("SELECT name FROM sqlite_master WHERE name = 'conversations'").get()).toBe(
      undefined,
    );
    after.close();
  });

  it('enforces foreign keys: a message needs its conversation', () => {
    const db = openDatabase(':memory:');
    expect(() => insertMessage(db, message('orphan', null, 'user'))).toThrow(/FOREIGN KEY/);
    db.close();
  });
});
