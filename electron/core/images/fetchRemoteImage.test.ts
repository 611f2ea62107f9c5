import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreError } from '../coreError';
import { fetchRemoteImage, IMAGE_UNAVAILABLE, type FetchImageOptions } from './fetchRemoteImage';
import { isPublicAddress, testHostsFrom, type ResolveHost } from './imageAddresses';

/** The 8 bytes every PNG starts with, plus a little payload: enough to check bytes round-trip. */
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

let server: Server;
let base: string;
let port: number;
const nameResolved: string[] = [];
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
      case '/to-loopback':
        response.writeHead(302, { location: `http://127.0.0.1:${port}/cat.png` });
        return response.end();
      case '/to-host-rpc':
        response.writeHead(307, { location: `http://[::ffff:127.0.0.1]:${port}/rpc/trash.empty` });
        return response.end();
      case '/to-internal-name':
        response.writeHead(302, { location: 'http://intranet.example/cat.png' });
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
  port = (server.address() as AddressInfo).port;
  // The test's image server is on loopback: only a `.test` name the test maps may reach it.
  base = `http://img.test:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A resolver the test controls: names it knows, and a record of what was asked. */
const resolver: ResolveHost = async (hostname) => {
  nameResolved.push(hostname);
  const table: Record<string, string[]> = {
    'intranet.example': ['192.168.1.20'],
    'rebind.example': ['127.0.0.1'],
    'mixed.example': ['93.184.216.34', '10.0.0.7'],
    'metadata.example': ['169.254.169.254'],
  };
  const addresses = table[hostname];
  if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
};
const allowed: FetchImageOptions = {
  resolve: resolver,
  testHosts: testHostsFrom('img.test=127.0.0.1'),
};
const load = (url: string, extra: FetchImageOptions = {}) =>
  fetchRemoteImage(url, { ...allowed, ...extra });

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
    const image = await load(`${base}/cat.png`);
    expect(image.dataUrl).toBe(`data:image/png;base64,${PNG.toString('base64')}`);
    expect(image.bytes).toBe(PNG.length);
    const request = seen.findLast((entry) => entry.url === '/cat.png');
    expect(request?.cookie).toBeUndefined();
    expect(request?.referer).toBeUndefined();
    expect((await load(`${base}/typed.png`)).dataUrl).toMatch(/^data:image\/png;base64,/);
  });

  it('follows a few http redirects, never to another scheme', async () => {
    expect((await load(`${base}/moved`)).bytes).toBe(PNG.length);
    expect((await failure(load(`${base}/to-file`))).message).toBe(IMAGE_UNAVAILABLE);
    expect((await failure(load(`${base}/loop`))).message).toBe(IMAGE_UNAVAILABLE);
  });

  it('refuses SVG, pages, missing files and oversized images with the one message', async () => {
    for (const path of ['/drawing.svg', '/page', '/missing.png', '/declared-huge.png']) {
      expect((await failure(load(`${base}${path}`))).message, path).toBe(IMAGE_UNAVAILABLE);
    }
    const streamed = await failure(load(`${base}/streamed-huge.png`, { maxBytes: 1024 * 1024 }));
    expect(streamed.message).toBe(IMAGE_UNAVAILABLE);
  });

  it('gives up on a server that does not answer', async () => {
    const error = await failure(load(`${base}/silent.png`, { timeoutMs: 300 }));
    expect(error.message).toBe(IMAGE_UNAVAILABLE);
  });

  it('refuses addresses that are not plain http(s) links', async () => {
    for (const url of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:image/png;base64,AAAA',
      'not a url',
      `http://user:secret@img.test:${port}/x.png`,
    ]) {
      expect((await failure(load(url))).code, url).toBe('VALIDATION');
    }
  });

  it('never fetches loopback, private or link-local addresses, literal or by name', async () => {
    const before = seen.length;
    for (const url of [
      `http://127.0.0.1:${port}/cat.png`,
      `http://2130706433:${port}/cat.png`,
      `http://0x7f.1:${port}/cat.png`,
      `http://[::1]:${port}/cat.png`,
      `http://[::ffff:127.0.0.1]:${port}/cat.png`,
      `http://localhost:${port}/cat.png`,
      'http://rebind.example/cat.png',
      'http://intranet.example/cat.png',
      'http://mixed.example/cat.png',
      'http://metadata.example/latest/meta-data',
      'http://10.1.2.3/cat.png',
      'http://100.64.0.1/cat.png',
      'http://[fd00::1]/cat.png',
      'http://[fe80::1]/cat.png',
      'http://224.0.0.1/cat.png',
      'http://0.0.0.0/cat.png',
    ]) {
      const resolveLocalhost: ResolveHost = async (name) =>
        name === 'localhost' ? [{ address: '127.0.0.1', family: 4 }] : resolver(name);
      expect((await failure(load(url, { resolve: resolveLocalhost }))).message, url).toBe(
        IMAGE_UNAVAILABLE,
      );
    }
    expect(seen.length).toBe(before);
  });

  it('checks every redirect the same way: to loopback, to the host itself, to the intranet', async () => {
    for (const path of ['/to-loopback', '/to-host-rpc', '/to-internal-name']) {
      const before = seen.length;
      expect((await failure(load(`${base}${path}`))).message, path).toBe(IMAGE_UNAVAILABLE);
      // Only the first hop reached the test server; the redirect target was never requested.
      expect(seen.slice(before).map((entry) => entry.url)).toEqual([path]);
    }
    expect(nameResolved).toContain('intranet.example');
  });

  it('answers an open port and a closed one alike (no port-scan oracle)', async () => {
    const closed = await failure(load('http://img.test:9/cat.png'));
    const open404 = await failure(load(`${base}/missing.png`));
    expect(closed).toEqual(open404);
  });
});

describe('isPublicAddress', () => {
  it.each([
    ['93.184.216.34', true],
    ['2606:2800:220:1:248:1893:25c8:1946', true],
    ['127.0.0.1', false],
    ['127.8.9.10', false],
    ['10.0.0.1', false],
    ['172.16.5.4', false],
    ['192.168.0.1', false],
    ['169.254.169.254', false],
    ['100.64.0.1', false],
    ['224.0.0.251', false],
    ['255.255.255.255', false],
    ['0.0.0.0', false],
    ['::', false],
    ['::1', false],
    ['fc00::1', false],
    ['fe80::1', false],
    ['ff02::1', false],
    ['::ffff:127.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['::ffff:93.184.216.34', true],
    ['not an address', false],
  ])('%s → %s', (address, expected) => {
    expect(isPublicAddress(address)).toBe(expected);
  });

  it('takes test names only under .test', () => {
    expect([...testHostsFrom('img.test=127.0.0.1, evil.com=127.0.0.1,x.test=nope')]).toEqual([
      ['img.test', '127.0.0.1'],
    ]);
  });
});
