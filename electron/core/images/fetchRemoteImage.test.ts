import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../coreError';
import { fetchRemoteImage } from './fetchRemoteImage';

/** The 8 bytes every PNG starts with, plus a little payload: enough to check bytes round-trip. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

let server: Server;
let base: string;
const seen: { url: string; cookie?: string; referer?: string }[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seen.push({
      url: request.url ?? '',
      cookie: request.headers.cookie,
      referer: request.headers.referer,
    });
    switch (request.url) {
      case '/cat.png':
        response.writeHead(200, { 'content-type': 'image/png', 'content-length': PNG.length });
        return response.end(PNG);
      case '/typed.png':
        response.writeHead(200, { 'content-type': 'IMAGE/PNG; charset=binary' });
        return response.end(PNG);
      case '/moved':
        response.writeHead(302, { location: '/cat.png' });
        return response.end();
      case '/to-file':
        response.writeHead(302, { location: 'file:///etc/passwd' });
        return response.end();
      case '/loop':
        response.writeHead(302, { location: '/loop' });
        return response.end();
      case '/drawing.svg':
        response.writeHead(200, { 'content-type': 'image/svg+xml' });
        return response.end(
          '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        );
      case '/page':
        response.writeHead(200, { 'content-type': 'text/html' });
        return response.end('<h1>not an image</h1>');
      case '/declared-huge.png':
        response.writeHead(200, { 'content-type': 'image/png', 'content-length': 50_000_000 });
        return response.end();
      case '/streamed-huge.png': {
        // No length declared: the limit must hold while reading.
        response.writeHead(200, { 'content-type': 'image/png' });
        const chunk = Buffer.alloc(64 * 1024, 7);
        let sent = 0;
        const pump = () => {
          while (sent < 40 && response.write(chunk)) sent++;
          if (sent >= 40) response.end();
          else response.once('drain', pump);
        };
        return pump();
      }
      case '/silent.png':
        return; // never answers
      default:
        response.writeHead(404);
        return response.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function failure(promise: Promise<unknown>): Promise<CoreError['appError']> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CoreError);
  return (error as CoreError).appError;
}

describe('fetchRemoteImage', () => {
  it('returns a raster image as a data URL, byte for byte, without cookies or referrer', async () => {
    const image = await fetchRemoteImage(`${base}/cat.png`);
    expect(image.dataUrl).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    expect(image.bytes).toBe(PNG.length);
    const request = seen.findLast((entry) => entry.url === '/cat.png');
    expect(request?.cookie).toBeUndefined();
    expect(request?.referer).toBeUndefined();
    expect((await fetchRemoteImage(`${base}/typed.png`)).dataUrl).toMatch(
      /^data:image\/png;base64,/,
    );
  });

  it('follows a few http redirects, never to another scheme', async () => {
    expect((await fetchRemoteImage(`${base}/moved`)).bytes).toBe(PNG.length);
    expect((await failure(fetchRemoteImage(`${base}/to-file`))).code).toBe('VALIDATION');
    expect((await failure(fetchRemoteImage(`${base}/loop`))).message).toMatch(/redirects/);
  });

  it('refuses SVG, pages and other non-images, saying what to do instead', async () => {
    const svg = await failure(fetchRemoteImage(`${base}/drawing.svg`));
    expect(svg.code).toBe('VALIDATION');
    expect(svg.message).toContain('image/svg+xml');
    expect((await failure(fetchRemoteImage(`${base}/page`))).message).toMatch(/browser/);
    expect((await failure(fetchRemoteImage(`${base}/missing.png`))).code).toBe('NOT_FOUND');
  });

  it('refuses images over the size limit, declared or not', async () => {
    const declared = await failure(fetchRemoteImage(`${base}/declared-huge.png`));
    expect(declared.message).toMatch(/larger than 8 MB/);
    const streamed = await failure(
      fetchRemoteImage(`${base}/streamed-huge.png`, { maxBytes: 1024 * 1024 }),
    );
    expect(streamed.message).toMatch(/larger than 1 MB/);
  });

  it('gives up on a server that does not answer', async () => {
    const error = await failure(fetchRemoteImage(`${base}/silent.png`, { timeoutMs: 300 }));
    expect(error.code).toBe('TIMEOUT');
    expect(error.retryable).toBe(true);
  });

  it('refuses addresses that are not plain http(s) links', async () => {
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:image/png;base64,AAAA',
      'not a url',
      `http://user:secret@127.0.0.1:1/x.png`,
    ]) {
      expect((await failure(fetchRemoteImage(url))).code, url).toBe('VALIDATION');
    }
  });
});
