/**
 * The browser host's key store: keys from the environment first, else from `keys.json` in the
 * data folder. The file holds keys in clear text, so it is written with mode 0600 and refused
 * (with a warning saying how to fix it) when group or others can access it.
 */
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import type { ModelRef } from '../../../shared/domain';
import type { Logger } from '../logger';
import { createEnvKeyVault, type KeyVault } from './keyVault';

/** The file, inside the data folder, that holds the keys. */
export const KEY_FILE_NAME = 'keys.json';

type Provider = ModelRef['provider'];
const ENDPOINT_PREFIX = 'endpoint:';

/** What `keys.json` holds. */
interface KeyFile {
  mistral?: string;
  /** OpenAI-compatible endpoints' keys, by endpoint id. */
  endpoints?: Record<string, string>;
}

export interface FileKeyVaultOptions {
  dataDir: string;
  /** `MISTRAL_API_KEY` here wins over the file. */
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Tests pass another platform to check that POSIX modes are not read on Windows. */
  platform?: NodeJS.Platform;
}

/** A {@link KeyVault} that can store keys, and keys for OpenAI-compatible endpoints. */
export interface FileKeyVault extends KeyVault {
  /** Saves a provider's key, or removes it when `key` is null or blank. */
  set(provider: Provider, key: string | null): void;
  /** The key saved for an OpenAI-compatible endpoint, or null. */
  getEndpointKey(endpointId: string): string | null;
  setEndpointKey(endpointId: string, key: string | null): void;
  /** Why the key file is being ignored (unsafe permissions, unreadable), or null when it is not. */
  fileProblem(): string | null;
}

/** Creates the vault; the file is read on first use and cached. */
export function createFileKeyVault(options: FileKeyVaultOptions): FileKeyVault {
  const { logger } = options;
  const filePath = path.join(options.dataDir, KEY_FILE_NAME);
  const checkMode = (options.platform ?? process.platform) !== 'win32';
  const envVault = createEnvKeyVault(options.env);
  let cache: KeyFile | null = null;
  let problem: string | null = null;

  function load(): KeyFile {
    if (cache) return cache;
    cache = readKeyFile();
    return cache;
  }

  function readKeyFile(): KeyFile {
    problem = null;
    try {
      const stats = statSync(filePath);
      if (checkMode && (stats.mode & 0o077) !== 0) {
        const mode = (stats.mode & 0o777).toString(8).padStart(3, '0');
        problem =
          `${filePath} is readable by other users (mode ${mode}), so its keys are ignored. ` +
          `Run: chmod 600 "${filePath}"`;
        logger.warn('keyvault.insecure_permissions', { file: filePath, mode });
        return {};
      }
      const parsed: unknown = JSON.parse(readFileSync(filePath, 'utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        throw new Error('not an object');
      }
      return sanitize(parsed as Record<string, unknown>);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      // The content is never logged: it holds the keys.
      problem = `${filePath} could not be read, so its keys are ignored.`;
      logger.warn('keyvault.file_unreadable', {
        file: filePath,
        errorName: error instanceof Error ? error.name : typeof error,
      });
      return {};
    }
  }

  function save(next: KeyFile): void {
    mkdirSync(options.dataDir, { recursive: true });
    if (problem) logger.warn('keyvault.replacing_ignored_file', { file: filePath });
    writeAtomically(filePath, JSON.stringify(next, null, 2) + '\n');
    cache = next;
    problem = null;
  }

  return {
    get(provider) {
      const fromEnv = envVault.get(provider);
      if (fromEnv) return fromEnv;
      if (provider.startsWith(ENDPOINT_PREFIX)) {
        return this.getEndpointKey(provider.slice(ENDPOINT_PREFIX.length));
      }
      return provider === 'mistral' ? (load().mistral ?? null) : null;
    },
    set(provider, key) {
      if (provider.startsWith(ENDPOINT_PREFIX)) {
        this.setEndpointKey(provider.slice(ENDPOINT_PREFIX.length), key);
        return;
      }
      if (provider !== 'mistral') return;
      const next = { ...load() };
      const trimmed = key?.trim() ?? '';
      if (trimmed) next.mistral = trimmed;
      else delete next.mistral;
      save(next);
    },
    getEndpointKey(endpointId) {
      const endpoints = load().endpoints;
      return endpoints && Object.hasOwn(endpoints, endpointId)
        ? (endpoints[endpointId] ?? null)
        : null;
    },
    setEndpointKey(endpointId, key) {
      const current = load();
      const endpoints = { ...current.endpoints };
      const trimmed = key?.trim() ?? '';
      if (trimmed) endpoints[endpointId] = trimmed;
      else delete endpoints[endpointId];
      const next: KeyFile = { ...current, endpoints };
      if (Object.keys(endpoints).length === 0) delete next.endpoints;
      save(next);
    },
    fileProblem() {
      load();
      return problem;
    },
  };
}

/** Keeps only non-empty string keys, so a hand-edited file cannot smuggle in other shapes. */
function sanitize(raw: Record<string, unknown>): KeyFile {
  const file: KeyFile = {};
  if (typeof raw.mistral === 'string' && raw.mistral.trim()) file.mistral = raw.mistral.trim();
  if (raw.endpoints && typeof raw.endpoints === 'object' && !Array.isArray(raw.endpoints)) {
    const endpoints: Record<string, string> = {};
    for (const [id, value] of Object.entries(raw.endpoints as Record<string, unknown>)) {
      if (typeof value === 'string' && value.trim()) endpoints[id] = value.trim();
    }
    if (Object.keys(endpoints).length > 0) file.endpoints = endpoints;
  }
  return file;
}

/**
 * Writes a new file with mode 0600 beside the target, flushes it, and renames it over the target,
 * so a crash leaves either the old keys or the new ones, never half a file or a readable one.
 */
function writeAtomically(filePath: string, content: string): void {
  const temporary = `${filePath}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temporary, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temporary, filePath);
}
