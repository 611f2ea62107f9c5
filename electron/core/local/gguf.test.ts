import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MISTRAL_STYLE_TEMPLATE,
  writeTinyGguf,
  type TinyGgufInfo,
} from '../../../testing/fixtures/tinyGguf';
import { readGgufInfo } from './gguf';

let dir: string;
let tiny: TinyGgufInfo;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'causerie-gguf-'));
  tiny = writeTinyGguf(path.join(dir, 'tiny.gguf'), { contextLength: 3072, layers: 3, headsKv: 2 });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readGgufInfo', () => {
  it('reads architecture, context length, chat template and parameter count', async () => {
    const info = await readGgufInfo(tiny.path);
    expect(info).toMatchObject({
      version: 3,
      fileSizeBytes: tiny.sizeBytes,
      architecture: 'llama',
      name: 'tiny-test-llama',
      contextLength: 3072,
      blockCount: 3,
      embeddingLength: 64,
      headCount: 4,
      headCountKv: 2,
      vocabSize: tiny.vocabSize,
      chatTemplate: MISTRAL_STYLE_TEMPLATE,
      parameterCount: tiny.parameterCount,
    });
    expect(info.metadata['tokenizer.ggml.tokens']).toEqual({ arrayLength: tiny.vocabSize });
  });

  it('refuses a file that is not GGUF', async () => {
    const file = path.join(dir, 'photo.gguf');
    writeFileSync(file, Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46]));
    await expect(readGgufInfo(file)).rejects.toMatchObject({
      appError: { code: 'VALIDATION', message: expect.stringContaining('not a GGUF model') },
    });
    writeFileSync(file, '');
    await expect(readGgufInfo(file)).rejects.toMatchObject({ appError: { code: 'VALIDATION' } });
  });

  it('refuses a file truncated inside its header', async () => {
    const file = path.join(dir, 'cut-header.gguf');
    writeFileSync(file, readFileSync(tiny.path).subarray(0, 3000));
    await expect(readGgufInfo(file)).rejects.toMatchObject({
      appError: { code: 'VALIDATION', message: expect.stringContaining('ends before its header') },
    });
  });

  it('refuses a file truncated inside its tensor data', async () => {
    const file = path.join(dir, 'cut-data.gguf');
    writeFileSync(file, readFileSync(tiny.path).subarray(0, tiny.sizeBytes - 1000));
    await expect(readGgufInfo(file)).rejects.toMatchObject({
      appError: { code: 'VALIDATION', message: expect.stringContaining('incomplete') },
    });
  });

  it('says when the file does not exist', async () => {
    await expect(readGgufInfo(path.join(dir, 'missing.gguf'))).rejects.toMatchObject({
      appError: { code: 'NOT_FOUND' },
    });
  });
});
