import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { BACKUPS_DIR_NAME, createCore, DATABASE_FILE_NAME } from './createCore';
import { createMemoryLogger } from './logger';
import { createBackup } from './store/backups';
import { openDatabase } from './store/openDatabase';
import { findMessage } from './store/repos/messages';
import { searchMessages } from './store/repos/search';
import { addConversation, addMessage, assertSearchIndexesConsistent } from '../../testing/store';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data folder whose store is big enough that its backup takes many steps. */
function dataDirWithHistory(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'causerie-core-close-'));
  dirs.push(dir);
  const db = openDatabase(path.join(dir, DATABASE_FILE_NAME));
  addConversation(db, 'c');
  const text = 'Une réponse assez longue pour remplir des pages. '.repeat(400);
  db.transaction(() => {
    for (let i = 0; i < 200; i++) {
      addMessage(db, { id: `m${i}`, conversationId: 'c', content: `${i} ${text}` });
    }
  })();
  db.close();
  return dir;
}

function startCore(dataDir: string) {
  const logger = createMemoryLogger();
  const core = createCore({
    dataDir,
    keyVault: { get: () => null, set: () => undefined },
    logger,
    mistralBaseUrl: 'http://127.0.0.1:9',
    defaultModel: { provider: 'mistral', model: 'mistral-small-latest' },
  });
  const clientId = core.connectClient(() => undefined);
  const events = () => logger.lines.map((line) => (JSON.parse(line) as { event: string }).event);
  return { core, events, clientId };
}

describe('createCore: the store around close and restore', () => {
  it('stops the startup backup safely before it closes the store', async () => {
    const dataDir = dataDirWithHistory();
    const { core, events } = startCore(dataDir);
    // The startup backup is under way (it copies the store in steps between event-loop turns).
    await core.close();
    const settled = events();
    console.log(settled);
    expect(settled).not.toContain('maintenance.failed');
    expect(
      settled.some((event) => event === 'backup.cancelled' || event === 'backup.created'),
    ).toBe(true);
    // Nothing happens after close() resolved: the backup was not still running.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events()).toEqual(settled);

    const backupsDir = path.join(dataDir, BACKUPS_DIR_NAME);
    const files = existsSync(backupsDir) ? readdirSync(backupsDir) : [];
    expect(files.filter((name) => name.endsWith('.partial'))).toEqual([]);
    // A backup that did finish is whole.
    for (const name of files) {
      const copy = new Database(path.join(backupsDir, name), { readonly: true });
      expect(copy.pragma('quick_check', { simple: true })).toBe('ok');
      copy.close();
    }
    // And the store itself was closed cleanly: it opens, with every message.
    const db = openDatabase(path.join(dataDir, DATABASE_FILE_NAME));
    expect(db.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 200 });
    db.close();
  });

  it('lets a backup that has time finish, and the next start does not take another', async () => {
    const dataDir = dataDirWithHistory();
    const first = startCore(dataDir);
    for (let i = 0; i < 500 && !first.events().includes('backup.created'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(first.events()).toContain('backup.created');
    // A backup asked for just before quitting is cancelled or finished, never cut off.
    const asked = first.core.dispatch('backups.create', {}, { clientId: first.clientId });
    await first.core.close();
    expect(await asked).toHaveProperty('ok');
    expect(first.events()).not.toContain('maintenance.failed');
    const backups = readdirSync(path.join(dataDir, BACKUPS_DIR_NAME));
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(/^causerie-\d{4}-\d{2}-\d{2}\.db$/);
    const copy = new Database(path.join(dataDir, BACKUPS_DIR_NAME, backups[0] ?? ''), {
      readonly: true,
    });
    expect(copy.prepare('SELECT count(*) AS n FROM messages').get()).toEqual({ n: 200 });
    copy.close();

    const second = startCore(dataDir);
    await second.core.close();
    expect(second.events()).not.toContain('backup.created');
    expect(second.events()).not.toContain('backup.cancelled');
  });

  it('recovers a reply left streaming in a restored backup, as at startup', async () => {
    const dataDir = dataDirWithHistory();
    const backupsDir = path.join(dataDir, BACKUPS_DIR_NAME);
    const live = openDatabase(path.join(dataDir, DATABASE_FILE_NAME));
    addMessage(live, {
      id: 'cut',
      conversationId: 'c',
      role: 'assistant',
      content: 'ornithorynque à moitié',
      status: 'streaming',
    });
    // A backup of an earlier day, taken while that reply streamed.
    const name = path.basename(await createBackup(live, backupsDir, Date.UTC(2025, 0, 1)));
    live.close();

    const { core, events, clientId } = startCore(dataDir);
    for (let i = 0; i < 500 && !events().includes('backup.created'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await core.dispatch('backups.restore', { name }, { clientId })).toMatchObject({
      ok: true,
    });
    await core.close();
    const db = openDatabase(path.join(dataDir, DATABASE_FILE_NAME));
    expect(findMessage(db, 'cut')?.status).toBe('interrupted');
    expect(searchMessages(db, { query: 'ornithorynque' }).map((hit) => hit.messageId)).toEqual([
      'cut',
    ]);
    assertSearchIndexesConsistent(db);
    db.close();
  });
});

describe.skipIf(process.platform === 'win32')('createCore: a private data folder', () => {
  it('repairs a 755 folder and a 644 history at start-up, and writes backups 600', async () => {
    const dataDir = dataDirWithHistory();
    chmodSync(dataDir, 0o755);
    chmodSync(path.join(dataDir, DATABASE_FILE_NAME), 0o644);
    const { core, events } = startCore(dataDir);
    expect(events()).toContain('store.permissions_repaired');
    // The start-up backup (the first of the day) is written by the core itself.
    for (let i = 0; i < 500 && !events().includes('backup.created'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await core.close();
    const backupsDir = path.join(dataDir, BACKUPS_DIR_NAME);
    const backups = readdirSync(backupsDir);
    expect(backups).toHaveLength(1);
    const mode = (file: string) => statSync(file).mode & 0o777;
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(backupsDir)).toBe(0o700);
    for (const name of readdirSync(dataDir)) {
      const file = path.join(dataDir, name);
      if (statSync(file).isFile()) expect([name, mode(file)]).toEqual([name, 0o600]);
    }
    expect(mode(path.join(backupsDir, backups[0]!))).toBe(0o600);
  });
});
