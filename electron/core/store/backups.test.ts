import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { CoreError } from '../coreError';
import {
  backupIfDue,
  createBackup,
  listBackups,
  restoreFromBackup,
  rotateBackups,
  validateBackup,
} from './backups';
import { LATEST_SCHEMA_VERSION } from './migrations';
import { migration0001Initial } from './migrations/0001-initial';
import { openDatabase, readSchemaVersion } from './openDatabase';
import { findConversation, listConversations } from './repos/conversations';
import { searchMessages } from './repos/search';
import { addConversation, addMessage, removeTempDirs, tempDir } from '../../../testing/store';

afterEach(removeTempDirs);

const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2025, 0, 10, 12, 0, 0);

function liveStore() {
  const dir = tempDir();
  const file = path.join(dir, 'causerie.db');
  const db = openDatabase(file);
  addConversation(db, 'c1', { title: 'Before the backup' });
  addMessage(db, { id: 'm1', conversationId: 'c1', content: 'ornithorynque' });
  return { dir, file, db, backupsDir: path.join(dir, 'backups') };
}

describe('backups', () => {
  it('writes a dated, self-contained copy that opens on its own', async () => {
    const { db, backupsDir } = liveStore();
    const file = await createBackup(db, backupsDir, NOW);
    expect(path.basename(file)).toBe('causerie-2025-01-10.db');
    expect(readdirSync(backupsDir)).toEqual(['causerie-2025-01-10.db']); // no -wal, no .partial
    const copy = new Database(file, { readonly: true });
    expect(copy.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(copy.prepare('SELECT title FROM conversations').all()).toEqual([
      { title: 'Before the backup' },
    ]);
    copy.close();
    db.close();
  });

  it('stops a backup under way when its signal is aborted, leaving no file', async () => {
    const { db, backupsDir } = liveStore();
    const controller = new AbortController();
    const backup = createBackup(db, backupsDir, NOW, controller.signal);
    controller.abort();
    await expect(backup).rejects.toMatchObject({ name: 'AbortError' });
    expect(readdirSync(backupsDir)).toEqual([]);
    // The store is free: it still works, and a later backup goes through.
    expect(await backupIfDue(db, backupsDir, NOW)).toMatch(/causerie-2025-01-10\.db$/);
    const aborted = AbortSignal.abort();
    await expect(backupIfDue(db, backupsDir, NOW + DAY, { signal: aborted })).rejects.toMatchObject(
      { name: 'AbortError' },
    );
    expect(readdirSync(backupsDir)).toEqual(['causerie-2025-01-10.db']);
    db.close();
  });

  it('backs up once a day and keeps the newest seven', async () => {
    const { db, backupsDir } = liveStore();
    expect(await backupIfDue(db, backupsDir, NOW)).toMatch(/causerie-2025-01-10\.db$/);
    expect(await backupIfDue(db, backupsDir, NOW + 60_000)).toBeNull(); // same day
    for (let day = 1; day <= 9; day++) {
      expect(await backupIfDue(db, backupsDir, NOW + day * DAY)).not.toBeNull();
    }
    const kept = listBackups(backupsDir).map((b) => b.date);
    expect(kept).toEqual([
      '2025-01-19',
      '2025-01-18',
      '2025-01-17',
      '2025-01-16',
      '2025-01-15',
      '2025-01-14',
      '2025-01-13',
    ]);
    expect(listBackups(backupsDir)[0]?.sizeBytes).toBeGreaterThan(0);
    db.close();
  });

  it('rotates only files named like backups', async () => {
    const { db, backupsDir } = liveStore();
    for (let day = 0; day < 4; day++) await createBackup(db, backupsDir, NOW + day * DAY);
    writeFileSync(path.join(backupsDir, 'notes.txt'), 'mine');
    expect(rotateBackups(backupsDir, 2).map((f) => path.basename(f))).toEqual([
      'causerie-2025-01-11.db',
      'causerie-2025-01-10.db',
    ]);
    expect(readdirSync(backupsDir).sort()).toEqual([
      'causerie-2025-01-12.db',
      'causerie-2025-01-13.db',
      'notes.txt',
    ]);
    expect(listBackups(path.join(backupsDir, 'missing'))).toEqual([]);
    db.close();
  });

  it('restores a backup: the live file moves aside, the backup takes its place', async () => {
    const { file, db, backupsDir } = liveStore();
    const backup = await createBackup(db, backupsDir, NOW);
    addConversation(db, 'c2', { title: 'After the backup' });
    db.close(); // the caller closes the live store first

    const result = restoreFromBackup(file, backup, NOW + DAY);
    expect(result.schemaVersion).toBe(LATEST_SCHEMA_VERSION);
    expect(result.movedTo).toBe(`${file}.before-restore-2025-01-11T12-00-00-000Z`);

    const restored = openDatabase(file);
    expect(listConversations(restored).map((c) => c.id)).toEqual(['c1']);
    expect(searchMessages(restored, { query: 'ornithorynque' })).toHaveLength(1);
    restored.close();
    const previous = openDatabase(result.movedTo ?? '');
    expect(findConversation(previous, 'c2')?.title).toBe('After the backup');
    previous.close();
    expect(existsSync(backup)).toBe(true); // the backup itself is kept
  });

  it('restores an older-schema backup, which is migrated on open', () => {
    const { file, db } = liveStore();
    db.close();
    const old = path.join(tempDir(), 'causerie-2024-01-01.db');
    const v1 = openDatabase(old, [migration0001Initial]);
    v1.exec(`INSERT INTO conversations (id, title, provider, model, created_at, updated_at)
             VALUES ('old', 'From v1', 'mistral', 'mistral-small-latest', 1, 1)`);
    v1.close();
    expect(restoreFromBackup(file, old, NOW).schemaVersion).toBe(1);
    const restored = openDatabase(file);
    expect(readSchemaVersion(restored)).toBe(LATEST_SCHEMA_VERSION);
    expect(findConversation(restored, 'old')?.title).toBe('From v1');
    restored.close();
  });

  it('refuses a bad backup before touching the live file', () => {
    const { file, db, dir } = liveStore();
    db.close();
    const liveBytes = readFileSync(file);
    const garbage = path.join(dir, 'garbage.db');
    writeFileSync(garbage, 'not a database at all '.repeat(100));
    const newer = path.join(dir, 'newer.db');
    const raw = new Database(newer);
    raw.exec('CREATE TABLE conversations (id TEXT)');
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();
    const foreign = path.join(dir, 'foreign.db');
    const other = new Database(foreign);
    other.exec('CREATE TABLE photos (id TEXT)');
    other.close();

    const cases: [string, RegExp][] = [
      [garbage, /not a readable Causerie backup/],
      [newer, /newer version of Causerie/],
      [foreign, /not a Causerie backup/],
      [path.join(dir, 'missing.db'), /could not be opened/],
    ];
    for (const [backup, message] of cases) {
      let thrown: unknown;
      try {
        restoreFromBackup(file, backup, NOW);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(CoreError);
      expect((thrown as CoreError).appError.code).toBe('VALIDATION');
      expect((thrown as CoreError).message).toMatch(message);
    }
    expect(readFileSync(file).equals(liveBytes)).toBe(true);
    expect(readdirSync(dir).filter((name) => name.includes('before-restore'))).toEqual([]);
    expect(validateBackup(file).conversations).toBe(1);
  });
});
