import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_CSP, RENDERER_META_CSP } from '../../shared/contentSecurityPolicy';
import {
  CONTENT_SECURITY_POLICY,
  contentTypeFor,
  createAppProtocolHandler,
  resolveAppRequest,
} from './appProtocol';

let base: string;
let root: string;

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'causerie-protocol-'));
  root = path.join(base, 'renderer');
  mkdirSync(path.join(root, 'assets'), { recursive: true });
  writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Causerie</title>');
  writeFileSync(path.join(root, 'assets', 'index-abc.js'), 'console.log(1);');
  writeFileSync(path.join(root, 'assets', 'a b.css'), 'body{}');
  // A sibling whose name starts with the root's: a naive prefix check would let it through.
  mkdirSync(path.join(base, 'renderer-secrets'));
  writeFileSync(path.join(base, 'renderer-secrets', 'key.txt'), 'secret');
  writeFileSync(path.join(base, 'secret.txt'), 'secret');
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('resolveAppRequest', () => {
  it('maps the root and plain paths into the renderer folder', () => {
    expect(resolveAppRequest('app://causerie/', root)).toEqual({
      kind: 'file',
      filePath: path.join(root, 'index.html'),
      contentType: 'text/html; charset=utf-8',
    });
    expect(resolveAppRequest('app://causerie/assets/index-abc.js?v=1', root)).toMatchObject({
      kind: 'file',
      filePath: path.join(root, 'assets', 'index-abc.js'),
    });
    expect(resolveAppRequest('app://causerie/assets/a%20b.css', root)).toMatchObject({
      filePath: path.join(root, 'assets', 'a b.css'),
    });
  });

  it.each([
    'app://causerie/..%2Fsecret.txt',
    'app://causerie/assets/..%2F..%2Fsecret.txt',
    'app://causerie/..%2Frenderer-secrets/key.txt',
    'app://causerie/..%5Csecret.txt',
    'app://causerie//etc/passwd',
    'app://causerie/%2Fetc%2Fpasswd',
    'app://causerie/C:%5CWindows%5Cwin.ini',
  ])('refuses the traversal %s', (url) => {
    expect(resolveAppRequest(url, root)).toMatchObject({ kind: 'refused' });
  });

  it('keeps dot segments the URL parser folds inside the root', () => {
    expect(resolveAppRequest('app://causerie/%2E%2E/secret.txt', root)).toMatchObject({
      kind: 'file',
      filePath: path.join(root, 'secret.txt'),
    });
  });

  it('refuses other hosts and schemes, NUL bytes and malformed escapes', () => {
    expect(resolveAppRequest('app://evil/index.html', root)).toEqual({
      kind: 'refused',
      status: 403,
    });
    expect(resolveAppRequest('https://causerie/index.html', root)).toEqual({
      kind: 'refused',
      status: 403,
    });
    expect(resolveAppRequest('app://causerie/index.html%00.js', root)).toEqual({
      kind: 'refused',
      status: 400,
    });
    expect(resolveAppRequest('app://causerie/%E0%A4%A', root)).toEqual({
      kind: 'refused',
      status: 400,
    });
  });
});

describe('contentTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a.JS', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.woff2', 'font/woff2'],
    ['a.wasm', 'application/wasm'],
    ['a.unknown', 'application/octet-stream'],
    ['noextension', 'application/octet-stream'],
    ['a.constructor', 'application/octet-stream'],
  ])('%s is served as %s', (name, type) => {
    expect(contentTypeFor(name)).toBe(type);
  });
});

describe('createAppProtocolHandler', () => {
  const handle = (url: string, init?: RequestInit) =>
    createAppProtocolHandler(root)(new Request(url, init));

  it('serves files with their type, the CSP and nosniff', async () => {
    const response = await handle('app://causerie/index.html');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Causerie</title>');

    const script = await handle('app://causerie/assets/index-abc.js');
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
  });

  it('sends the strict policy the shell promises', () => {
    for (const directive of [
      "default-src 'self'",
      "script-src 'self'",
      "style-src 'self'",
      "style-src-attr 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'none'",
      "frame-ancestors 'none'",
      "form-action 'none'",
    ]) {
      expect(CONTENT_SECURITY_POLICY.split('; ')).toContain(directive);
    }
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
  });

  it('answers 404 for missing files and folders, 403 for traversal, 405 for writes', async () => {
    expect((await handle('app://causerie/missing.js')).status).toBe(404);
    expect((await handle('app://causerie/assets')).status).toBe(404);
    const traversal = await handle('app://causerie/..%2Fsecret.txt');
    expect(traversal.status).toBe(403);
    expect(await traversal.text()).toBe('');
    const post = await handle('app://causerie/index.html', { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('answers HEAD without a body and 500 when reading fails for another reason', async () => {
    const head = await handle('app://causerie/index.html', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');

    const failing = createAppProtocolHandler(root, () =>
      Promise.reject(Object.assign(new Error('denied'), { code: 'EACCES' })),
    );
    expect((await failing(new Request('app://causerie/index.html'))).status).toBe(500);
  });
});

describe('the policy the app scheme sends', () => {
  it('is the shared one, which the browser host sends too (e2e/csp.spec.ts checks its header)', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(RENDERER_CSP);
  });

  it('is repeated, as a meta tag may carry it, in renderer/index.html', () => {
    const html = readFileSync(
      path.join(import.meta.dirname, '..', '..', 'renderer', 'index.html'),
      'utf8',
    );
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html);
    expect(meta?.[1]).toBe(RENDERER_META_CSP);
  });
});
