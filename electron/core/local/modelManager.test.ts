import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../../testing/fixtures/tinyGguf';
import { CATALOGUE, downloadRequestFor } from './catalogue';
import {
  createModelManager,
  type DownloadProgress,
  type DownloadRequest,
  type StatFs,
} from './modelManager';

/** Serves one file with Range support, like a CDN; records what each request got. */
interface FakeFileServer {
  url: string;
  requests: { range: string | null; bytesSent: number }[];
  /** Bytes per write and pause between writes, so a test can pause mid-download. */
  throttle: { chunk: number; delayMs: number } | null;
  /** Destroys the connection after this many body bytes of the next response. */
  cutAfter: number | null;
  close(): Promise<void>;
}

async function startFileServer(body: Buffer): Promise<FakeFileServer> {
  const state: Omit<FakeFileServer, 'url' | 'close'> = {
    requests: [],
    throttle: null,
    cutAfter: null,
  };
  const server: Server = createServer((req, res) => {
    const range = req.headers.range ?? null;
    const record = { range, bytesSent: 0 };
    state.requests.push(record);
    let start = 0;
    const match = range ? /^bytes=(\d+)-$/.exec(range) : null;
    if (match) {
      start = Number(match[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` }).end();
        return;
      }
      res.writeHead(206, {
        'Content-Length': body.length - start,
        'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`,
        'Accept-Ranges': 'bytes',
        ETag: '"tiny-1"',
      });
    } else {
      res.writeHead(200, {
        'Content-Length': body.length,
        'Accept-Ranges': 'bytes',
        ETag: '"tiny-1"',
      });
    }
    const cutAfter = state.cutAfter;
    state.cutAfter = null;
    const throttle = state.throttle;
    let position = start;
    const step = () => {
      if (res.destroyed) return;
      if (position >= body.length) {
        res.end();
        return;
      }
      let size = throttle ? throttle.chunk : body.length - position;
      if (cutAfter !== null) size = Math.min(size, start + cutAfter - position);
      if (size <= 0) {
        // Let the bytes already written reach the client before the connection drops.
        setTimeout(() => res.destroy(), 50);
        return;
      }
      const slice = body.subarray(position, position + size);
      position += slice.length;
      record.bytesSent += slice.length;
      res.write(slice);
      setTimeout(step, throttle?.delayMs ?? 0);
    };
    step();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}/models/tiny.gguf`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

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

const manager = (statfs?: StatFs) =>
  createModelManager({
    modelsDir,
    progressIntervalMs: 0,
    diskMarginBytes: 1024,
    ...(statfs ? { statfs } : {}),
  });

describe('model downloads', () => {
  it('downloads, verifies and lists a model, reporting progress with speed and ETA', async () => {
    const progress: DownloadProgress[] = [];
    server.throttle = { chunk: 64 * 1024, delayMs: 2 };
    const handle = manager().startDownload(request(), { onProgress: (p) => progress.push(p) });
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

    const models = await manager().listModels();
    expect(models).toHaveLength(1);
    expect(models[0]).toMatchObject({
      fileName: 'tiny.gguf',
      sizeBytes: modelBytes.length,
      error: null,
      info: { architecture: 'llama', contextLength: 2048 },
    });
  });

  it('pauses, survives a restart, and resumes with a Range request for the rest only', async () => {
    server.throttle = { chunk: 32 * 1024, delayMs: 5 };
    const first = manager().startDownload(request(), {
      onProgress: (p) => {
        if (p.receivedBytes >= 200 * 1024) first.pause();
      },
    });
    const paused = await first.done;
    expect(paused.status).toBe('paused');
    expect(existsSync(path.join(modelsDir, 'tiny.gguf.part'))).toBe(true);
    expect(existsSync(path.join(modelsDir, 'tiny.gguf.part.json'))).toBe(true);

    // A new manager, as after quitting and reopening the app, finds the partial download.
    const restarted = manager();
    const partials = await restarted.listPartialDownloads();
    expect(partials).toEqual([{ request: request(), receivedBytes: expect.any(Number) }]);
    const already = partials[0]!.receivedBytes;
    expect(already).toBeGreaterThanOrEqual(200 * 1024);

    server.throttle = null;
    const outcome = await restarted.startDownload(partials[0]!.request).done;
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
    await expect(manager().startDownload(request()).done).rejects.toMatchObject({
      appError: { code: 'NETWORK', retryable: true, message: expect.stringContaining('Resume it') },
    });
    expect(existsSync(path.join(modelsDir, 'tiny.gguf.part'))).toBe(true);
    const outcome = await manager().startDownload(request()).done;
    expect(outcome.status).toBe('complete');
    expect(server.requests[1]!.range).toBe('bytes=100000-');
  });

  it('rejects a file whose sha256 does not match and deletes it', async () => {
    const wrong = request({ sha256: '0'.repeat(64) });
    await expect(manager().startDownload(wrong).done).rejects.toMatchObject({
      appError: { code: 'VALIDATION', message: expect.stringContaining('checksum') },
    });
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  it('rejects a download that is shorter than announced, keeping it resumable', async () => {
    // The server sends everything it has, but the catalogue promised more.
    await expect(
      manager().startDownload(request({ sizeBytes: modelBytes.length + 10 })).done,
    ).rejects.toMatchObject({
      appError: { code: 'NETWORK', message: expect.stringContaining('ended early') },
    });
    expect(existsSync(path.join(modelsDir, 'tiny.gguf'))).toBe(false);
  });

  it('cancels and leaves nothing behind', async () => {
    server.throttle = { chunk: 16 * 1024, delayMs: 5 };
    const handle = manager().startDownload(request(), {
      onProgress: (p) => {
        if (p.receivedBytes > 50_000) handle.cancel();
      },
    });
    expect(await handle.done).toEqual({ status: 'cancelled' });
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  it('refuses up front when the disk is too small, before any request', async () => {
    const tinyDisk: StatFs = async () => ({ bavail: 10, bsize: 4096 });
    await expect(manager(tinyDisk).startDownload(request()).done).rejects.toMatchObject({
      appError: { code: 'STORAGE', message: expect.stringMatching(/Not enough disk space.*needs/) },
    });
    expect(server.requests).toHaveLength(0);
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  it('checks the disk against the server size when the size was not known', async () => {
    const tinyDisk: StatFs = async () => ({ bavail: 10, bsize: 4096 });
    await expect(
      manager(tinyDisk).startDownload(request({ sizeBytes: null })).done,
    ).rejects.toMatchObject({ appError: { code: 'STORAGE' } });
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  it('refuses names that would leave the models folder', () => {
    expect(() => manager().startDownload(request({ fileName: '../evil.gguf' }))).toThrow(
      /not a valid model file name/,
    );
  });
});

describe('models folder', () => {
  it('lists files with their metadata, marks broken ones, and deletes', async () => {
    writeTinyGguf(path.join(modelsDir, 'a.gguf'));
    writeFileSync(path.join(modelsDir, 'broken.gguf'), 'not a model');
    writeFileSync(path.join(modelsDir, 'readme.txt'), 'ignored');
    const models = await manager().listModels();
    expect(models.map((m) => m.fileName).sort()).toEqual(['a.gguf', 'broken.gguf']);
    expect(models.find((m) => m.fileName === 'broken.gguf')?.error).toMatch(/not a GGUF model/);
    await manager().deleteModel('a.gguf');
    expect(existsSync(path.join(modelsDir, 'a.gguf'))).toBe(false);
    await expect(manager().deleteModel('a.gguf')).rejects.toMatchObject({
      appError: { code: 'NOT_FOUND' },
    });
  });
});

describe('catalogue', () => {
  it('offers Mistral 7B Instruct v0.2 and v0.3 with licence, context and size', () => {
    expect(CATALOGUE.map((entry) => entry.id)).toEqual([
      'mistral-7b-instruct-v0.2-q4_k_m',
      'mistral-7b-instruct-v0.3-q4_k_m',
    ]);
    for (const entry of CATALOGUE) {
      expect(entry.licence).toBe('Apache-2.0');
      expect(downloadRequestFor(entry).fileName).toBe(entry.fileName);
      // Verified means a published checksum, and only that.
      expect(entry.verified).toBe(entry.sha256 !== null);
    }
    const v03 = CATALOGUE.find((entry) => entry.id === 'mistral-7b-instruct-v0.3-q4_k_m');
    expect(v03?.sha256).toBe('14850c84ff9f06e9b51d505d64815d5cc0cea0257380353ac0b3d21b21f6e024');
    expect(v03?.url).toMatch(
      /MaziyarPanahi\/Mistral-7B-Instruct-v0\.3-GGUF\/.*\/Mistral-7B-Instruct-v0\.3\.Q4_K_M\.gguf$/,
    );
  });
});
