import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFileServer, type FakeFileServer } from '../../../testing/fixtures/fakeFileServer';
import { writeTinyGguf } from '../../../testing/fixtures/tinyGguf';
import { CATALOGUE, downloadRequestFor } from './catalogue';
import { createModelManager, type DownloadRequest, type StatFs } from './modelManager';

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
  it('lists a finished download with its metadata, and runs one download per file at a time', async () => {
    server.throttle = { chunk: 64 * 1024, delayMs: 2 };
    const models = manager();
    const handle = models.startDownload(request());
    expect(() => models.startDownload(request())).toThrow(/already downloading/);
    const outcome = await handle.done;
    expect(outcome).toMatchObject({
      status: 'complete',
      model: { fileName: 'tiny.gguf', info: { architecture: 'llama', contextLength: 2048 } },
    });
    expect(readdirSync(modelsDir)).toEqual(['tiny.gguf']);
    const listed = await manager().listModels();
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({
      fileName: 'tiny.gguf',
      sizeBytes: modelBytes.length,
      error: null,
      info: { architecture: 'llama', contextLength: 2048 },
    });
  });

  it('finds a paused download again after a restart, and discards it on request', async () => {
    server.throttle = { chunk: 32 * 1024, delayMs: 5 };
    const first = manager().startDownload(request(), {
      onProgress: (p) => {
        if (p.receivedBytes >= 100 * 1024) first.pause();
      },
    });
    expect((await first.done).status).toBe('paused');
    const restarted = manager();
    expect(await restarted.listPartialDownloads()).toEqual([
      { request: request(), receivedBytes: expect.any(Number) },
    ]);
    await restarted.discardPartialDownload('tiny.gguf');
    expect(readdirSync(modelsDir)).toEqual([]);
    expect(existsSync(path.join(modelsDir, 'tiny.gguf.part'))).toBe(false);
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
