import {
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../core/logger';
import { CoreError } from '../core/coreError';
import {
  KEY_FILE_NAME,
  createSafeStorageKeyVault,
  describeKeyProtection,
  type KeyEncryptor,
} from './safeStorageKeyVault';

const KEY = 'sk-stored-1234567890abcdef';

/**
 * Reversible but not plain text, so a test can tell stored bytes from the key. A fake because
 * Electron's safeStorage exists only inside an Electron main process, which cannot run here.
 */
function fakeEncryptor(available = true, backend = 'gnome_libsecret') {
  const calls = { decrypt: 0 };
  const encryptor: KeyEncryptor = {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () =>
      backend as ReturnType<KeyEncryptor['getSelectedStorageBackend']>,
    encryptString: (text) => Buffer.from(`enc:${text}`.split('').reverse().join(''), 'utf8'),
    decryptString: (data) => {
      calls.decrypt += 1;
      const text = data.toString('utf8').split('').reverse().join('');
      if (!text.startsWith('enc:')) throw new Error('Error while decrypting the ciphertext');
      return text.slice(4);
    },
  };
  return { encryptor, calls };
}

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'causerie-keys-'));
});
afterEach(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

describe('createSafeStorageKeyVault', () => {
  it('prefers MISTRAL_API_KEY from the environment', () => {
    const { encryptor } = fakeEncryptor();
    const vault = createSafeStorageKeyVault({
      dataDir,
      encryptor,
      env: { MISTRAL_API_KEY: '  sk-env-1234567890  ' },
      logger: createMemoryLogger(),
    });
    vault.set('mistral', KEY);
    expect(vault.get('mistral')).toBe('sk-env-1234567890');
  });

  it('stores keys encrypted in keys.enc as JSON of base64, readable by a new vault', () => {
    const { encryptor, calls } = fakeEncryptor();
    const logger = createMemoryLogger();
    createSafeStorageKeyVault({ dataDir, encryptor, env: {}, logger }).set('mistral', KEY);

    const file = path.join(dataDir, KEY_FILE_NAME);
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain(KEY);
    const stored = JSON.parse(raw) as { mistral: string };
    expect(encryptor.decryptString(Buffer.from(stored.mistral, 'base64'))).toBe(KEY);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);

    const reopened = createSafeStorageKeyVault({ dataDir, encryptor, env: {}, logger });
    calls.decrypt = 0;
    expect(reopened.get('mistral')).toBe(KEY);
    expect(reopened.get('mistral')).toBe(KEY);
    expect(calls.decrypt).toBe(1);
    expect(logger.lines.join('\n')).not.toContain(KEY);
  });

  it('removes a key when set to null', () => {
    const { encryptor } = fakeEncryptor();
    const vault = createSafeStorageKeyVault({
      dataDir,
      encryptor,
      env: {},
      logger: createMemoryLogger(),
    });
    vault.set('mistral', KEY);
    vault.set('mistral', null);
    expect(vault.get('mistral')).toBeNull();
    expect(JSON.parse(readFileSync(path.join(dataDir, KEY_FILE_NAME), 'utf8'))).toEqual({});
  });

  it('returns null without a file, with a corrupt file, or when decryption fails, and logs no secret', () => {
    const { encryptor } = fakeEncryptor();
    const logger = createMemoryLogger();
    const open = () => createSafeStorageKeyVault({ dataDir, encryptor, env: {}, logger });
    expect(open().get('mistral')).toBeNull();

    const file = path.join(dataDir, KEY_FILE_NAME);
    writeFileSync(file, `{"mistral": "${KEY}"`);
    expect(open().get('mistral')).toBeNull();

    writeFileSync(file, JSON.stringify({ mistral: Buffer.from(KEY).toString('base64') }));
    expect(open().get('mistral')).toBeNull();

    const logs = logger.lines.join('\n');
    expect(logs).toContain('keyvault.file_unreadable');
    expect(logs).toContain('keyvault.decrypt_failed');
    expect(logs).not.toContain(KEY);
  });

  it('reads nothing and refuses to store when the OS cannot encrypt', () => {
    const working = fakeEncryptor();
    createSafeStorageKeyVault({
      dataDir,
      encryptor: working.encryptor,
      env: {},
      logger: createMemoryLogger(),
    }).set('mistral', KEY);

    const { encryptor } = fakeEncryptor(false);
    const vault = createSafeStorageKeyVault({
      dataDir,
      encryptor,
      env: {},
      logger: createMemoryLogger(),
    });
    expect(vault.get('mistral')).toBeNull();
    expect(vault.protection()).toBe('unavailable');
    expect(codeOf(() => vault.set('mistral', KEY))).toBe('STORAGE');
    expect(codeOf(() => vault.set('mistral', KEY, { acceptWeakStorage: true }))).toBe('STORAGE');
  });
});

/** The error-as-data code a call throws, or 'none'. */
function codeOf(call: () => void): string {
  try {
    call();
    return 'none';
  } catch (error) {
    if (error instanceof CoreError) return error.appError.code;
    throw error;
  }
}

describe('the basic_text backend (Linux without a keyring)', () => {
  const open = (platform: NodeJS.Platform = 'linux') => {
    const logger = createMemoryLogger();
    const { encryptor } = fakeEncryptor(true, 'basic_text');
    const vault = createSafeStorageKeyVault({ dataDir, encryptor, env: {}, logger, platform });
    return { vault, logger };
  };
  const file = () => path.join(dataDir, KEY_FILE_NAME);

  it('refuses to store a key unless the user accepted that it is only obfuscated', () => {
    const { vault } = open();
    expect(vault.protection()).toBe('plain-text-warning');
    expect(codeOf(() => vault.set('mistral', KEY))).toBe('KEY_STORAGE_WEAK');
    expect(codeOf(() => vault.set('endpoint:abc', KEY, { acceptWeakStorage: false }))).toBe(
      'KEY_STORAGE_WEAK',
    );
    expect(() => statSync(file())).toThrow(/ENOENT/);
    expect(vault.get('mistral')).toBeNull();
  });

  it('says why in a message that names MISTRAL_API_KEY, and is not retryable', () => {
    const { vault } = open();
    try {
      vault.set('mistral', KEY);
      expect.unreachable();
    } catch (error) {
      const appError = (error as CoreError).appError;
      expect(appError.message).toContain('MISTRAL_API_KEY');
      expect(appError.message).not.toContain(KEY);
      expect(appError.retryable).toBe(false);
    }
  });

  it('stores the key once accepted, and logs the choice without the key', () => {
    const { vault, logger } = open();
    vault.set('mistral', KEY, { acceptWeakStorage: true });
    expect(vault.get('mistral')).toBe(KEY);
    expect(readFileSync(file(), 'utf8')).not.toContain(KEY);
    const logs = logger.lines.join('\n');
    expect(logs).toContain('keyvault.weak_storage_accepted');
    expect(logs).not.toContain(KEY);
  });

  it('always lets a stored key be removed', () => {
    const { vault } = open();
    vault.set('mistral', KEY, { acceptWeakStorage: true });
    vault.set('mistral', null);
    expect(vault.get('mistral')).toBeNull();
    expect(JSON.parse(readFileSync(file(), 'utf8'))).toEqual({});
  });

  it('asks about the backend on Linux only', () => {
    const basic = fakeEncryptor(true, 'basic_text').encryptor;
    expect(describeKeyProtection(basic, 'linux')).toBe('plain-text-warning');
    expect(describeKeyProtection(basic, 'darwin')).toBe('os-keychain');
    expect(describeKeyProtection(fakeEncryptor().encryptor, 'linux')).toBe('os-keychain');
    expect(describeKeyProtection(fakeEncryptor(false).encryptor, 'win32')).toBe('unavailable');
    const { vault } = open('win32');
    vault.set('mistral', KEY);
    expect(vault.get('mistral')).toBe(KEY);
  });
});

/**
 * Runs `writes` vault saves in a worker thread of this process (threads share the pid, as the
 * main process's own threads do). Node strips the types; the dev loader resolves the sources'
 * extensionless imports.
 */
function writeFromThread(dir: string, name: string, writes: number): Promise<void> {
  const here = import.meta.dirname;
  const code = `
    const { workerData, parentPort } = require('node:worker_threads');
    (async () => {
      await import(workerData.loader);
      const { createSafeStorageKeyVault } = await import(workerData.vault);
      const encryptor = {
        isEncryptionAvailable: () => true,
        getSelectedStorageBackend: () => 'gnome_libsecret',
        encryptString: (text) => Buffer.from('enc:' + text),
        decryptString: (data) => data.toString().slice(4),
      };
      const logger = { debug() {}, info() {}, warn() {}, error() {} };
      const vault = createSafeStorageKeyVault({ dataDir: workerData.dir, encryptor, env: {}, logger });
      for (let i = 0; i < workerData.writes; i += 1) {
        vault.set('endpoint:' + workerData.name, 'sk-' + workerData.name + '-' + i + '-0123456789');
      }
      parentPort.postMessage('done');
    })().catch((error) => parentPort.postMessage(String(error && error.stack || error)));
  `;
  const worker = new Worker(code, {
    eval: true,
    workerData: {
      dir,
      name,
      writes,
      loader: pathToFileURL(path.join(here, '..', 'core', 'local', 'devLoader.ts')).href,
      vault: pathToFileURL(path.join(here, 'safeStorageKeyVault.ts')).href,
    },
  });
  return new Promise((resolve, reject) => {
    worker.once('message', (message) => {
      void worker.terminate();
      if (message === 'done') resolve();
      else reject(new Error(String(message)));
    });
    worker.once('error', reject);
  });
}

describe('the atomic write of keys.enc', () => {
  it('survives two writers at once: every save succeeds, the file stays whole, no temp is left', async () => {
    await Promise.all([writeFromThread(dataDir, 'a', 300), writeFromThread(dataDir, 'b', 300)]);
    const stored = JSON.parse(readFileSync(path.join(dataDir, KEY_FILE_NAME), 'utf8')) as Record<
      string,
      string
    >;
    // Each writer read, changed and wrote the file in turn; the last save of either is kept.
    const values = Object.values(stored).map((value) => Buffer.from(value, 'base64').toString());
    expect(values.length).toBeGreaterThanOrEqual(1);
    for (const value of values) expect(value).toMatch(/^enc:sk-[ab]-\d+-0123456789$/);
    expect(readdirSync(dataDir)).toEqual([KEY_FILE_NAME]);
  });

  it('never writes through a file or symlink planted at a guessable temporary name', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'causerie-outside-'));
    try {
      const target = path.join(outside, 'stolen');
      writeFileSync(target, '');
      for (const guess of [`${process.pid}`, '0', 'tmp']) {
        symlinkSync(target, path.join(dataDir, `${KEY_FILE_NAME}.${guess}.tmp`));
      }
      const { encryptor } = fakeEncryptor();
      const vault = createSafeStorageKeyVault({
        dataDir,
        encryptor,
        env: {},
        logger: createMemoryLogger(),
      });
      vault.set('mistral', KEY);
      expect(readFileSync(target, 'utf8')).toBe('');
      const file = path.join(dataDir, KEY_FILE_NAME);
      expect(statSync(file).isFile()).toBe(true);
      if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
      expect(
        createSafeStorageKeyVault({
          dataDir,
          encryptor,
          env: {},
          logger: createMemoryLogger(),
        }).get('mistral'),
      ).toBe(KEY);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
