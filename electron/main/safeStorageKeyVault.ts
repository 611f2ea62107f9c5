import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { SafeStorage } from 'electron';
import type { ModelRef } from '../../shared/domain';
import { CoreError } from '../core/coreError';
import type { Logger } from '../core/logger';
import { createEnvKeyVault, type KeyVault } from '../core/settings/keyVault';

/** The file, inside the data folder, that holds the encrypted keys. */
export const KEY_FILE_NAME = 'keys.enc';

type Provider = ModelRef['provider'];
/**
 * The part of Electron's `safeStorage` the vault uses. Tests pass a fake: the real one exists only
 * inside an Electron main process, and Electron cannot run where the tests run.
 */
export type KeyEncryptor = Pick<
  SafeStorage,
  'isEncryptionAvailable' | 'encryptString' | 'decryptString' | 'getSelectedStorageBackend'
>;

/** How well saved keys are protected: the settings page shows it, and saving depends on it. */
export type KeyProtection = 'os-keychain' | 'plain-text-warning' | 'unavailable';

/**
 * On Linux without a keyring (no libsecret, no kwallet) Electron picks the `basic_text` backend,
 * which "encrypts" with a password hard-coded in Chromium: anyone who can read `keys.enc` can read
 * the keys. That is reported as `plain-text-warning`, and saving then needs the user's explicit
 * acceptance. The backend question is asked on Linux only, the one platform that answers it.
 */
export function describeKeyProtection(
  encryptor: KeyEncryptor,
  platform: NodeJS.Platform,
): KeyProtection {
  if (!encryptor.isEncryptionAvailable()) return 'unavailable';
  if (platform === 'linux' && encryptor.getSelectedStorageBackend() === 'basic_text') {
    return 'plain-text-warning';
  }
  return 'os-keychain';
}

export interface SafeStorageKeyVaultOptions {
  /** The data folder; the keys live in `keys.enc` inside it. */
  dataDir: string;
  encryptor: KeyEncryptor;
  /** Keys from the environment win over stored ones, for development and tests. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Defaults to `process.platform`; tests name one. */
  platform?: NodeJS.Platform;
}

/** A {@link KeyVault} backed by safeStorage, which can say how well it protects keys. */
export interface WritableKeyVault extends KeyVault {
  /**
   * Encrypts and saves a key, or removes it when `key` is null (removing always works). Throws a
   * CoreError: `KEY_STORAGE_WEAK` when the keys would only be obfuscated and `acceptWeakStorage`
   * is not set, `STORAGE` when nothing can encrypt them.
   */
  set(provider: Provider, key: string | null, options?: { acceptWeakStorage?: boolean }): void;
  /** The protection saved keys get now (asked of safeStorage each time: it is cheap). */
  protection(): KeyProtection;
}

/** Said when a key is refused for weak storage; the settings page shows its own translation. */
export const WEAK_STORAGE_MESSAGE =
  'This system has no keychain, so a saved key would only be obfuscated on disk. Set the MISTRAL_API_KEY environment variable instead, or choose to store the key anyway.';

/**
 * Keys from `MISTRAL_API_KEY` first, else from `keys.enc`: JSON `{ mistral: base64 }` where each
 * value is encrypted by the OS keychain through safeStorage. Decrypted keys are cached so the
 * keychain is asked once per run; no key value is ever logged.
 */
export function createSafeStorageKeyVault(options: SafeStorageKeyVaultOptions): WritableKeyVault {
  const { encryptor, env, logger } = options;
  const platform = options.platform ?? process.platform;
  const filePath = path.join(options.dataDir, KEY_FILE_NAME);
  const cache = new Map<Provider, string | null>();
  const envVault = createEnvKeyVault(env);

  function readStored(): Partial<Record<Provider, unknown>> {
    let raw: string;
    try {
      raw = readFileSync(filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        logger.error('keyvault.read_failed', { error });
      }
      return {};
    }
    try {
      const parsed: unknown = JSON.parse(raw);
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
        return parsed;
      }
    } catch {
      // Falls through: the error is logged without the file's content, which holds the keys.
    }
    logger.warn('keyvault.file_unreadable', { file: KEY_FILE_NAME });
    return {};
  }

  function decryptStored(provider: Provider): string | null {
    const stored = readStored();
    const value = Object.hasOwn(stored, provider) ? stored[provider] : undefined;
    if (typeof value !== 'string' || value === '') return null;
    if (!encryptor.isEncryptionAvailable()) {
      logger.warn('keyvault.encryption_unavailable', { provider });
      return null;
    }
    try {
      return encryptor.decryptString(Buffer.from(value, 'base64')).trim() || null;
    } catch (error) {
      // Typically the keychain entry changed (another user, a reinstalled OS): ask for the key again.
      logger.warn('keyvault.decrypt_failed', {
        provider,
        errorName: error instanceof Error ? error.name : typeof error,
      });
      return null;
    }
  }

  return {
    get(provider) {
      const fromEnv = envVault.get(provider);
      if (fromEnv) return fromEnv;
      if (!cache.has(provider)) cache.set(provider, decryptStored(provider));
      return cache.get(provider) ?? null;
    },
    protection: () => describeKeyProtection(encryptor, platform),
    set(provider, key, { acceptWeakStorage = false } = {}) {
      const trimmed = key?.trim() ?? '';
      if (trimmed !== '') {
        const protection = describeKeyProtection(encryptor, platform);
        if (protection === 'unavailable') {
          throw new CoreError(
            'STORAGE',
            'The system keychain cannot encrypt keys here. Set the MISTRAL_API_KEY environment variable instead.',
          );
        }
        if (protection === 'plain-text-warning') {
          if (!acceptWeakStorage) throw new CoreError('KEY_STORAGE_WEAK', WEAK_STORAGE_MESSAGE);
          logger.warn('keyvault.weak_storage_accepted', { provider, backend: 'basic_text' });
        }
      }
      const stored = readStored();
      const next: Record<string, unknown> = { ...stored };
      if (trimmed === '') {
        delete next[provider];
      } else {
        next[provider] = encryptor.encryptString(trimmed).toString('base64');
      }
      mkdirSync(options.dataDir, { recursive: true });
      writeAtomically(filePath, JSON.stringify(next));
      cache.set(provider, trimmed === '' ? null : trimmed);
    },
  };
}

/**
 * Writes beside the target and renames, so a crash never leaves half a key file. The temporary
 * name is random and created with O_EXCL at 0600: two writers never share one (the pid alone is
 * shared by threads), and a file or symlink planted at a guessable name is never written through.
 */
function writeAtomically(filePath: string, content: string): void {
  const temporary = `${filePath}.${randomBytes(8).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, filePath);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}
