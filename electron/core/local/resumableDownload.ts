/**
 * A download that survives a pause or a restart. It writes `<name>.part` beside a
 * `<name>.part.json` sidecar that records what is being fetched, so it can carry on later with an
 * HTTP Range request. The file takes its final name only after its size, sha256 and the caller's
 * check (the GGUF header) pass.
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
import { CoreError } from '../coreError';
import { fetchWithTrustedRedirects } from './downloadRedirects';
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

/** A download that was paused or interrupted and can be resumed. */
export interface PartialDownload {
  request: DownloadRequest;
  receivedBytes: number;
}

/** The subset of fs.statfs the free-space check needs (tests inject small disks). */
export type StatFs = (dir: string) => Promise<{ bavail: number | bigint; bsize: number | bigint }>;

/** How a download ended, when it did not fail. */
export type ResumableOutcome =
  { status: 'complete' } | { status: 'paused'; receivedBytes: number } | { status: 'cancelled' };

/** A running download. */
export interface ResumableDownload {
  /** Resolves with the outcome; rejects with CoreError (NETWORK, STORAGE, VALIDATION, NOT_FOUND). */
  done: Promise<ResumableOutcome>;
  /** Stops and keeps the partial file for a later resume. */
  pause(): void;
  /** Stops and deletes the partial file. */
  cancel(): void;
}

export interface ResumableDownloadOptions {
  /** Where the file goes once it checks out; the partial file and its sidecar sit beside it. */
  finalPath: string;
  fetch?: typeof fetch;
  statfs?: StatFs;
  progressIntervalMs?: number;
  /** Space kept free on the disk beyond the download itself. */
  diskMarginBytes?: number;
  /** Checks the finished file before it takes its name; a throw deletes it and fails the download. */
  verify?: (partPath: string) => Promise<unknown>;
  onProgress?: (progress: DownloadProgress) => void;
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

async function readSidecar(finalPath: string): Promise<Sidecar | null> {
  try {
    return SidecarSchema.parse(JSON.parse(await readFile(finalPath + SIDECAR, 'utf8')));
  } catch {
    return null;
  }
}

async function partSize(finalPath: string): Promise<number> {
  try {
    return (await stat(finalPath + PART)).size;
  } catch {
    return 0;
  }
}

/** Deletes the partial file of a download to `finalPath`, and its sidecar. */
export async function removePartialDownload(finalPath: string): Promise<void> {
  await rm(finalPath + PART, { force: true });
  await rm(finalPath + SIDECAR, { force: true });
}

/**
 * The downloads into `dir` that stopped part-way and can be resumed. `finalPathOf` gives the path
 * a file name downloads to; one it refuses (by throwing) is left out.
 */
export async function listPartialDownloads(
  dir: string,
  finalPathOf: (fileName: string) => string = (fileName) => path.join(dir, fileName),
): Promise<PartialDownload[]> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const sidecars = (await readdir(dir)).filter((name) => name.endsWith(SIDECAR));
  const partials: PartialDownload[] = [];
  for (const name of sidecars) {
    let finalPath: string;
    try {
      finalPath = finalPathOf(name.slice(0, -SIDECAR.length));
    } catch {
      continue;
    }
    const sidecar = await readSidecar(finalPath).catch(() => null);
    if (!sidecar) continue;
    const { etag: _etag, ...request } = sidecar;
    // The sidecar records the size learnt from the server, which is as good as a published one.
    partials.push({ request, receivedBytes: await partSize(finalPath) });
  }
  return partials;
}

/** Starts or resumes the download of `request` to `options.finalPath`. */
export function startResumableDownload(
  request: DownloadRequest,
  options: ResumableDownloadOptions,
): ResumableDownload {
  const controller = new AbortController();
  let stopReason: 'pause' | 'cancel' | null = null;
  return {
    done: run(request, options, controller.signal, () => stopReason),
    pause() {
      stopReason ??= 'pause';
      controller.abort();
    },
    cancel() {
      stopReason = 'cancel';
      controller.abort();
    },
  };
}

async function run(
  request: DownloadRequest,
  options: ResumableDownloadOptions,
  signal: AbortSignal,
  stopReason: () => 'pause' | 'cancel' | null,
): Promise<ResumableOutcome> {
  const { finalPath, onProgress } = options;
  const dir = path.dirname(finalPath);
  const fileName = path.basename(finalPath);
  const doFetch = options.fetch ?? fetch;
  const doStatfs: StatFs = options.statfs ?? ((folder) => statfs(folder));
  const progressIntervalMs = options.progressIntervalMs ?? 250;
  const diskMarginBytes = options.diskMarginBytes ?? 256 * 1024 * 1024;
  const partPath = finalPath + PART;

  const ensureFreeSpace = async (bytesNeeded: number): Promise<void> => {
    const fsStats = await doStatfs(dir);
    const free = Number(fsStats.bavail) * Number(fsStats.bsize);
    if (free < bytesNeeded + diskMarginBytes) {
      throw new CoreError(
        'STORAGE',
        `Not enough disk space: this download needs ${formatBytes(bytesNeeded)} more (plus ${formatBytes(diskMarginBytes)} to spare), but only ${formatBytes(free)} is free in ${dir}.`,
      );
    }
  };

  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (
    await stat(finalPath).then(
      () => true,
      () => false,
    )
  ) {
    throw new CoreError('VALIDATION', `${fileName} is already in the models folder.`);
  }
  const previous = await readSidecar(finalPath);
  const sameDownload =
    previous !== null && previous.url === request.url && previous.sha256 === request.sha256;
  let offset = sameDownload ? await partSize(finalPath) : 0;
  if (!sameDownload) await removePartialDownload(finalPath);
  if (request.sizeBytes !== null) {
    if (offset > request.sizeBytes) {
      await removePartialDownload(finalPath);
      offset = 0;
    }
    await ensureFreeSpace(request.sizeBytes - offset);
  } else if (request.approximateSizeBytes) {
    await ensureFreeSpace(Math.max(0, request.approximateSizeBytes - offset));
  }

  const stopped = async (received: number): Promise<ResumableOutcome> => {
    if (stopReason() === 'cancel') {
      await removePartialDownload(finalPath);
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
      await removePartialDownload(finalPath);
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
        totalBytes !== null && bytesPerSecond > 0 ? (totalBytes - received) / bytesPerSecond : null,
    });
  };
  try {
    if (!response.body) throw new Error('The response has no body.');
    // fetch's body yields Uint8Array chunks; Node's types leave the iterator untyped.
    for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
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
    await removePartialDownload(finalPath);
    throw new CoreError(
      'VALIDATION',
      `The downloaded ${fileName} is larger than expected (${received} bytes instead of ${totalBytes}). It was deleted.`,
    );
  }
  const digest = hash.digest('hex');
  if (request.sha256 !== null && digest !== request.sha256.toLowerCase()) {
    await removePartialDownload(finalPath);
    throw new CoreError(
      'VALIDATION',
      `The downloaded ${fileName} does not match its published checksum (sha256), so it was deleted. Download it again; if this keeps happening, the source may have changed.`,
    );
  }
  try {
    await options.verify?.(partPath);
  } catch (error) {
    await removePartialDownload(finalPath);
    throw error;
  }
  await rename(partPath, finalPath);
  await rm(finalPath + SIDECAR, { force: true });
  return { status: 'complete' };
}

async function hashFile(file: string, hash: Hash): Promise<void> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
}
