import type { AnyEvent } from '../../../shared/contract';
import type { ChatService } from '../chat/chatService';
import type { ConversationRules } from '../chat/conversationRules';
import type { Logger } from '../logger';
import type { ModelRegistry } from '../models/modelRegistry';
import type { AppSettingsStore } from '../settings/appSettings';
import type { KeyVault } from '../settings/keyVault';
import type { Db } from '../store/openDatabase';
import type { Recovery } from '../store/openDatabaseSafely';
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
  keyStorage: 'os-keychain' | 'file' | 'environment' | 'plain-text-warning' | 'unavailable';
  settings: AppSettingsStore;
  models: ModelRegistry;
  /** Which conversations may be used, and the model a new one gets. */
  conversations: ConversationRules;
  chat: ChatService;
  /** The local llama.cpp models, when this build runs them. */
  local: LocalModelsService | null;
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
