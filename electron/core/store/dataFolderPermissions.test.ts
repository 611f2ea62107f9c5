import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPrivateFile, secureDataFolder } from './dataFolderPermissions';
import { openDatabase } from './openDatabase';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const mode = (file: string) => statSync(file).mode & 0o777;

describe.skipIf(process.platform === 'win32')('secureDataFolder', () => {
  it('creates the data folder 700', () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'causerie-perm-'));
    dirs.push(parent);
    const dataDir = path.join(parent, 'Causerie');
    secureDataFolder(dataDir);
    expect(mode(dataDir)).toBe(0o700);
  });

  it('repairs a history that other users could read, and leaves links alone', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'causerie-perm-'));
    dirs.push(dataDir);
    chmodSync(dataDir, 0o755);
    mkdirSync(path.join(dataDir, 'backups'), { mode: 0o755 });
    const files = ['causerie.db', 'causerie.db-wal', 'settings.json', 'backups/causerie-2026.db'];
    for (const file of files) writeFileSync(path.join(dataDir, file), 'x', { mode: 0o644 });
    const outside = path.join(dataDir, '..', `outside-${path.basename(dataDir)}`);
    writeFileSync(outside, 'not ours', { mode: 0o644 });
    dirs.push(outside);
    symlinkSync(outside, path.join(dataDir, 'link'));

    expect(secureDataFolder(dataDir)).toBe(6);
    expect(mode(dataDir)).toBe(0o700);
    expect(mode(path.join(dataDir, 'backups'))).toBe(0o700);
    for (const file of files) expect(mode(path.join(dataDir, file))).toBe(0o600);
    expect(mode(outside)).toBe(0o644);
    expect(secureDataFolder(dataDir)).toBe(0);
  });

  it('starts a new database private, and SQLite keeps its -wal and -shm private too', () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'causerie-perm-'));
    dirs.push(dataDir);
    const file = path.join(dataDir, 'causerie.db');
    createPrivateFile(file);
    const db = openDatabase(file);
    db.prepare('CREATE TABLE IF NOT EXISTS probe (x)').run();
    for (const name of ['causerie.db', 'causerie.db-wal', 'causerie.db-shm']) {
      expect(mode(path.join(dataDir, name))).toBe(0o600);
    }
    db.close();
  });
});
