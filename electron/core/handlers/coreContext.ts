import type { AnyEvent } from '../../../shared/contract';
import type { ChatService } from '../chat/chatService';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../models/modelRegistry';
import type { AppSettingsStore } from '../settings/appSettings';
import type { KeyVault } from '../settings/keyVault';
import type { Db } from '../store/openDatabase';
import type { Recovery } from '../store/openDatabaseSafely';
import type { ModelRef } from '../../../shared/domain';
import type { LocalModelsService } from '../local/localModels';

/** Everything a handler may use; built once by `createCore`. */
export interface CoreContext {
  /** The live connection; replaced after a restore from backup, so always read it through here. */
  db(): Db;
  dataDir: string;
  databaseFile: string;
  backupsDir: string;
  logger: Logger;
  /** Image host names answered as given (`CAUSERIE_TEST_HOSTS`, end-to-end tests only). */
  imageTestHosts: ReadonlyMap<string, string>;
  keyVault: KeyVault;
  keyStorage: 'os-keychain' | 'file' | 'environment' | 'plain-text-warning';
  settings: AppSettingsStore;
  models: ModelRegistry;
  chat: ChatService;
  /** The local llama.cpp models, when this build runs them. */
  local: LocalModelsService | null;
  defaultModel: ModelRef;
  mistralBaseUrl: string;
  storeRecovery: Recovery | null;
  /** Sends an event to every connected page (but `exceptClientId`, which has its answer already). */
  broadcast(event: AnyEvent, exceptClientId?: string): void;
  /** Takes a backup now; closing the core cancels it, and a restore waits for it. */
  createBackup(): Promise<string>;
  /** Swaps the database for a backup: closes, restores, reopens. */
  restoreBackup(name: string): Promise<void>;
  now(): number;
}
