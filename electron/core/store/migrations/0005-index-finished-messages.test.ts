import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { MessageStatusSchema } from '../../../../shared/domain';
import { configureConnection, migrate, readSchemaVersion, type Db } from '../openDatabase';
import { purgeTrash } from '../repos/trash';
import { rebuildSearchIndexes } from '../repos/maintenance';
import {
  checkpointMessageContent,
  finishMessage,
  markStreamingMessagesInterrupted,
} from '../repos/messages';
import { searchMessages } from '../repos/search';
import {
  addConversation,
  addMessage,
  assertSearchIndexesConsistent,
  memoryDb,
  removeTempDirs,
  tempDir,
} from '../../../../testing/store';
import { MIGRATIONS } from '.';

afterEach(removeTempDirs);

const hits = (db: Db, query: string) =>
  searchMessages(db, { query })
    .map((hit) => hit.messageId)
    .sort();

/**
 * Messages holding a two-character CJK word, straight from the pair index: searchMessages reads
 * the latest schema (0007's folded text), which a version-4 or -5 file does not have.
 */
const pairHits = (db: Db, pair: string) =>
  (
    db
      .prepare(
        'SELECT m.id FROM messages_cjk k JOIN messages m ON m.rowid = k.rowid WHERE messages_cjk MATCH ?',
      )
      .all(`"${pair}"`) as { id: string }[]
  )
    .map((row) => row.id)
    .sort();

/** Ends a streaming reply the way the chat service does. */
function finish(
  db: Db,
  id: string,
  content: string,
  status: 'complete' | 'cancelled' = 'complete',
) {
  finishMessage(db, { id, content, status, usage: null, error: null, updatedAt: 5000 });
}

describe('migration 0005: only finished messages are indexed', () => {
  it('migrates a version-4 store: finished rows stay searchable, a streaming one leaves the index', () => {
    const db = new Database(':memory:');
    configureConnection(db);
    migrate(db, MIGRATIONS.slice(0, 4));
    db.exec(`
      INSERT INTO conversations (id, title, provider, model, created_at, updated_at)
        VALUES ('c1', 'Avant', 'mistral', 'mistral-small-latest', 1, 1);
      INSERT INTO messages (id, conversation_id, role, content, status, created_at, updated_at)
        VALUES ('done', 'c1', 'user', 'ornithorynque et 数据库', 'complete', 1, 1),
               ('cut', 'c1', 'assistant', 'ornithorynque partiel 数据', 'streaming', 2, 2),
               ('failed', 'c1', 'assistant', 'échidné', 'error', 3, 3);
    `);
    // Version 4 indexed the streaming row, at every checkpoint.
    expect(hits(db, 'ornithorynque')).toEqual(['cut', 'done']);
    expect(pairHits(db, '数据')).toEqual(['cut', 'done']);

    migrate(db, MIGRATIONS.slice(0, 5));
    expect(readSchemaVersion(db)).toBe(5);
    expect(hits(db, 'ornithorynque')).toEqual(['done']);
    expect(hits(db, 'echidne')).toEqual(['failed']);
    expect(pairHits(db, '数据')).toEqual(['done']);
    expect(hits(db, 'partiel')).toEqual([]);
    assertSearchIndexesConsistent(db);

    // The startup recovery marks it interrupted: indexed then, with what was checkpointed.
    expect(markStreamingMessagesInterrupted(db, 10)).toBe(1);
    expect(hits(db, 'partiel')).toEqual(['cut']);
    expect(pairHits(db, '数据')).toEqual(['cut', 'done']);
    assertSearchIndexesConsistent(db);
    db.close();
  });

  it('indexes a reply once it stops streaming, not at its checkpoints', () => {
    const db = memoryDb();
    addConversation(db, 'c');
    addMessage(db, { id: 'q', conversationId: 'c', content: 'Parle-moi du 数据库' });
    addMessage(db, {
      id: 'r',
      conversationId: 'c',
      parentId: 'q',
      role: 'assistant',
      content: '',
      status: 'streaming',
    });
    assertSearchIndexesConsistent(db);
    for (const text of ['Le 数据', 'Le 数据库 est rapide', 'Le 数据库 est rapide et sûr']) {
      checkpointMessageContent(db, { id: 'r', content: text, updatedAt: 2000 });
      // Searching while a reply streams does not find its partial text.
      expect(hits(db, 'rapide')).toEqual([]);
      expect(hits(db, '数据')).toEqual(['q']);
      assertSearchIndexesConsistent(db);
    }

    finish(db, 'r', 'Le 数据库 est rapide et sûr.');
    expect(hits(db, 'rapide')).toEqual(['r']);
    expect(hits(db, 'sur.')).toEqual(['r']);
    expect(hits(db, '数据')).toEqual(['q', 'r']);
    expect(hits(db, '数据库')).toEqual(['q', 'r']);
    assertSearchIndexesConsistent(db);

    // A finished message whose text changes is indexed again, old text out, new text in.
    finish(db, 'r', 'Réécrit : 天气很好');
    expect(hits(db, 'rapide')).toEqual([]);
    expect(hits(db, 'reecrit')).toEqual(['r']);
    expect(hits(db, '天气')).toEqual(['r']);
    expect(hits(db, '数据')).toEqual(['q']);
    assertSearchIndexesConsistent(db);

    // A status change between final statuses with the same text changes nothing.
    finish(db, 'r', 'Réécrit : 天气很好', 'cancelled');
    expect(hits(db, 'reecrit')).toEqual(['r']);
    assertSearchIndexesConsistent(db);

    db.prepare("DELETE FROM messages WHERE id = 'r'").run();
    expect(hits(db, 'reecrit')).toEqual([]);
    expect(hits(db, '天气')).toEqual([]);
    assertSearchIndexesConsistent(db);
    db.close();
  });

  it('indexes a reply that ends with any final status', () => {
    const db = memoryDb();
    addConversation(db, 'c');
    const finals = MessageStatusSchema.options.filter((status) => status !== 'streaming');
    expect(finals.length).toBeGreaterThan(0);
    for (const status of finals) {
      addMessage(db, { id: status, conversationId: 'c', content: '', status: 'streaming' });
      checkpointMessageContent(db, { id: status, content: `partial ${status}`, updatedAt: 2 });
      finishMessage(db, {
        id: status,
        content: `final ${status} 结束`,
        status,
        usage: null,
        error: status === 'error' ? { code: 'NETWORK', message: 'lost' } : null,
        updatedAt: 3,
      });
      expect(hits(db, `final ${status}`)).toEqual([status]);
      expect(hits(db, `partial ${status}`)).toEqual([]);
      assertSearchIndexesConsistent(db);
    }
    expect(hits(db, '结束')).toEqual([...finals].sort());
    db.close();
  });

  it('deletes a streaming reply without touching the index, and rebuilds leave it out', () => {
    const db = memoryDb();
    addConversation(db, 'c');
    addConversation(db, 'gone');
    addMessage(db, { id: 'kept', conversationId: 'c', content: 'kept platypus 数据' });
    addMessage(db, { id: 's1', conversationId: 'c', content: '', status: 'streaming' });
    addMessage(db, { id: 's2', conversationId: 'gone', content: '', status: 'streaming' });
    checkpointMessageContent(db, { id: 's1', content: 'streaming platypus 数据', updatedAt: 2 });
    checkpointMessageContent(db, { id: 's2', content: 'doomed platypus 数据', updatedAt: 2 });

    // A conversation purged from the trash while its reply streams: a cascade delete.
    db.prepare("UPDATE conversations SET deleted_at = 1 WHERE id = 'gone'").run();
    expect(purgeTrash(db, { now: 100 * 24 * 3600 * 1000, olderThanDays: 30 })).toBe(1);
    assertSearchIndexesConsistent(db);

    // A rebuild (after a VACUUM) while s1 streams leaves it out, so finishing it stays exact.
    rebuildSearchIndexes(db);
    expect(hits(db, 'platypus')).toEqual(['kept']);
    expect(hits(db, '数据')).toEqual(['kept']);
    assertSearchIndexesConsistent(db);
    finish(db, 's1', 'streamed platypus 数据');
    expect(hits(db, 'platypus')).toEqual(['kept', 's1']);
    expect(hits(db, '数据')).toEqual(['kept', 's1']);
    assertSearchIndexesConsistent(db);
    db.close();
  });

  it('makes a 1 MB checkpoint cheap (measured against the version-4 triggers)', () => {
    const blob = randomBase64(1024 * 1024);
    const measure = (migrations: typeof MIGRATIONS) => {
      const db = new Database(path.join(tempDir(), 'causerie.db'));
      configureConnection(db);
      migrate(db, migrations);
      // Raw SQL: the repos write columns later migrations add.
      db.prepare(
        `INSERT INTO conversations (id, title, provider, model, created_at, updated_at)
         VALUES ('c', '', 'mistral', 'mistral-small-latest', 1, 1)`,
      ).run();
      addMessage(db, { id: 'r', conversationId: 'c', content: '', status: 'streaming' });
      // What the chat service saves every 500 ms: the text so far, a bit longer each time, and
      // the final text a little longer still.
      const times: number[] = [];
      for (let step = 1; step <= 3; step++) {
        const content = blob.slice(0, blob.length - (4 - step) * 4096);
        const started = performance.now();
        checkpointMessageContent(db, { id: 'r', content, updatedAt: step });
        times.push(performance.now() - started);
      }
      const started = performance.now();
      finish(db, 'r', blob, 'cancelled');
      const finishMs = performance.now() - started;
      expect(hits(db, blob.slice(1000, 1012))).toEqual(['r']);
      db.close();
      return { checkpointMs: median(times), finishMs };
    };
    const before = measure(MIGRATIONS.slice(0, 4));
    const after = measure(MIGRATIONS.slice(0, 5));
    console.log(
      `[0005] 1 MB checkpoint: ${before.checkpointMs.toFixed(1)} ms with the 0004 triggers, ` +
        `${after.checkpointMs.toFixed(1)} ms with 0005; finishing (indexed once): ` +
        `${before.finishMs.toFixed(1)} ms before, ${after.finishMs.toFixed(1)} ms after`,
    );
    // Seconds of indexing per checkpoint before, a plain row write after: far more than 10×.
    expect(after.checkpointMs * 10).toBeLessThan(before.checkpointMs);
  });
});

/** `length` base64 characters from a fixed seed: a blob pasted by the model, as in e2e. */
function randomBase64(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  let seed = 1;
  let out = '';
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    out += alphabet[Math.floor((seed / 2 ** 31) * 64)];
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}
