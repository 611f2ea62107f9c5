import type { ModelRef } from '../../../shared/domain';
import { CoreError } from '../coreError';

/** What the renderer may know about a key: whether it is there, and its last four characters. */
export interface KeyDescription {
  configured: boolean;
  last4: string | null;
}

/**
 * Where API keys live. The core reads keys only through this interface, so the Electron shell can
 * back it with safeStorage and the browser host with the environment or a 0600 file.
 */
export interface KeyVault {
  /** The key for a provider id (`mistral`, `endpoint:<id>`), or null. */
  get(provider: ModelRef['provider']): string | null;
  /**
   * Saves a key, or removes it when `key` is null or blank. A vault whose storage only
   * obfuscates refuses with `KEY_STORAGE_WEAK` unless `acceptWeakStorage` is set.
   */
  set(
    provider: ModelRef['provider'],
    key: string | null,
    options?: { acceptWeakStorage?: boolean },
  ): void;
}

/** Describes a key without revealing it. */
export function describeKey(key: string | null): KeyDescription {
  if (!key) return { configured: false, last4: null };
  return { configured: true, last4: key.length >= 12 ? key.slice(-4) : null };
}

/** Keys from environment variables (`MISTRAL_API_KEY`). */
export function createEnvKeyVault(env: NodeJS.ProcessEnv): KeyVault {
  return {
    get(provider) {
      if (provider === 'mistral') return env.MISTRAL_API_KEY?.trim() || null;
      return null;
    },
    set() {
      throw new CoreError(
        'VALIDATION',
        'Keys come from environment variables here; change MISTRAL_API_KEY and restart.',
      );
    },
  };
}
