import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { AnyEvent, MethodOutput } from '../../shared/contract';
import { appError, fail, ok, type Result } from '../../shared/errors';
import { toAppError } from './coreError';
import { createChatService } from './chat/chatService';
import { createConversationRules } from './chat/conversationRules';
import type { EnvironmentConfig } from './config';
import type { CoreContext } from './handlers/coreContext';
import { chatHandlers } from './handlers/chatHandlers';
import { imageHandlers } from './handlers/imageHandlers';
import { localHandlers } from './handlers/localHandlers';
import { conversationHandlers } from './handlers/conversationHandlers';
import { dataHandlers, importJsonText } from './handlers/dataHandlers';
import { settingsHandlers } from './handlers/settingsHandlers';
import { createDispatcher, type Dispatch } from './ipc/dispatcher';
import type { Logger } from './logger';
import { createLocalModels } from './local/localModels';
import type { SpawnWorker } from './local/workerProcess';
import { createModelRegistry } from './models/modelRegistry';
import type { ChatProvider } from './providers/chatProvider';
import { createAppSettingsStore } from './settings/appSettings';
import type { KeyVault } from './settings/keyVault';
import { backupIfDue, createBackup, restoreFromBackup } from './store/backups';
import { createPrivateFile, secureDataFolder } from './store/dataFolderPermissions';
import { receiveImportUpload } from './store/importUpload';
import { openDatabase, type Db } from './store/openDatabase';
import { openDatabaseSafely } from './store/openDatabaseSafely';
import { purgeTrash } from './store/repos/trash';
import { markStreamingMessagesInterrupted } from './store/repos/messages';

/** The file name of the conversation store inside the data folder. */
export const DATABASE_FILE_NAME = 'causerie.db';
/** Rolling daily backups live here, inside the data folder. */
export const BACKUPS_DIR_NAME = 'backups';
/** Conversations stay in the trash this long before they are deleted for good. */
export const TRASH_RETENTION_DAYS = 30;
/** How often backups and trash purging are reconsidered while the app runs. */
const MAINTENANCE_INTERVAL_MS = 6 * 60 * 60 * 1000;

export interface CoreOptions extends EnvironmentConfig {
  dataDir: string;
  keyVault: KeyVault;
  /** Where keys live, shown in settings (a plain-text fallback gets a warning). */
  keyStorage?: CoreContext['keyStorage'];
  logger: Logger;
  /** Replaces the real providers; tests use it to inject failures at chosen points. */
  providers?: { mistral?: ChatProvider };
  /** How to start the local runtime's child process; without it, local models are off. */
  spawnLocalWorker?: SpawnWorker;
  /** Keep llama.cpp on the CPU (tests). */
  localGpu?: 'auto' | 'off';
  /** More downloadable models (`CAUSERIE_EXTRA_CATALOGUE`). */
  extraCatalogueFile?: string;
  now?: () => number;
}

/** Everything the main process does, with no dependency on Electron. */
export interface Core {
  dispatch: Dispatch;
  /** Registers a page; its events go to `deliver`. Returns the client id to pass to `dispatch`. */
  connectClient(deliver: (event: AnyEvent) => void): string;
  /** The page is gone: forget it and cancel the streams it started. */
  disconnectClient(clientId: string): void;
  /**
   * Cancels every stream and any backup under way, waits for partial replies to be saved and for
   * the backup to let go of the store, and closes the store.
   */
  close(): Promise<void>;
  /** Imports a GGUF the user chose, from its bytes (the browser host's upload route). */
  importLocalModel(
    fileName: string,
    source: AsyncIterable<Uint8Array>,
  ): Promise<Result<{ fileName: string }>>;
  /**
   * Imports an export file from its bytes (the browser host's upload route, for files larger
   * than one call may carry). Uploads stream to disk side by side; parsing runs one at a time.
   */
  importJsonUpload(
    source: AsyncIterable<Uint8Array>,
    options?: { maxBytes?: number },
  ): Promise<Result<MethodOutput<'import.json'>>>;
}

/**
 * Opens the store in `dataDir` (moving a damaged file aside), recovers interrupted replies,
 * starts backups and trash purging, and wires every contract handler.
 */
export function createCore(options: CoreOptions): Core {
  const { logger, keyVault } = options;
  const now = options.now ?? Date.now;
  const repaired = secureDataFolder(options.dataDir);
  if (repaired > 0) logger.warn('store.permissions_repaired', { count: repaired });
  const databaseFile = path.join(options.dataDir, DATABASE_FILE_NAME);
  const backupsDir = path.join(options.dataDir, BACKUPS_DIR_NAME);
  createPrivateFile(databaseFile);

  const opened = openDatabaseSafely(databaseFile, { now: now() });
  let db: Db = opened.db;
  if (opened.recovered) {
    logger.error('store.recovered_from_damage', {
      movedTo: opened.recovered.movedTo,
      reason: opened.recovered.reason,
    });
  }
  const interrupted = markStreamingMessagesInterrupted(db, now());
  if (interrupted > 0) logger.warn('store.recovered_interrupted_replies', { count: interrupted });

  const clients = new Map<string, (event: AnyEvent) => void>();
  const deliver = (clientId: string, event: AnyEvent) => {
    const send = clients.get(clientId);
    if (!send) return;
    try {
      send(event);
    } catch (error) {
      logger.error('event.delivery_failed', { event: event.name, error });
    }
  };
  const broadcast = (event: AnyEvent, exceptClientId?: string) => {
    for (const clientId of clients.keys())
      if (clientId !== exceptClientId) deliver(clientId, event);
  };

  const settings = createAppSettingsStore(options.dataDir, logger);
  const local = options.spawnLocalWorker
    ? createLocalModels({
        dataDir: options.dataDir,
        spawnWorker: options.spawnLocalWorker,
        logger,
        broadcast,
        ...(options.extraCatalogueFile ? { extraCatalogueFile: options.extraCatalogueFile } : {}),
        ...(options.localGpu ? { gpu: options.localGpu } : {}),
      })
    : null;
  const models = createModelRegistry({
    keyVault,
    settings,
    mistralBaseUrl: options.mistralBaseUrl,
    logger,
    ...(options.providers?.mistral ? { mistralProvider: options.providers.mistral } : {}),
    ...(local ? { local: local.models } : {}),
    onCatalogChange: () => broadcast({ name: 'models.changed', payload: {} }),
  });
  const conversations = createConversationRules({
    db: () => db,
    resolveModel: (model) => models.resolve(model),
    settings,
    defaultModel: options.defaultModel,
  });
  const chat = createChatService({
    db: () => db,
    resolveModel: (model) => models.resolve(model),
    conversations,
    logger,
    emit: deliver,
    broadcast,
    modelTitles: () => settings.get().modelTitles,
    uiLanguage: () => settings.get().uiLanguage ?? undefined,
    now,
  });

  // Backups copy the store in steps between event-loop turns, so each one under way (startup,
  // timer or asked for) is kept in `storeWork`: close() cancels them and waits for them to let go
  // of the store, and a restore waits for them, before either closes the connection.
  const storeWork = new Set<Promise<unknown>>();
  const stopStoreWork = new AbortController();
  const keep = <T>(work: Promise<T>): Promise<T> => {
    storeWork.add(work);
    const forget = () => storeWork.delete(work);
    work.then(forget, forget);
    return work;
  };
  const storeWorkSettled = () => Promise.allSettled([...storeWork]);

  // Trash purging and the daily backup, at startup and then on a timer; never two runs at once.
  let maintenance: Promise<void> | null = null;
  const runMaintenance = async () => {
    try {
      const purged = purgeTrash(db, { now: now(), olderThanDays: TRASH_RETENTION_DAYS });
      if (purged > 0) logger.info('trash.purged', { count: purged });
      const backup = await backupIfDue(db, backupsDir, now(), { signal: stopStoreWork.signal });
      if (backup) logger.info('backup.created', { name: path.basename(backup) });
    } catch (error) {
      if (stopStoreWork.signal.aborted) logger.info('backup.cancelled');
      else logger.error('maintenance.failed', { error });
    }
  };
  const maintain = (): Promise<void> => {
    maintenance ??= keep(runMaintenance()).finally(() => {
      maintenance = null;
    });
    return maintenance;
  };
  void maintain();
  const maintenanceTimer = setInterval(() => void maintain(), MAINTENANCE_INTERVAL_MS);
  maintenanceTimer.unref();

  const context: CoreContext = {
    db: () => db,
    dataDir: options.dataDir,
    databaseFile,
    backupsDir,
    logger,
    keyVault,
    keyStorage: options.keyStorage ?? 'environment',
    settings,
    models,
    conversations,
    chat,
    local,
    mistralBaseUrl: options.mistralBaseUrl,
    imageTestHosts: options.imageTestHosts ?? new Map(),
    storeRecovery: opened.recovered,
    broadcast,
    now,
    createBackup: () => keep(createBackup(db, backupsDir, now(), stopStoreWork.signal)),
    async restoreBackup(name) {
      await chat.close();
      await storeWorkSettled();
      db.close();
      try {
        restoreFromBackup(databaseFile, path.join(backupsDir, name), now());
      } finally {
        // Whatever happened, the app keeps a working store: the restored file or the old one.
        db = openDatabase(databaseFile);
      }
      // A backup taken while a reply streamed holds it as streaming: recover it as at startup.
      markStreamingMessagesInterrupted(db, now());
      logger.info('backup.restored', { name });
    },
  };

  const dispatch = createDispatcher(
    {
      ...settingsHandlers(context),
      ...conversationHandlers(context),
      ...dataHandlers(context),
      ...chatHandlers(context),
      ...localHandlers(context),
      ...imageHandlers(context),
    },
    logger,
  );

  let closed = false;
  let importQueue: Promise<unknown> = Promise.resolve();
  return {
    dispatch,
    connectClient(send) {
      const clientId = randomUUID();
      clients.set(clientId, send);
      return clientId;
    },
    async importLocalModel(fileName, source) {
      if (!local)
        return fail(appError('MODEL_LOAD', 'Local models are not available in this build.'));
      try {
        return ok({ fileName: await local.importModel(fileName, source) });
      } catch (error) {
        const data = toAppError(error);
        if (data.code === 'INTERNAL') logger.error('local.import_failed', { error });
        return fail(data);
      }
    },
    async importJsonUpload(source, uploadOptions) {
      try {
        const received = await receiveImportUpload({
          dataDir: options.dataDir,
          source,
          ...uploadOptions,
        });
        // Uploads reach the disk side by side, but are read and parsed one at a time: each
        // holds its whole file in memory, as text and then as objects.
        const imported = importQueue.then(async () =>
          importJsonText(context, await readFile(received.file, 'utf8')),
        );
        importQueue = imported.catch(() => undefined);
        try {
          return ok(await imported);
        } finally {
          await received.remove();
        }
      } catch (error) {
        const data = toAppError(error);
        if (data.code === 'INTERNAL') logger.error('import.upload_failed', { error });
        return fail(data);
      }
    },
    disconnectClient(clientId) {
      clients.delete(clientId);
      chat.cancelClientStreams(clientId);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(maintenanceTimer);
      stopStoreWork.abort();
      models.close();
      await chat.close();
      await local?.dispose();
      // A backup under way stops at its next step and removes its partial file.
      await storeWorkSettled();
      db.close();
    },
  };
}
