/**
 * The weak-storage consent end to end through the contract: the dispatcher validates the flag,
 * the settings handler passes it on, and the safeStorage vault (over a fake basic_text backend:
 * the real safeStorage exists only inside Electron) refuses or stores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../core/createCore';
import { createMemoryLogger } from '../core/logger';
import { createSafeStorageKeyVault, type KeyEncryptor } from './safeStorageKeyVault';

const KEY = 'sk-consent-1234567890abcd';

const basicText: KeyEncryptor = {
  isEncryptionAvailable: () => true,
  getSelectedStorageBackend: () => 'basic_text',
  encryptString: (text) => Buffer.from(text, 'utf8').reverse(),
  decryptString: (data) => Buffer.from(data).reverse().toString('utf8'),
};

let dataDir: string;
let core: Core;
let clientId: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'causerie-consent-'));
  const logger = createMemoryLogger();
  const keyVault = createSafeStorageKeyVault({
    dataDir,
    encryptor: basicText,
    env: {},
    logger,
    platform: 'linux',
  });
  core = createCore({
    dataDir,
    keyVault,
    keyStorage: keyVault.protection(),
    logger,
    mistralBaseUrl: 'http://127.0.0.1:9',
    defaultModel: { provider: 'mistral', model: 'mistral-small-latest' },
  });
  clientId = core.connectClient(() => undefined);
});
afterEach(async () => {
  await core.close();
  rmSync(dataDir, { recursive: true, force: true });
});

const call = (method: string, input: unknown) => core.dispatch(method, input, { clientId });

describe('saving a key where the keychain only obfuscates', () => {
  it('tells the page, refuses without consent, and stores with it', async () => {
    expect(await call('settings.get', {})).toMatchObject({
      ok: true,
      value: { keyStorage: 'plain-text-warning', mistral: { keyConfigured: false } },
    });
    expect(await call('settings.setMistralKey', { key: KEY })).toMatchObject({
      ok: false,
      error: { code: 'KEY_STORAGE_WEAK' },
    });
    expect(
      await call('settings.setMistralKey', { key: KEY, acceptWeakStorage: false }),
    ).toMatchObject({ ok: false, error: { code: 'KEY_STORAGE_WEAK' } });
    expect(await call('settings.get', {})).toMatchObject({
      value: { mistral: { keyConfigured: false } },
    });

    expect(
      await call('settings.setMistralKey', { key: KEY, acceptWeakStorage: true }),
    ).toMatchObject({ ok: true, value: { keyConfigured: true, keyLast4: 'abcd' } });
    expect(await call('settings.setMistralKey', { key: null })).toMatchObject({
      ok: true,
      value: { keyConfigured: false },
    });
  });

  it('validates the consent flag: only a boolean is accepted', async () => {
    for (const acceptWeakStorage of ['yes', 1, null, {}]) {
      expect(
        await call('settings.setMistralKey', { key: KEY, acceptWeakStorage }),
        JSON.stringify(acceptWeakStorage),
      ).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
  });

  it('adds no server when its key is refused, and adds it with its key once accepted', async () => {
    const added = await call('endpoints.add', {
      name: 'Ollama',
      baseUrl: 'http://127.0.0.1:11434',
      apiKey: KEY,
    });
    expect(added).toMatchObject({ ok: false, error: { code: 'KEY_STORAGE_WEAK' } });
    expect(await call('endpoints.list', {})).toMatchObject({ ok: true, value: { endpoints: [] } });

    const accepted = await call('endpoints.add', {
      name: 'Ollama',
      baseUrl: 'http://127.0.0.1:11434',
      apiKey: KEY,
      acceptWeakStorage: true,
    });
    expect(accepted).toMatchObject({ ok: true, value: { name: 'Ollama', keyConfigured: true } });
  });
});
