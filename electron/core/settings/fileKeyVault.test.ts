import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../logger';
import { createFileKeyVault, KEY_FILE_NAME } from './fileKeyVault';

const KEY = 'mistral-file-key-0123456789';
const ENV_KEY = 'mistral-env-key-9876543210';
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function dataDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'causerie-keys-'));
  dirs.push(dir);
  return dir;
}

function writeKeys(dir: string, content: unknown, mode: number): string {
  const file = path.join(dir, KEY_FILE_NAME);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content), { mode });
  chmodSync(file, mode);
  return file;
}

const posix = process.platform !== 'win32';

describe('createFileKeyVault', () => {
  it('prefers MISTRAL_API_KEY from the environment', () => {
    const dir = dataDir();
    writeKeys(dir, { mistral: KEY }, 0o600);
    const vault = createFileKeyVault({
      dataDir: dir,
      env: { MISTRAL_API_KEY: ENV_KEY },
      logger: createMemoryLogger(),
    });
    expect(vault.get('mistral')).toBe(ENV_KEY);
  });

  it('reads keys.json when it is 0600, with endpoint keys by id', () => {
    const dir = dataDir();
    writeKeys(
      dir,
      { mistral: ` ${KEY}\n`, endpoints: { vllm: 'sk-vllm', empty: '', bad: 3 } },
      0o600,
    );
    const vault = createFileKeyVault({ dataDir: dir, env: {}, logger: createMemoryLogger() });
    expect(vault.get('mistral')).toBe(KEY);
    expect(vault.getEndpointKey('vllm')).toBe('sk-vllm');
    expect(vault.getEndpointKey('empty')).toBeNull();
    expect(vault.getEndpointKey('bad')).toBeNull();
    expect(vault.getEndpointKey('toString')).toBeNull();
    expect(vault.fileProblem()).toBeNull();
  });

  it.runIf(posix)(
    'refuses a file group or others can read, with a warning saying how to fix it',
    () => {
      const dir = dataDir();
      const file = writeKeys(dir, { mistral: KEY, endpoints: { x: 'sk-x' } }, 0o644);
      const logger = createMemoryLogger();
      const vault = createFileKeyVault({ dataDir: dir, env: {}, logger });
      expect(vault.get('mistral')).toBeNull();
      expect(vault.getEndpointKey('x')).toBeNull();
      expect(vault.fileProblem()).toBe(
        `${file} is readable by other users (mode 644), so its keys are ignored. Run: chmod 600 "${file}"`,
      );
      expect(logger.lines.join('\n')).toContain('keyvault.insecure_permissions');
      expect(logger.lines.join('\n')).not.toContain(KEY);
      for (const mode of [0o640, 0o604, 0o660, 0o620]) {
        chmodSync(file, mode);
        expect(createFileKeyVault({ dataDir: dir, env: {}, logger }).get('mistral')).toBeNull();
      }
    },
  );

  it('does not read POSIX modes on Windows', () => {
    const dir = dataDir();
    writeKeys(dir, { mistral: KEY }, 0o644);
    const vault = createFileKeyVault({
      dataDir: dir,
      env: {},
      logger: createMemoryLogger(),
      platform: 'win32',
    });
    expect(vault.get('mistral')).toBe(KEY);
  });

  it.runIf(posix)('creates the file with 0600 when saving, atomically, and reads it back', () => {
    const dir = path.join(dataDir(), 'nested');
    const vault = createFileKeyVault({ dataDir: dir, env: {}, logger: createMemoryLogger() });
    expect(vault.get('mistral')).toBeNull();
    vault.set('mistral', KEY);
    vault.setEndpointKey('lm-studio', 'sk-lm');
    const file = path.join(dir, KEY_FILE_NAME);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual([KEY_FILE_NAME]);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      mistral: KEY,
      endpoints: { 'lm-studio': 'sk-lm' },
    });
    const reopened = createFileKeyVault({ dataDir: dir, env: {}, logger: createMemoryLogger() });
    expect(reopened.get('mistral')).toBe(KEY);
    expect(reopened.getEndpointKey('lm-studio')).toBe('sk-lm');
    reopened.set('mistral', null);
    reopened.setEndpointKey('lm-studio', '  ');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({});
  });

  it.runIf(posix)('replaces an unsafe file with a 0600 one when a key is saved', () => {
    const dir = dataDir();
    const file = writeKeys(dir, { mistral: 'old' }, 0o666);
    const vault = createFileKeyVault({ dataDir: dir, env: {}, logger: createMemoryLogger() });
    vault.set('mistral', KEY);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(vault.fileProblem()).toBeNull();
    expect(
      createFileKeyVault({ dataDir: dir, env: {}, logger: createMemoryLogger() }).get('mistral'),
    ).toBe(KEY);
  });

  it('ignores a corrupt file without logging its content', () => {
    const dir = dataDir();
    writeKeys(dir, `{"mistral": "${KEY}"`, 0o600);
    const logger = createMemoryLogger();
    const vault = createFileKeyVault({ dataDir: dir, env: {}, logger });
    expect(vault.get('mistral')).toBeNull();
    expect(vault.fileProblem()).toMatch(/could not be read/);
    expect(logger.lines.join('\n')).not.toContain(KEY);
  });
});
