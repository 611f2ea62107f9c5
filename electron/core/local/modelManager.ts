/**
 * The models folder: lists GGUF files with their metadata, deletes them, and downloads new ones
 * (resumably, through resumableDownload.ts; only one download per file at a time).
 */
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { CoreError } from '../coreError';
import { readGgufInfo, type GgufInfo } from './gguf';
import {
  listPartialDownloads,
  removePartialDownload,
  startResumableDownload,
  type DownloadProgress,
  type DownloadRequest,
  type PartialDownload,
  type StatFs,
} from './resumableDownload';

export type {
  DownloadProgress,
  DownloadRequest,
  PartialDownload,
  StatFs,
} from './resumableDownload';

/** How a download ended, when it did not fail. */
export type DownloadOutcome =
  | { status: 'complete'; model: LocalModelFile }
  | { status: 'paused'; receivedBytes: number }
  | { status: 'cancelled' };

/** A running download. */
export interface DownloadHandle {
  fileName: string;
  /** Resolves with the outcome; rejects with CoreError (NETWORK, STORAGE, VALIDATION). */
  done: Promise<DownloadOutcome>;
  /** Stops and keeps the partial file for a later resume. */
  pause(): void;
  /** Stops and deletes the partial file. */
  cancel(): void;
}

/** A model file in the models folder. */
export interface LocalModelFile {
  fileName: string;
  path: string;
  sizeBytes: number;
  modifiedAt: number;
  /** Null when the file could not be read as GGUF; `error` says why. */
  info: GgufInfo | null;
  error: string | null;
}

/** Options for {@link createModelManager}. */
export interface ModelManagerOptions {
  modelsDir: string;
  fetch?: typeof fetch;
  statfs?: StatFs;
  progressIntervalMs?: number;
  /** Space kept free on the disk beyond the download itself. */
  diskMarginBytes?: number;
}

/** Refuses names that could escape the models folder or are not GGUF files. */
export function checkModelFileName(fileName: string): string {
  if (
    fileName !== path.basename(fileName) ||
    fileName.startsWith('.') ||
    !fileName.toLowerCase().endsWith('.gguf') ||
    fileName.length > 200
  ) {
    throw new CoreError(
      'VALIDATION',
      `"${fileName}" is not a valid model file name (it must end in .gguf).`,
    );
  }
  return fileName;
}

/** Creates the manager for one models folder. */
export function createModelManager(options: ModelManagerOptions) {
  const { modelsDir } = options;
  const active = new Map<string, DownloadHandle>();

  const filePath = (fileName: string) => path.join(modelsDir, checkModelFileName(fileName));

  async function describe(fileName: string): Promise<LocalModelFile> {
    const full = filePath(fileName);
    const stats = await stat(full);
    let info: GgufInfo | null = null;
    let error: string | null = null;
    try {
      info = await readGgufInfo(full);
    } catch (caught) {
      error = caught instanceof Error ? caught.message : String(caught);
    }
    return { fileName, path: full, sizeBytes: stats.size, modifiedAt: stats.mtimeMs, info, error };
  }

  async function listModels(): Promise<LocalModelFile[]> {
    await mkdir(modelsDir, { recursive: true, mode: 0o700 });
    const names = (await readdir(modelsDir)).filter((name) => name.toLowerCase().endsWith('.gguf'));
    const models = await Promise.all(names.map((name) => describe(name).catch(() => null)));
    return models.filter((model): model is LocalModelFile => model !== null);
  }

  /** Starts or resumes a download. Only one download per file name runs at a time. */
  function startDownload(
    request: DownloadRequest,
    listeners: { onProgress?: (progress: DownloadProgress) => void } = {},
  ): DownloadHandle {
    const fileName = checkModelFileName(request.fileName);
    if (active.has(fileName)) {
      throw new CoreError('VALIDATION', `${fileName} is already downloading.`);
    }
    const download = startResumableDownload(request, {
      finalPath: filePath(fileName),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.statfs ? { statfs: options.statfs } : {}),
      ...(options.progressIntervalMs !== undefined
        ? { progressIntervalMs: options.progressIntervalMs }
        : {}),
      ...(options.diskMarginBytes !== undefined
        ? { diskMarginBytes: options.diskMarginBytes }
        : {}),
      // A file that is not a GGUF model never takes its name in the folder.
      verify: readGgufInfo,
      ...(listeners.onProgress ? { onProgress: listeners.onProgress } : {}),
    });
    const handle: DownloadHandle = {
      fileName,
      done: download.done
        .then(async (outcome): Promise<DownloadOutcome> =>
          outcome.status === 'complete'
            ? { status: 'complete', model: await describe(fileName) }
            : outcome,
        )
        .finally(() => active.delete(fileName)),
      pause: () => download.pause(),
      cancel: () => download.cancel(),
    };
    active.set(fileName, handle);
    return handle;
  }

  return {
    modelsDir,
    listModels,
    listPartialDownloads: (): Promise<PartialDownload[]> =>
      listPartialDownloads(modelsDir, filePath),
    startDownload,
    /** Deletes a partial download that is not running (e.g. one paused before a restart). */
    async discardPartialDownload(fileName: string): Promise<void> {
      if (active.has(fileName))
        throw new CoreError('VALIDATION', `${fileName} is downloading; cancel it instead.`);
      await removePartialDownload(filePath(fileName));
    },
    async deleteModel(fileName: string): Promise<void> {
      try {
        await rm(filePath(fileName));
      } catch (error) {
        throw new CoreError('NOT_FOUND', `${fileName} is not in the models folder.`, {
          cause: error,
        });
      }
    },
    /** The full path of a model file in the folder, for the runtime. */
    modelPath: filePath,
  };
}

/** The model manager's public shape. */
export type ModelManager = ReturnType<typeof createModelManager>;
