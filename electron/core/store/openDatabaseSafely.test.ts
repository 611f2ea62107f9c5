import { createHash } from 'node:crypto';
import {
  existsSync,
  openSync,
  readdirSync,
  readFileSync,
  writeFileSync,
  writeSync,
  closeSync,
  copyFileSync,
} from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { moveDatabaseAside } from './databaseFiles';
import { LATEST_SCHEMA_VERSION } from './migrations';
import { DatabaseTooNewError, openDatabase, readSchemaVersion } from './openDatabase';
import { openDatabaseSafely } from './openDatabaseSafely';
import { findConversation, listConversations } from './repos/conversations';
import { runQuickCheck } from './repos/maintenance';
import { addConversation, addMessage, removeTempDirs, tempDir } from '../../../testing/store';

afterEach(removeTempDirs);

const NOW = Date.UTC(2025, 4, 6, 7, 8, 9, 123);
const SUFFIX = '.corrupt-2025-05-06T07-08-09-123Z';
const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/** A real store with enough rows to span many pages, closed cleanly (WAL checkpointed). */
function healthyFile(): string {
  const file = path.join(tempDir(), 'causerie.db');
  const db = openDatabase(file);
  db.transaction(() => {
    for (let c = 0; c < 20; c++) {
      addConversation(db, `c${c}`);
      for (let m = 0; m < 20; m++) {
        addMessage(db, {
          id: `c${c}m${m}`,
          conversationId: `c${c}`,
          content: `message ${m} `.repeat(40),
        });
      }
    }
  })();
  db.close();
  return file;
}

describe('openDatabaseSafely', () => {
  it('opens a healthy store as it is', () => {
    const file = healthyFile();
    const { db, recovered } = openDatabaseSafely(file, { now: NOW });
    expect(recovered).toBeNull();
    expect(listConversations(db)).toHaveLength(20);
    expect(runQuickCheck(db)).toEqual({ ok: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('opens a store left by a crash (committed rows only in the -wal) without losing them', () => {
    const dir = tempDir();
    const live = path.join(dir, 'live.db');
    const writer = openDatabase(live);
    writer.pragma('wal_autocheckpoint = 0');
    addConversation(writer, 'only-in-wal');
    // Copy the files while the writer still holds them: what a kill -9 leaves on disk.
    const crashed = path.join(dir, 'crashed.db');
    for (const suffix of ['', '-wal', '-shm']) copyFileSync(live + suffix, crashed + suffix);
    writer.close();

    const { db, recovered } = openDatabaseSafely(crashed, { now: NOW });
    expect(recovered).toBeNull();
    expect(findConversation(db, 'only-in-wal')).toBeDefined();
    db.close();
  });

  it('creates a missing store', () => {
    const file = path.join(tempDir(), 'new.db');
    const { db, recovered } = openDatabaseSafely(file, { now: NOW });
    expect(recovered).toBeNull();
    expect(readSchemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    db.close();
  });

  it('moves a file that is not a database aside (with its -wal and -shm) and starts fresh', () => {
    const dir = tempDir();
    const file = path.join(dir, 'causerie.db');
    writeFileSync(file, 'this is definitely not SQLite '.repeat(200));
    writeFileSync(`${file}-wal`, 'stale wal');
    writeFileSync(`${file}-shm`, 'stale shm');
    const garbage = sha(file);

    const { db, recovered } = openDatabaseSafely(file, { now: NOW });
    expect(recovered?.movedTo).toBe(file + SUFFIX);
    expect(recovered?.reason).toMatch(/SQLITE_NOTADB/);
    expect(sha(file + SUFFIX)).toBe(garbage); // kept byte for byte, never deleted
    expect(readFileSync(`${file}${SUFFIX}-wal`, 'utf8')).toBe('stale wal');
    // The -shm is only an index SQLite rebuilds from the -wal; it moves, its bytes may not match.
    expect(existsSync(`${file}${SUFFIX}-shm`)).toBe(true);

    expect(readSchemaVersion(db)).toBe(LATEST_SCHEMA_VERSION);
    addConversation(db, 'fresh');
    expect(findConversation(db, 'fresh')).toBeDefined();
    db.close();
  });

  it('moves a store with a damaged page aside', () => {
    const file = healthyFile();
    const probe = new Database(file, { readonly: true });
    const { pageno } = probe
      .prepare(
        "SELECT pageno FROM dbstat WHERE name = 'messages' AND pagetype = 'leaf' LIMIT 1 OFFSET 3",
      )
      .get() as { pageno: number };
    const pageSize = probe.pragma('page_size', { simple: true }) as number;
    probe.close();
    // Overwrite the b-tree page header and cell pointers of one leaf of `messages`.
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, (pageno - 1) * pageSize);
    closeSync(fd);
    const damaged = sha(file);

    const { db, recovered } = openDatabaseSafely(file, { now: NOW });
    expect(recovered).not.toBeNull();
    expect(recovered?.reason).toMatch(/quick_check|SQLITE_CORRUPT/);
    expect(sha(recovered?.movedTo ?? '')).toBe(damaged);
    expect(listConversations(db)).toEqual([]);
    db.close();
  });

  it('refuses a store from a newer version without touching it or moving it', () => {
    const dir = tempDir();
    const file = path.join(dir, 'causerie.db');
    const raw = new Database(file);
    raw.exec('CREATE TABLE future (x INTEGER); INSERT INTO future VALUES (1);');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 5}`);
    raw.close();
    const before = sha(file);
    expect(() => openDatabaseSafely(file, { now: NOW })).toThrow(DatabaseTooNewError);
    expect(sha(file)).toBe(before);
    expect(readdirSync(dir)).toEqual(['causerie.db']);
  });

  it('passes other failures through and moves nothing', () => {
    const dir = tempDir();
    const file = path.join(dir, 'no-such-folder', 'causerie.db');
    expect(() => openDatabaseSafely(file, { now: NOW })).toThrow(/unable to open|directory/i);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('moveDatabaseAside', () => {
  it('never overwrites an earlier file moved aside with the same name', () => {
    const dir = tempDir();
    const file = path.join(dir, 'x.db');
    writeFileSync(file, 'first');
    expect(moveDatabaseAside(file, '.old')).toBe(`${file}.old`);
    writeFileSync(file, 'second');
    expect(moveDatabaseAside(file, '.old')).toBe(`${file}.old-2`);
    expect(readFileSync(`${file}.old`, 'utf8')).toBe('first');
    expect(readFileSync(`${file}.old-2`, 'utf8')).toBe('second');
    expect(existsSync(file)).toBe(false);
  });
});
