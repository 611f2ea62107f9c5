/**
 * The models folder: lists GGUF files with their metadata, deletes them, and downloads new ones.
 * A download writes `<name>.part` beside a `<name>.part.json` sidecar that records what is being
 * fetched, so a pause (or quitting the app) can resume later with an HTTP Range request. The file
 * takes its final name only after its size, sha256 and GGUF header check out.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  statfs,
  writeFile,
} from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { fetchWithTrustedRedirects } from './downloadRedirects';
import { CoreError } from '../coreError';
import { readGgufInfo, type GgufInfo } from './gguf';
import { formatBytes } from './hardware';

/** What to download. Catalogue entries provide all of it; a custom URL may leave size and hash out. */
export interface DownloadRequest {
  url: string;
  fileName: string;
  /** Lower-case hex; null skips the checksum (the GGUF header is still checked). */
  sha256: string | null;
  sizeBytes: number | null;
  /** Used for the up-front disk-space check while the exact size is unknown. */
  approximateSizeBytes?: number;
}

/** Emitted while a download runs, at most every `progressIntervalMs`, and once at the end. */
export interface DownloadProgress {
  fileName: string;
  receivedBytes: number;
  totalBytes: number | null;
  bytesPerSecond: number;
  /** Seconds left at the current speed; null while unknown. */
  etaSeconds: number | null;
}

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

/** A download that was paused or interrupted and can be resumed. */
export interface PartialDownload {
  request: DownloadRequest;
  receivedBytes: number;
}

/** The subset of fs.statfs the free-space check needs (tests inject small disks). */
export type StatFs = (dir: string) => Promise<{ bavail: number | bigint; bsize: number | bigint }>;

/** Options for {@link createModelManager}. */
export interface ModelManagerOptions {
  modelsDir: string;
  fetch?: typeof fetch;
  statfs?: StatFs;
  progressIntervalMs?: number;
  /** Space kept free on the disk beyond the download itself. */
  diskMarginBytes?: number;
}

const SidecarSchema = z.object({
  url: z.string(),
  fileName: z.string(),
  sha256: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  etag: z.string().nullable(),
});
type Sidecar = z.infer<typeof SidecarSchema>;

const PART = '.part';
const SIDECAR = '.part.json';

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
  const doFetch = options.fetch ?? fetch;
  const doStatfs: StatFs = options.statfs ?? ((dir) => statfs(dir));
  const progressIntervalMs = options.progressIntervalMs ?? 250;
  const diskMarginBytes = options.diskMarginBytes ?? 256 * 1024 * 1024;
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

  async function readSidecar(fileName: string): Promise<Sidecar | null> {
    try {
      return SidecarSchema.parse(JSON.parse(await readFile(filePath(fileName) + SIDECAR, 'utf8')));
    } catch {
      return null;
    }
  }

  async function partSize(fileName: string): Promise<number> {
    try {
      return (await stat(filePath(fileName) + PART)).size;
    } catch {
      return 0;
    }
  }

  async function removePartial(fileName: string): Promise<void> {
    await rm(filePath(fileName) + PART, { force: true });
    await rm(filePath(fileName) + SIDECAR, { force: true });
  }

  async function listPartialDownloads(): Promise<PartialDownload[]> {
    await mkdir(modelsDir, { recursive: true, mode: 0o700 });
    const sidecars = (await readdir(modelsDir)).filter((name) => name.endsWith(SIDECAR));
    const partials: PartialDownload[] = [];
    for (const name of sidecars) {
      const fileName = name.slice(0, -SIDECAR.length);
      const sidecar = await readSidecar(fileName).catch(() => null);
      if (!sidecar) continue;
      const { etag: _etag, ...request } = sidecar;
      // The sidecar records the size learnt from the server, which is as good as a published one.
      partials.push({ request, receivedBytes: await partSize(fileName) });
    }
    return partials;
  }

  async function ensureFreeSpace(bytesNeeded: number): Promise<void> {
    const fsStats = await doStatfs(modelsDir);
    const free = Number(fsStats.bavail) * Number(fsStats.bsize);
    if (free < bytesNeeded + diskMarginBytes) {
      throw new CoreError(
        'STORAGE',
        `Not enough disk space: this download needs ${formatBytes(bytesNeeded)} more (plus ${formatBytes(diskMarginBytes)} to spare), but only ${formatBytes(free)} is free in ${modelsDir}.`,
      );
    }
  }

  async function hashFile(file: string, hash: Hash): Promise<void> {
    for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
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
    const controller = new AbortController();
    let stopReason: 'pause' | 'cancel' | null = null;
    const handle: DownloadHandle = {
      fileName,
      done: Promise.resolve({ status: 'cancelled' }),
      pause() {
        stopReason ??= 'pause';
        controller.abort();
      },
      cancel() {
        stopReason = 'cancel';
        controller.abort();
      },
    };
    active.set(fileName, handle);
    handle.done = run(
      request,
      fileName,
      controller.signal,
      () => stopReason,
      listeners.onProgress,
    ).finally(() => active.delete(fileName));
    return handle;
  }

  async function run(
    request: DownloadRequest,
    fileName: string,
    signal: AbortSignal,
    stopReason: () => 'pause' | 'cancel' | null,
    onProgress?: (progress: DownloadProgress) => void,
  ): Promise<DownloadOutcome> {
    await mkdir(modelsDir, { recursive: true, mode: 0o700 });
    const finalPath = filePath(fileName);
    const partPath = finalPath + PART;
    if (
      await stat(finalPath).then(
        () => true,
        () => false,
      )
    ) {
      throw new CoreError('VALIDATION', `${fileName} is already in the models folder.`);
    }
    const previous = await readSidecar(fileName);
    const sameDownload =
      previous !== null && previous.url === request.url && previous.sha256 === request.sha256;
    let offset = sameDownload ? await partSize(fileName) : 0;
    if (!sameDownload) await removePartial(fileName);
    if (request.sizeBytes !== null) {
      if (offset > request.sizeBytes) {
        await removePartial(fileName);
        offset = 0;
      }
      await ensureFreeSpace(request.sizeBytes - offset);
    } else if (request.approximateSizeBytes) {
      await ensureFreeSpace(Math.max(0, request.approximateSizeBytes - offset));
    }

    const stopped = async (received: number): Promise<DownloadOutcome> => {
      if (stopReason() === 'cancel') {
        await removePartial(fileName);
        return { status: 'cancelled' };
      }
      return { status: 'paused', receivedBytes: received };
    };
    if (signal.aborted) return stopped(offset);

    let response: Response;
    try {
      response = await fetchWithTrustedRedirects(doFetch, request.url, {
        signal,
        headers: {
          ...(offset > 0 ? { Range: `bytes=${offset}-` } : {}),
          ...(offset > 0 && previous?.etag ? { 'If-Range': previous.etag } : {}),
        },
      });
    } catch (error) {
      if (signal.aborted) return stopped(offset);
      if (error instanceof CoreError) throw error;
      throw new CoreError(
        'NETWORK',
        `Could not reach ${new URL(request.url).host} to download ${fileName}.`,
        {
          retryable: true,
          cause: error,
        },
      );
    }
    if (response.status === 200 && offset > 0) {
      offset = 0; // The server ignored the range (or the file changed): start over.
    } else if (response.status === 206) {
      const start = /^bytes (\d+)-/.exec(response.headers.get('content-range') ?? '')?.[1];
      if (Number(start) !== offset) {
        await response.body?.cancel();
        await removePartial(fileName);
        throw new CoreError(
          'NETWORK',
          'The server resumed the download at the wrong place; start it again.',
          {
            retryable: true,
          },
        );
      }
    } else if (response.status !== 200) {
      await response.body?.cancel();
      throw new CoreError(
        response.status === 404 ? 'NOT_FOUND' : 'NETWORK',
        `The download server answered HTTP ${response.status} for ${fileName}.`,
        { retryable: response.status >= 500 || response.status === 429 },
      );
    }
    const length = Number(response.headers.get('content-length'));
    const totalBytes =
      request.sizeBytes ?? (Number.isFinite(length) && length > 0 ? offset + length : null);
    if (request.sizeBytes === null && totalBytes !== null) {
      try {
        await ensureFreeSpace(totalBytes - offset);
      } catch (error) {
        await response.body?.cancel();
        throw error;
      }
    }
    await writeFile(
      finalPath + SIDECAR,
      JSON.stringify({
        url: request.url,
        fileName,
        sha256: request.sha256,
        sizeBytes: totalBytes,
        etag: response.headers.get('etag'),
      } satisfies Sidecar),
    );

    const hash = createHash('sha256');
    if (offset > 0) await hashFile(partPath, hash);
    const file = await open(partPath, offset > 0 ? 'a' : 'w');
    let received = offset;
    const sessionStart = performance.now();
    let lastReport = 0;
    const report = (force: boolean) => {
      const now = performance.now();
      if (!onProgress || (!force && now - lastReport < progressIntervalMs)) return;
      lastReport = now;
      const seconds = (now - sessionStart) / 1000;
      const bytesPerSecond = seconds > 0 ? (received - offset) / seconds : 0;
      onProgress({
        fileName,
        receivedBytes: received,
        totalBytes,
        bytesPerSecond,
        etaSeconds:
          totalBytes !== null && bytesPerSecond > 0
            ? (totalBytes - received) / bytesPerSecond
            : null,
      });
    };
    try {
      if (!response.body) throw new Error('The response has no body.');
      for await (const chunk of response.body) {
        await file.write(chunk);
        hash.update(chunk);
        received += chunk.length;
        report(false);
      }
    } catch (error) {
      await file.close();
      if (signal.aborted) return stopped(received);
      throw new CoreError(
        'NETWORK',
        `The download of ${fileName} was interrupted at ${formatBytes(received)}${totalBytes ? ` of ${formatBytes(totalBytes)}` : ''}. Resume it to continue from there.`,
        { retryable: true, cause: error },
      );
    }
    await file.close();
    report(true);
    if (totalBytes !== null && received < totalBytes) {
      throw new CoreError(
        'NETWORK',
        `The download of ${fileName} ended early at ${formatBytes(received)} of ${formatBytes(totalBytes)}. Resume it to continue from there.`,
        { retryable: true },
      );
    }
    if (totalBytes !== null && received > totalBytes) {
      await removePartial(fileName);
      throw new CoreError(
        'VALIDATION',
        `The downloaded ${fileName} is larger than expected (${received} bytes instead of ${totalBytes}). It was deleted.`,
      );
    }
    const digest = hash.digest('hex');
    if (request.sha256 !== null && digest !== request.sha256.toLowerCase()) {
      await removePartial(fileName);
      throw new CoreError(
        'VALIDATION',
        `The downloaded ${fileName} does not match its published checksum (sha256), so it was deleted. Download it again; if this keeps happening, the source may have changed.`,
      );
    }
    try {
      await readGgufInfo(partPath);
    } catch (error) {
      await removePartial(fileName);
      throw error;
    }
    await rename(partPath, finalPath);
    await rm(finalPath + SIDECAR, { force: true });
    return { status: 'complete', model: await describe(fileName) };
  }

  return {
    modelsDir,
    listModels,
    listPartialDownloads,
    startDownload,
    /** Deletes a partial download that is not running (e.g. one paused before a restart). */
    async discardPartialDownload(fileName: string): Promise<void> {
      if (active.has(fileName))
        throw new CoreError('VALIDATION', `${fileName} is downloading; cancel it instead.`);
      await removePartial(fileName);
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
