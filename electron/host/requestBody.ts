import type { IncomingMessage } from 'node:http';
import { CoreError } from '../core/coreError';

/**
 * After a body is refused as too large, the rest of it is read and dropped (so the client, still
 * sending, gets to read the 413 instead of a reset connection), up to this much; past it the
 * connection is cut.
 */
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

/** True when the request declares a Content-Length over `limit`. */
export function declaresMoreThan(req: IncomingMessage, limit: number): boolean {
  const declared = Number(req.headers['content-length']);
  return Number.isFinite(declared) && declared > limit;
}

/**
 * Reads a whole body of at most `limit` bytes as text. Answers null as soon as the body passes
 * the limit, holding no more than `limit` bytes at any time: the caller can answer 413 while
 * the client is still sending.
 */
export function readLimitedText(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    if (declaresMoreThan(req, limit)) {
      discardRest(req);
      resolve(null);
      return;
    }
    const parts: Buffer[] = [];
    let size = 0;
    const onData = (part: Buffer) => {
      size += part.length;
      if (size <= limit) {
        parts.push(part);
        return;
      }
      parts.length = 0;
      req.off('data', onData);
      req.off('end', onEnd);
      discardRest(req);
      resolve(null);
    };
    const onEnd = () => resolve(Buffer.concat(parts).toString('utf8'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

/** A streamed body, refused with a VALIDATION error once it passes `limit` bytes. */
export interface CappedBody {
  bytes: AsyncIterable<Uint8Array>;
  /** True once the body passed the limit (the route then answers 413). */
  tooLarge(): boolean;
}

export function cappedBody(req: IncomingMessage, limit: number, message: string): CappedBody {
  let tooLarge = declaresMoreThan(req, limit);
  async function* bytes(): AsyncGenerator<Uint8Array> {
    let finished = false;
    try {
      if (tooLarge) throw new CoreError('VALIDATION', message);
      let received = 0;
      // Not destroyed when the reader stops early (a refused file): the 413 still has to go out.
      for await (const chunk of req.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        received += chunk.length;
        if (received > limit) {
          tooLarge = true;
          throw new CoreError('VALIDATION', message);
        }
        yield chunk;
      }
      finished = true;
    } finally {
      if (!finished) discardRest(req);
    }
  }
  return { bytes: bytes(), tooLarge: () => tooLarge };
}

/** Reads and drops what is left of a refused request's body, cutting the connection past a cap. */
export function discardRest(req: IncomingMessage): void {
  let discarded = 0;
  req.on('data', (part: Buffer) => {
    discarded += part.length;
    if (discarded > MAX_DISCARDED_BYTES) req.socket.destroy();
  });
  req.resume();
}
