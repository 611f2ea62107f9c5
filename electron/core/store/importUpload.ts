import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MAX_IMPORT_UPLOAD_BYTES } from '../../../shared/hostProtocol';
import { CoreError } from '../coreError';

export interface ImportUpload {
  dataDir: string;
  source: AsyncIterable<Uint8Array>;
  /** Defaults to {@link MAX_IMPORT_UPLOAD_BYTES}; tests pass a small one. */
  maxBytes?: number;
}

/** An upload on disk, waiting to be read. */
export interface ReceivedImport {
  file: string;
  /** Deletes the file; call it once the import is done, whatever happened. */
  remove(): Promise<void>;
}

/**
 * Streams an uploaded export into a private temporary file in the data folder. The bytes never
 * pile up in memory while they arrive, and a file over the cap is refused (and its partial file
 * removed) as soon as it passes the cap.
 */
export async function receiveImportUpload(upload: ImportUpload): Promise<ReceivedImport> {
  const maxBytes = upload.maxBytes ?? MAX_IMPORT_UPLOAD_BYTES;
  const file = path.join(upload.dataDir, `.import-${randomUUID()}.json.partial`);
  const remove = () => rm(file, { force: true });
  try {
    await pipeline(
      Readable.from(cappedBytes(upload.source, maxBytes)),
      createWriteStream(file, { flags: 'wx', mode: 0o600 }),
    );
  } catch (error) {
    await remove();
    throw error;
  }
  return { file, remove };
}

/** The cap as the message states it, in whole MB. */
function importCapText(maxBytes: number): string {
  return `${Math.round(maxBytes / 1_000_000)} MB`;
}

async function* cappedBytes(
  source: AsyncIterable<Uint8Array>,
  maxBytes: number,
): AsyncGenerator<Uint8Array> {
  let received = 0;
  for await (const chunk of source) {
    received += chunk.byteLength;
    if (received > maxBytes) {
      throw new CoreError(
        'VALIDATION',
        `This file is larger than ${importCapText(maxBytes)}, the largest export Causerie imports.`,
      );
    }
    yield chunk;
  }
}
