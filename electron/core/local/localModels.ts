import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AnyEvent } from '../../../shared/contract';
import { CoreError } from '../coreError';
import type { Logger } from '../logger';
import type { LocalModels, ModelInfo } from '../providers/chatProvider';
import { downloadRequestFor, loadCatalogue, type CatalogueEntry } from './catalogue';
import { describeSystem, estimateModelMemory, formatBytes, DEFAULT_CONTEXT_SIZE } from './hardware';
import { createLocalRuntime, type LocalRuntimeEvent } from './localRuntime';
import { receiveModelUpload } from './modelUpload';
import { createModelManager, type DownloadHandle, type LocalModelFile } from './modelManager';
import type { SpawnWorker } from './workerProcess';

/** Where downloaded and imported models live, inside the data folder. */
export const MODELS_DIR_NAME = 'models';

export interface LocalModelsOptions {
  dataDir: string;
  spawnWorker: SpawnWorker;
  logger: Logger;
  /** Pushes download and load progress to every page. */
  broadcast: (event: AnyEvent) => void;
  /** A JSON file with more catalogue entries (`CAUSERIE_EXTRA_CATALOGUE`). */
  extraCatalogueFile?: string;
  /** 'off' keeps llama.cpp on the CPU (tests, and machines whose GPU driver misbehaves). */
  gpu?: 'auto' | 'off';
}

/**
 * The local llama.cpp models: the runtime in its child process, the files on disk, the catalogue
 * and its downloads. Implements what the model registry needs, plus the settings' controls.
 */
export function createLocalModels(options: LocalModelsOptions) {
  const { logger, broadcast } = options;
  const modelsDir = path.join(options.dataDir, MODELS_DIR_NAME);
  const manager = createModelManager({ modelsDir });
  const catalogue = loadCatalogue(
    options.extraCatalogueFile
      ? (JSON.parse(readFileSync(options.extraCatalogueFile, 'utf8')) as unknown)
      : undefined,
  );
  const downloads = new Map<string, DownloadHandle>();
  let files: LocalModelFile[] = [];

  const runtime = createLocalRuntime({
    spawnWorker: options.spawnWorker,
    resolveModelPath: (model) => manager.modelPath(model),
    gpu: options.gpu ?? 'auto',
    onEvent: (event: LocalRuntimeEvent) => {
      if (event.type === 'loading') broadcast(runtimeEvent('loading', 0));
      else if (event.type === 'loadProgress') broadcast(runtimeEvent('loading', event.progress));
      else if (event.type === 'loaded') broadcast(runtimeEvent('loaded', 1));
      else if (event.type === 'unloaded') broadcast(runtimeEvent('unloaded', 0));
      else if (event.type === 'crashed') {
        logger.warn('local.worker_crashed', { code: event.code, signal: event.signal });
        broadcast(runtimeEvent('crashed', 0));
      }
    },
  });

  async function refreshFiles(): Promise<LocalModelFile[]> {
    files = await manager.listModels();
    return files;
  }

  function entry(catalogueId: string): CatalogueEntry {
    const found = catalogue.find((candidate) => candidate.id === catalogueId);
    if (!found) throw new CoreError('NOT_FOUND', 'That model is not in the catalogue.');
    return found;
  }

  const models: LocalModels = {
    provider: runtime,
    async list(): Promise<ModelInfo[]> {
      return (await refreshFiles())
        .filter((file) => file.info !== null)
        .map((file) => ({
          provider: 'local',
          id: file.fileName,
          displayName: file.info?.name ?? file.fileName.replace(/\.gguf$/i, ''),
          contextLength: file.info?.contextLength ?? null,
          capabilities: ['chat'],
        }));
    },
    templateKind(model) {
      const template = files.find((file) => file.fileName === model)?.info?.chatTemplate ?? '';
      // Mistral 7B Instruct's [INST] template has no system role: the rule goes in the user turn.
      return /system/i.test(template) && !/\[INST\]/.test(template)
        ? 'system-role'
        : 'no-system-role';
    },
  };

  return {
    models,
    modelsDir,
    async status() {
      const [onDisk, partial] = await Promise.all([refreshFiles(), manager.listPartialDownloads()]);
      const system = describeSystem(null);
      return {
        modelsDir,
        hardware: {
          totalMemoryBytes: system.totalMemoryBytes,
          freeMemoryBytes: system.freeMemoryBytes,
          cpuCount: system.cpuCount,
        },
        catalogue: catalogue.map((item) => {
          const needs = estimateModelMemory(
            item.sizeBytes ?? item.approximateSizeBytes,
            Math.min(item.contextLength, DEFAULT_CONTEXT_SIZE),
          ).totalBytes;
          return {
            id: item.id,
            name: item.name,
            fileName: item.fileName,
            sizeBytes: item.sizeBytes ?? item.approximateSizeBytes,
            licence: item.licence,
            contextLength: item.contextLength,
            parameterCount: item.parameterCount,
            verified: item.verified,
            downloaded: onDisk.some((file) => file.fileName === item.fileName),
            downloading: downloads.has(item.id),
            partialBytes:
              partial.find((p) => p.request.fileName === item.fileName)?.receivedBytes ?? null,
            memoryNeededBytes: needs,
            fits: needs <= system.totalMemoryBytes,
            fitMessage:
              needs <= system.totalMemoryBytes
                ? null
                : `Needs about ${formatBytes(needs)} of memory; this computer has ${formatBytes(system.totalMemoryBytes)}.`,
          };
        }),
        models: onDisk.map((file) => ({
          fileName: file.fileName,
          sizeBytes: file.sizeBytes,
          architecture: file.info?.architecture ?? null,
          contextLength: file.info?.contextLength ?? null,
          parameterCount: file.info?.parameterCount ?? null,
          error: file.error,
        })),
      };
    },
    download(catalogueId: string): void {
      const item = entry(catalogueId);
      if (downloads.has(catalogueId)) return;
      const handle = manager.startDownload(downloadRequestFor(item), {
        onProgress: (progress) =>
          broadcast({
            name: 'local.download',
            payload: { catalogueId, status: 'downloading', error: null, ...progress },
          }),
      });
      downloads.set(catalogueId, handle);
      void handle.done
        .then((outcome) => {
          broadcast({
            name: 'local.download',
            payload: {
              catalogueId,
              fileName: item.fileName,
              status: outcome.status,
              receivedBytes: outcome.status === 'paused' ? outcome.receivedBytes : 0,
              totalBytes: null,
              bytesPerSecond: 0,
              etaSeconds: null,
              error: null,
            },
          });
          if (outcome.status === 'complete') broadcast({ name: 'models.changed', payload: {} });
        })
        .catch((error: unknown) => {
          logger.warn('local.download_failed', { catalogueId, error });
          broadcast({
            name: 'local.download',
            payload: {
              catalogueId,
              fileName: item.fileName,
              status: 'error',
              receivedBytes: 0,
              totalBytes: null,
              bytesPerSecond: 0,
              etaSeconds: null,
              error: error instanceof CoreError ? error.appError : null,
            },
          });
        })
        .finally(() => downloads.delete(catalogueId));
    },
    pause(catalogueId: string): void {
      downloads.get(catalogueId)?.pause();
    },
    async cancel(catalogueId: string): Promise<void> {
      const handle = downloads.get(catalogueId);
      if (handle) handle.cancel();
      else await manager.discardPartialDownload(entry(catalogueId).fileName);
    },
    async remove(fileName: string): Promise<void> {
      await runtime.unload();
      await manager.deleteModel(fileName);
      broadcast({ name: 'models.changed', payload: {} });
    },
    /**
     * Imports a GGUF from bytes the user chose (the browser host's upload): written beside the
     * models as a partial file, checked (magic, header, metadata), then renamed into place.
     */
    async importModel(fileName: string, source: AsyncIterable<Uint8Array>): Promise<string> {
      const name = await receiveModelUpload({ modelsDir, fileName, source });
      broadcast({ name: 'models.changed', payload: {} });
      return name;
    },
    async dispose(): Promise<void> {
      for (const handle of downloads.values()) handle.pause();
      await runtime.dispose();
    },
  };
}

/** The local models' shape. */
export type LocalModelsService = ReturnType<typeof createLocalModels>;

function runtimeEvent(
  state: 'loading' | 'loaded' | 'unloaded' | 'crashed',
  progress: number,
): AnyEvent {
  return { name: 'local.runtime', payload: { state, progress } };
}
