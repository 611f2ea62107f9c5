import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMemoryLogger } from '../core/logger';
import { KEY_FILE_NAME, createSafeStorageKeyVault, type KeyEncryptor } from './safeStorageKeyVault';

const KEY = 'sk-stored-1234567890abcdef';

/** Reversible but not plain text, so a test can tell stored bytes from the key. */
function fakeEncryptor(available = true) {
  const calls = { decrypt: 0 };
  const encryptor: KeyEncryptor = {
    isEncryptionAvailable: () => available,
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
    expect(() => vault.set('mistral', KEY)).toThrow(/keychain/);
  });
});
