import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFileServer, type FakeFileServer } from '../../../testing/fixtures/fakeFileServer';
import { writeTinyGguf } from '../../../testing/fixtures/tinyGguf';
import { readGgufInfo } from './gguf';
import {
  listPartialDownloads,
  startResumableDownload,
  type DownloadProgress,
  type DownloadRequest,
  type StatFs,
} from './resumableDownload';

let workDir: string;
let modelBytes: Buffer;
let modelSha: string;
let server: FakeFileServer;
let modelsDir: string;

beforeAll(async () => {
  workDir = mkdtempSync(path.join(tmpdir(), 'causerie-models-'));
  const source = path.join(workDir, 'source.gguf');
  writeTinyGguf(source);
  modelBytes = readFileSync(source);
  modelSha = createHash('sha256').update(modelBytes).digest('hex');
  server = await startFileServer(modelBytes);
});

afterAll(async () => {
  await server.close();
  rmSync(workDir, { recursive: true, force: true });
});

beforeEach(() => {
  modelsDir = mkdtempSync(path.join(workDir, 'models-'));
  server.requests = [];
  server.throttle = null;
  server.cutAfter = null;
});

afterEach(() => {
  rmSync(modelsDir, { recursive: true, force: true });
});

const request = (overrides: Partial<DownloadRequest> = {}): DownloadRequest => ({
  url: server.url,
  fileName: 'tiny.gguf',
  sha256: modelSha,
  sizeBytes: modelBytes.length,
  ...overrides,
});

const finalPath = () => path.join(modelsDir, 'tiny.gguf');

/** Starts a download into the test's models folder, checked as the model manager checks it. */
const download = (
  req: DownloadRequest,
  extra: { statfs?: StatFs; onProgress?: (progress: DownloadProgress) => void } = {},
) =>
  startResumableDownload(req, {
    finalPath: finalPath(),
    progressIntervalMs: 0,
    diskMarginBytes: 1024,
    verify: readGgufInfo,
    ...extra,
  });

describe('resumable downloads', () => {
  it('downloads and verifies a model, reporting progress with speed and ETA', async () => {
    const progress: DownloadProgress[] = [];
    server.throttle = { chunk: 64 * 1024, delayMs: 2 };
    const handle = download(request(), { onProgress: (p) => progress.push(p) });
    const outcome = await handle.done;
    expect(outcome.status).toBe('complete');
    expect(readdirSync(modelsDir)).toEqual(['tiny.gguf']);
    expect(readFileSync(path.join(modelsDir, 'tiny.gguf')).equals(modelBytes)).toBe(true);
    expect(progress.length).toBeGreaterThan(2);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({
      receivedBytes: modelBytes.length,
      totalBytes: modelBytes.length,
      etaSeconds: 0,
    });
    expect(
      progress.some((p) => p.bytesPerSecond > 0 && p.etaSeconds !== null && p.etaSeconds > 0),
    ).toBe(true);

    expect(await readGgufInfo(finalPath())).toMatchObject({
      architecture: 'llama',
      contextLength: 2048,
    });
  });

  it('pauses, survives a restart, and resumes with a Range request for the rest only', async () => {
    server.throttle = { chunk: 32 * 1024, delayMs: 5 };
    const first = download(request(), {
      onProgress: (p) => {
        if (p.receivedBytes >= 200 * 1024) first.pause();
      },
    });
    const paused = await first.done;
    expect(paused.status).toBe('paused');
    expect(existsSync(path.join(modelsDir, 'tiny.gguf.part'))).toBe(true);
    expect(existsSync(path.join(modelsDir, 'tiny.gguf.part.json'))).toBe(true);

    // Listed from the folder, as after quitting and reopening the app.
    const partials = await listPartialDownloads(modelsDir);
    expect(partials).toEqual([{ request: request(), receivedBytes: expect.any(Number) }]);
    const already = partials[0]!.receivedBytes;
    expect(already).toBeGreaterThanOrEqual(200 * 1024);

    server.throttle = null;
    const outcome = await download(partials[0]!.request).done;
    expect(outcome.status).toBe('complete');
    expect(readFileSync(path.join(modelsDir, 'tiny.gguf')).equals(modelBytes)).toBe(true);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.range).toBe(`bytes=${already}-`);
    expect(server.requests[1]!.bytesSent).toBe(modelBytes.length - already);
    expect(server.requests[1]!.bytesSent).toBeLessThan(
      server.requests[0]!.bytesSent + server.requests[1]!.bytesSent,
    );
    expect(readdirSync(modelsDir)).toEqual(['tiny.gguf']);
  });

  it('keeps the partial file when the connection drops, with a message that says to resume', async () => {
    server.cutAfter = 100_000;
    await expect(download(request()).done).rejects.toMatchObject({
      appError: { code: 'NETWORK', retryable: true, message: expect.stringContaining('Resume it') },
    });
    expect(existsSync(path.join(modelsDir, 'tiny.gguf.part'))).toBe(true);
    const outcome = await download(request()).done;
    expect(outcome.status).toBe('complete');
    expect(server.requests[1]!.range).toBe('bytes=100000-');
  });

  it('rejects a file whose sha256 does not match and deletes it', async () => {
    const wrong = request({ sha256: '0'.repeat(64) });
    await expect(download(wrong).done).rejects.toMatchObject({
      appError: { code: 'VALIDATION', message: expect.stringContaining('checksum') },
    });
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  it('rejects a download that is shorter than announced, keeping it resumable', async () => {
    // The server sends everything it has, but the catalogue promised more.
    await expect(
      download(request({ sizeBytes: modelBytes.length + 10 })).done,
    ).rejects.toMatchObject({
      appError: { code: 'NETWORK', message: expect.stringContaining('ended early') },
    });
    expect(existsSync(path.join(modelsDir, 'tiny.gguf'))).toBe(false);
  });

  it('cancels and leaves nothing behind', async () => {
    server.throttle = { chunk: 16 * 1024, delayMs: 5 };
    const handle = download(request(), {
      onProgress: (p) => {
        if (p.receivedBytes > 50_000) handle.cancel();
      },
    });
    expect(await handle.done).toEqual({ status: 'cancelled' });
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  it('refuses up front when the disk is too small, before any request', async () => {
    const tinyDisk: StatFs = async () => ({ bavail: 10, bsize: 4096 });
    await expect(download(request(), { statfs: tinyDisk }).done).rejects.toMatchObject({
      appError: { code: 'STORAGE', message: expect.stringMatching(/Not enough disk space.*needs/) },
    });
    expect(server.requests).toHaveLength(0);
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  it('checks the disk against the server size when the size was not known', async () => {
    const tinyDisk: StatFs = async () => ({ bavail: 10, bsize: 4096 });
    await expect(
      download(request({ sizeBytes: null }), { statfs: tinyDisk }).done,
    ).rejects.toMatchObject({ appError: { code: 'STORAGE' } });
    expect(readdirSync(modelsDir)).toEqual([]);
  });
});
