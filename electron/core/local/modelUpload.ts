import { createWriteStream } from 'node:fs';
import { link, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MAX_MODEL_UPLOAD_BYTES } from '../../../shared/hostProtocol';
import { CoreError } from '../coreError';
import { readGgufInfo } from './gguf';
import { checkModelFileName } from './modelManager';

const GGUF_MAGIC = 'GGUF';

export interface ModelUpload {
  modelsDir: string;
  fileName: string;
  source: AsyncIterable<Uint8Array>;
  /** Defaults to {@link MAX_MODEL_UPLOAD_BYTES}; tests pass a small one. */
  maxBytes?: number;
}

/**
 * Writes an uploaded GGUF beside the models as a partial file, then gives it its name. A file
 * that does not start with the GGUF magic is refused at its first bytes, and one over the size
 * cap as soon as it passes it, so junk is never written in full. A name already in the models
 * folder (a catalogue download included) is refused rather than replaced: the hard link that
 * names the file fails when the name exists, so even a race cannot overwrite a model.
 */
export async function receiveModelUpload(upload: ModelUpload): Promise<string> {
  const name = checkModelFileName(upload.fileName);
  const maxBytes = upload.maxBytes ?? MAX_MODEL_UPLOAD_BYTES;
  await mkdir(upload.modelsDir, { recursive: true, mode: 0o700 });
  const target = path.join(upload.modelsDir, name);
  const partial = `${target}.import-${process.pid}-${Date.now()}`;
  try {
    await pipeline(
      Readable.from(checkedBytes(upload.source, name, maxBytes)),
      createWriteStream(partial, { flags: 'wx', mode: 0o600 }),
    );
    await readGgufInfo(partial);
    try {
      await link(partial, target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      throw new CoreError(
        'VALIDATION',
        `A model named ${name} is already in the models folder. Delete it in Settings first, or rename your file.`,
      );
    }
  } finally {
    await rm(partial, { force: true });
  }
  return name;
}

async function* checkedBytes(
  source: AsyncIterable<Uint8Array>,
  name: string,
  maxBytes: number,
): AsyncGenerator<Uint8Array> {
  let received = 0;
  let head = Buffer.alloc(0);
  for await (const chunk of source) {
    received += chunk.byteLength;
    if (received > maxBytes) {
      throw new CoreError(
        'VALIDATION',
        `${name} is larger than ${Math.round(maxBytes / 1024 ** 3)} GB, the largest model file Causerie accepts.`,
      );
    }
    if (head.length < GGUF_MAGIC.length) {
      head = Buffer.concat([head, chunk.subarray(0, GGUF_MAGIC.length - head.length)]);
      if (head.length === GGUF_MAGIC.length && head.toString('latin1') !== GGUF_MAGIC) {
        throw new CoreError(
          'VALIDATION',
          `${name} is not a GGUF model file (it does not start with "GGUF"). Choose a .gguf file made for llama.cpp.`,
        );
      }
    }
    yield chunk;
  }
}
