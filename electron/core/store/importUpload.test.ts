import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { receiveImportUpload } from './importUpload';

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'causerie-import-upload-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

describe('receiveImportUpload', () => {
  it('writes the bytes to a private file in the data folder, removed on request', async () => {
    const received = await receiveImportUpload({ dataDir, source: chunks('{"a":', '1}') });
    expect(path.dirname(received.file)).toBe(dataDir);
    expect(readFileSync(received.file, 'utf8')).toBe('{"a":1}');
    await received.remove();
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('refuses a file over the cap as it passes it, and leaves nothing behind', async () => {
    let pulled = 0;
    async function* endless(): AsyncGenerator<Uint8Array> {
      for (;;) {
        pulled++;
        yield Buffer.alloc(1024, 0x20);
      }
    }
    await expect(
      receiveImportUpload({ dataDir, source: endless(), maxBytes: 10 * 1024 }),
    ).rejects.toMatchObject({ appError: { code: 'VALIDATION' } });
    expect(pulled).toBe(11);
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
