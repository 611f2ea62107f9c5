import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MISTRAL_STYLE_TEMPLATE,
  writeTinyGguf,
  type TinyGgufInfo,
  type TinyGgufOptions,
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

/** node-llama-cpp nests metadata by dotted key; flattened back, arrays stay whole. */
function flatten(value: unknown, prefix = '', into: Record<string, unknown> = {}) {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [key, inner] of Object.entries(value)) {
      flatten(inner, prefix ? `${prefix}.${key}` : key, into);
    }
  } else {
    into[prefix] = value;
  }
  return into;
}

describe('readGgufInfo agrees with node-llama-cpp', () => {
  // llama.cpp's own reader is the reference; ours is hand-written so the main process reads a
  // header without loading it. Several shapes, so a value that only looks right by chance shows.
  const shapes: [string, TinyGgufOptions][] = [
    ['the default tiny model', {}],
    ['grouped-query attention, a longer context', { contextLength: 3072, layers: 3, headsKv: 2 }],
    [
      'no chat template, a bigger vocabulary',
      { chatTemplate: null, extraVocab: 900, name: 'another', embedding: 96, heads: 6 },
    ],
  ];

  it.each(shapes)('%s', async (label, options) => {
    const file = path.join(dir, `${label.replace(/\W+/g, '-')}.gguf`);
    writeTinyGguf(file, options);
    const ours = await readGgufInfo(file);
    const theirs = await readGgufFileInfo(file, {
      sourceType: 'filesystem',
      logWarnings: false,
      spliceSplitFiles: false,
    });
    const arch = theirs.architectureMetadata;
    expect(ours.version).toBe(theirs.version);
    expect(ours.architecture).toBe(theirs.metadata.general.architecture);
    expect(ours.name).toBe(theirs.metadata.general.name ?? null);
    expect(ours.contextLength).toBe(arch.context_length);
    expect(ours.blockCount).toBe(arch.block_count);
    expect(ours.embeddingLength).toBe(arch.embedding_length);
    expect(ours.headCount).toBe(arch.attention?.head_count);
    expect(ours.headCountKv).toBe(arch.attention?.head_count_kv ?? arch.attention?.head_count);
    expect(ours.vocabSize).toBe(theirs.metadata.tokenizer?.ggml.tokens.length);
    expect(ours.chatTemplate).toBe(theirs.metadata.tokenizer?.chat_template ?? null);
    expect(ours.tensorCount).toBe(Number(theirs.tensorCount));
    const tensors = theirs.tensorInfo ?? [];
    expect(tensors).toHaveLength(ours.tensorCount);
    const parameters = tensors.reduce(
      (sum, tensor) => sum + tensor.dimensions.reduce<number>((n, d) => n * Number(d), 1),
      0,
    );
    expect(ours.parameterCount).toBe(parameters);
    expect(ours.dataOffset).toBe(theirs.infoEndOffset);

    // Every key, with its value (arrays by length).
    const reference = flatten(theirs.metadata);
    expect(Object.keys(ours.metadata).sort()).toEqual(Object.keys(reference).sort());
    for (const [key, value] of Object.entries(ours.metadata)) {
      const expected = reference[key];
      if (Array.isArray(expected)) expect(value, key).toEqual({ arrayLength: expected.length });
      else expect(value, key).toEqual(expected);
    }
  });
});
