/**
 * Reads what Causerie needs from a GGUF file: the header, the metadata key/values and the tensor
 * table. Only the start of the file is read, in chunks, so inspecting a 4 GB model costs a few
 * hundred kilobytes of I/O. Runs in the main process; never loads llama.cpp.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { CoreError } from '../coreError';

/** What the model list and the loader show and check. */
export interface GgufInfo {
  version: number;
  fileSizeBytes: number;
  architecture: string | null;
  name: string | null;
  /** The context length the model was trained with (`<arch>.context_length`). */
  contextLength: number | null;
  blockCount: number | null;
  embeddingLength: number | null;
  headCount: number | null;
  headCountKv: number | null;
  vocabSize: number | null;
  chatTemplate: string | null;
  /** Sum of the tensors' element counts. */
  parameterCount: number;
  tensorCount: number;
  /** Where tensor data begins; the data must end at or before the end of the file. */
  dataOffset: number;
  /** Scalar metadata (arrays are summarised by their length). */
  metadata: Record<string, GgufScalar | { arrayLength: number }>;
}

/** A scalar metadata value. */
export type GgufScalar = string | number | bigint | boolean;

const MAGIC = 0x46554747; // "GGUF" read as little-endian uint32
const CHUNK = 256 * 1024;
/** Far beyond any real model; protects against garbage lengths in a damaged file. */
const MAX_STRING_BYTES = 64 * 1024 * 1024;
const MAX_COUNT = 1e8;

/** Element block size and bytes per block for the ggml types llama.cpp writes. */
const GGML_TYPE_SIZES: Record<number, [number, number]> = {
  0: [1, 4], // F32
  1: [1, 2], // F16
  2: [32, 18], // Q4_0
  3: [32, 20], // Q4_1
  6: [32, 22], // Q5_0
  7: [32, 24], // Q5_1
  8: [32, 34], // Q8_0
  9: [32, 36], // Q8_1
  10: [256, 84], // Q2_K
  11: [256, 110], // Q3_K
  12: [256, 144], // Q4_K
  13: [256, 176], // Q5_K
  14: [256, 210], // Q6_K
  15: [256, 292], // Q8_K
  16: [256, 66], // IQ2_XXS
  17: [256, 74], // IQ2_XS
  18: [256, 98], // IQ3_XXS
  19: [256, 50], // IQ1_S
  20: [32, 18], // IQ4_NL
  21: [256, 110], // IQ3_S
  22: [256, 82], // IQ2_S
  23: [256, 136], // IQ4_XS
  24: [1, 1], // I8
  25: [1, 2], // I16
  26: [1, 4], // I32
  27: [1, 8], // I64
  28: [1, 8], // F64
  29: [256, 56], // IQ1_M
  30: [1, 2], // BF16
  34: [256, 54], // TQ1_0
  35: [256, 66], // TQ2_0
  39: [32, 17], // MXFP4
};

class Truncated extends Error {}

/** Buffered little-endian reader over a file handle that reads more only when asked. */
class ChunkedReader {
  private buffer = Buffer.alloc(0);
  private bufferStart = 0;
  position = 0;
  private readonly handle: FileHandle;
  private readonly fileSize: number;

  constructor(handle: FileHandle, fileSize: number) {
    this.handle = handle;
    this.fileSize = fileSize;
  }

  private async ensure(bytes: number): Promise<void> {
    const end = this.position + bytes;
    if (end > this.fileSize) throw new Truncated();
    if (end <= this.bufferStart + this.buffer.length && this.position >= this.bufferStart) return;
    const length = Math.min(Math.max(bytes, CHUNK), this.fileSize - this.position);
    const next = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(next, 0, length, this.position);
    if (bytesRead < bytes) throw new Truncated();
    this.buffer = next.subarray(0, bytesRead);
    this.bufferStart = this.position;
  }

  private async take(bytes: number): Promise<Buffer> {
    await this.ensure(bytes);
    const start = this.position - this.bufferStart;
    this.position += bytes;
    return this.buffer.subarray(start, start + bytes);
  }

  async u8(): Promise<number> {
    return (await this.take(1)).readUInt8(0);
  }
  async i8(): Promise<number> {
    return (await this.take(1)).readInt8(0);
  }
  async u16(): Promise<number> {
    return (await this.take(2)).readUInt16LE(0);
  }
  async i16(): Promise<number> {
    return (await this.take(2)).readInt16LE(0);
  }
  async u32(): Promise<number> {
    return (await this.take(4)).readUInt32LE(0);
  }
  async i32(): Promise<number> {
    return (await this.take(4)).readInt32LE(0);
  }
  async f32(): Promise<number> {
    return (await this.take(4)).readFloatLE(0);
  }
  async f64(): Promise<number> {
    return (await this.take(8)).readDoubleLE(0);
  }
  async u64(): Promise<bigint> {
    return (await this.take(8)).readBigUInt64LE(0);
  }
  async i64(): Promise<bigint> {
    return (await this.take(8)).readBigInt64LE(0);
  }
  /** A uint64 that must fit a JS number and stay below `max`. */
  async count(max: number, what: string): Promise<number> {
    const value = await this.u64();
    if (value > BigInt(max)) throw new Malformed(`${what} is implausibly large (${value})`);
    return Number(value);
  }
  async string(): Promise<string> {
    const length = await this.count(MAX_STRING_BYTES, 'A string length');
    return (await this.take(length)).toString('utf8');
  }
  skip(bytes: number): Promise<void> {
    if (this.position + bytes > this.fileSize) return Promise.reject(new Truncated());
    this.position += bytes;
    return Promise.resolve();
  }
}

class Malformed extends Error {}

const SCALAR_SIZES: Record<number, number> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};

async function readScalar(reader: ChunkedReader, type: number): Promise<GgufScalar> {
  switch (type) {
    case 0:
      return reader.u8();
    case 1:
      return reader.i8();
    case 2:
      return reader.u16();
    case 3:
      return reader.i16();
    case 4:
      return reader.u32();
    case 5:
      return reader.i32();
    case 6:
      return reader.f32();
    case 7:
      return (await reader.u8()) !== 0;
    case 8:
      return reader.string();
    case 10:
      return reader.u64();
    case 11:
      return reader.i64();
    case 12:
      return reader.f64();
    default:
      throw new Malformed(`unknown metadata value type ${type}`);
  }
}

function asNumber(value: unknown): number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return null;
}

/**
 * Validates that `path` is a complete GGUF file and reads its metadata. A file that is not GGUF, or
 * that ends before its header or tensor data does, is refused with `CoreError('VALIDATION')`.
 */
export async function readGgufInfo(path: string): Promise<GgufInfo> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new CoreError('NOT_FOUND', `The model file could not be opened: ${path}`, {
      cause: error,
    });
  }
  try {
    const fileSize = (await handle.stat()).size;
    const reader = new ChunkedReader(handle, fileSize);
    if (fileSize < 4 || (await reader.u32()) !== MAGIC) {
      throw new CoreError(
        'VALIDATION',
        'This file is not a GGUF model (it does not start with "GGUF"). Choose a .gguf file made for llama.cpp.',
      );
    }
    try {
      return await readAfterMagic(reader, fileSize);
    } catch (error) {
      if (error instanceof Truncated) {
        throw new CoreError(
          'VALIDATION',
          'This GGUF file is incomplete: it ends before its header does. It may still be downloading or was cut short; download it again.',
        );
      }
      if (error instanceof Malformed) {
        throw new CoreError('VALIDATION', `This GGUF file is damaged: ${error.message}.`);
      }
      throw error;
    }
  } finally {
    await handle.close();
  }
}

async function readAfterMagic(reader: ChunkedReader, fileSize: number): Promise<GgufInfo> {
  const version = await reader.u32();
  if (version < 2 || version > 3) {
    throw new CoreError(
      'VALIDATION',
      `This GGUF file uses format version ${version}; Causerie reads versions 2 and 3.`,
    );
  }
  const tensorCount = await reader.count(MAX_COUNT, 'The tensor count');
  const kvCount = await reader.count(MAX_COUNT, 'The metadata count');
  const metadata: GgufInfo['metadata'] = {};
  let vocabSize: number | null = null;
  for (let i = 0; i < kvCount; i++) {
    const key = await reader.string();
    const type = await reader.u32();
    if (type === 9) {
      const itemType = await reader.u32();
      const length = await reader.count(MAX_COUNT, `The length of ${key}`);
      if (itemType === 8) {
        for (let j = 0; j < length; j++)
          await reader.skip(await reader.count(MAX_STRING_BYTES, 'A string length'));
      } else if (SCALAR_SIZES[itemType] !== undefined) {
        await reader.skip(length * SCALAR_SIZES[itemType]);
      } else {
        throw new Malformed(`unsupported array item type ${itemType} in ${key}`);
      }
      metadata[key] = { arrayLength: length };
      if (key === 'tokenizer.ggml.tokens') vocabSize = length;
    } else {
      metadata[key] = await readScalar(reader, type);
    }
  }

  let parameterCount = 0;
  let dataEnd = 0;
  for (let i = 0; i < tensorCount; i++) {
    await reader.string();
    const dims = await reader.u32();
    if (dims > 8) throw new Malformed(`a tensor has ${dims} dimensions`);
    let elements = 1;
    for (let d = 0; d < dims; d++) elements *= Number(await reader.u64());
    const type = await reader.u32();
    const offset = Number(await reader.u64());
    parameterCount += elements;
    const size = GGML_TYPE_SIZES[type];
    if (size) dataEnd = Math.max(dataEnd, offset + Math.ceil(elements / size[0]) * size[1]);
  }
  const alignment = asNumber(metadata['general.alignment']) ?? 32;
  const dataOffset = Math.ceil(reader.position / alignment) * alignment;
  if (dataOffset + dataEnd > fileSize) {
    throw new CoreError(
      'VALIDATION',
      `This GGUF file is incomplete: it should be at least ${dataOffset + dataEnd} bytes but is ${fileSize}. Download it again.`,
    );
  }

  const architecture =
    typeof metadata['general.architecture'] === 'string' ? metadata['general.architecture'] : null;
  const archKey = (suffix: string) =>
    architecture ? asNumber(metadata[`${architecture}.${suffix}`]) : null;
  const headCount = archKey('attention.head_count');
  return {
    version,
    fileSizeBytes: fileSize,
    architecture,
    name: typeof metadata['general.name'] === 'string' ? metadata['general.name'] : null,
    contextLength: archKey('context_length'),
    blockCount: archKey('block_count'),
    embeddingLength: archKey('embedding_length'),
    headCount,
    headCountKv: archKey('attention.head_count_kv') ?? headCount,
    vocabSize,
    chatTemplate:
      typeof metadata['tokenizer.chat_template'] === 'string'
        ? metadata['tokenizer.chat_template']
        : null,
    parameterCount,
    tensorCount,
    dataOffset,
    metadata,
  };
}
