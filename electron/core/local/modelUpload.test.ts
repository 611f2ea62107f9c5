import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../../testing/fixtures/tinyGguf';
import { rejectedCoreError as refusal } from '../coreErrorTesting';
import { receiveModelUpload } from './modelUpload';

let dir: string;
let modelsDir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'causerie-upload-'));
  modelsDir = path.join(dir, 'models');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function* once(bytes: Buffer) {
  yield bytes;
}

/** Yields `chunks` chunks of `size` bytes, counting how many the reader asked for. */
function counted(first: Buffer, chunks: number, size: number) {
  const source = {
    pulled: 0,
    async *[Symbol.asyncIterator]() {
      for (let i = 0; i < chunks; i++) {
        source.pulled++;
        yield i === 0 ? first : Buffer.alloc(size, 0x41);
      }
    },
  };
  return source;
}

describe('receiveModelUpload', () => {
  it('names a valid GGUF and leaves no partial file behind', async () => {
    const tiny = path.join(dir, 'tiny.gguf');
    writeTinyGguf(tiny);
    const bytes = readFileSync(tiny);
    const name = await receiveModelUpload({
      modelsDir,
      fileName: 'mine.gguf',
      source: once(bytes),
    });
    expect(name).toBe('mine.gguf');
    expect(readdirSync(modelsDir)).toEqual(['mine.gguf']);
    // The models folder is as private as the rest of the data folder, and so is the model.
    expect(statSync(modelsDir).mode & 0o777).toBe(0o700);
    expect(statSync(path.join(modelsDir, 'mine.gguf')).mode & 0o777).toBe(0o600);
    expect(readFileSync(path.join(modelsDir, 'mine.gguf')).equals(bytes)).toBe(true);
  });

  it('refuses junk at its first bytes instead of writing it in full', async () => {
    // 300 chunks of 1 MB of text: only the first is ever read.
    const junk = counted(Buffer.from('this is not a model'), 300, 1024 * 1024);
    const error = await refusal(
      receiveModelUpload({ modelsDir, fileName: 'x.gguf', source: junk }),
    );
    expect(error.appError.code).toBe('VALIDATION');
    expect(error.message).toMatch(/not a GGUF model file/);
    expect(junk.pulled).toBe(1);
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  it('stops at the size cap while streaming', async () => {
    const big = counted(Buffer.from('GGUF'), 50, 1024);
    const error = await refusal(
      receiveModelUpload({ modelsDir, fileName: 'big.gguf', source: big, maxBytes: 10 * 1024 }),
    );
    expect(error.message).toMatch(/larger than/);
    expect(big.pulled).toBeLessThan(13);
    expect(readdirSync(modelsDir)).toEqual([]);
  });

  it('never replaces a model already in the folder (a catalogue download included)', async () => {
    const tiny = path.join(dir, 'tiny.gguf');
    writeTinyGguf(tiny);
    const catalogueName = 'Mistral-7B-Instruct-v0.3.Q4_K_M.gguf';
    mkdirSync(modelsDir);
    writeFileSync(path.join(modelsDir, catalogueName), 'the downloaded model');
    const error = await refusal(
      receiveModelUpload({ modelsDir, fileName: catalogueName, source: once(readFileSync(tiny)) }),
    );
    expect(error.message).toMatch(/already in the models folder/);
    expect(readFileSync(path.join(modelsDir, catalogueName), 'utf8')).toBe('the downloaded model');
    expect(readdirSync(modelsDir)).toEqual([catalogueName]);
  });
});
