import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createCore, type Core } from '../core/createCore';
import { createMemoryLogger } from '../core/logger';
import { isLoopbackHost, startHostServer, type HostServer } from './hostServer';

let dir: string;
let core: Core;
let host: HostServer;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'causerie-host-'));
  const rendererDir = path.join(dir, 'renderer');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Causerie</title>');
  writeFileSync(path.join(dir, 'secret.txt'), 'outside the renderer');
  core = createCore({
    dataDir: path.join(dir, 'data'),
    keyVault: { get: () => null, set: () => undefined },
    logger: createMemoryLogger(),
    mistralBaseUrl: 'http://127.0.0.1:9',
    defaultModel: { provider: 'mistral', model: 'mistral-small-latest' },
  });
  host = await startHostServer({
    core,
    rendererDir,
    host: '127.0.0.1',
    port: 0,
    logger: createMemoryLogger(),
  });
  base = `http://127.0.0.1:${host.port}`;
});

afterAll(async () => {
  await host.close();
  await core.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A raw HTTP request, so Host and Cookie headers are exactly what the test says. */
function get(
  pathAndQuery: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${pathAndQuery}`, { headers }, (res) => {
      let body = '';
      res.on('data', (part: Buffer) => (body += part.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(url: string, origin?: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, origin ? { origin } : {});
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextFrame(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) =>
    ws.once('message', (data) => resolve(JSON.parse(data.toString()))),
  );
}

describe('browser host', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('answers 401 without the token, or with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/index.html', { cookie: 'causerie_token=nope' })).status).toBe(401);
  });

  it('serves the page with the token, sets a strict cookie and a CSP', async () => {
    const res = await get(`/?token=${host.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toContain('<title>Causerie</title>');
    expect(String(res.headers['set-cookie'])).toMatch(/HttpOnly; SameSite=Strict/);
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('unsafe-eval');
    const withCookie = await get('/index.html', { cookie: `causerie_token=${host.token}` });
    expect(withCookie.status).toBe(200);
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const res = await get(`/?token=${host.token}`, { host: `evil.example:${host.port}` });
    expect(res.status).toBe(421);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const res = await get(`${attempt}?token=${host.token}`);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('outside the renderer');
    }
  });

  it('refuses WebSocket upgrades without the token or from a foreign Origin', async () => {
    const wsBase = `ws://127.0.0.1:${host.port}/ws`;
    await expect(openSocket(wsBase, base)).rejects.toThrow('HTTP 401');
    await expect(
      openSocket(`${wsBase}?token=${host.token}`, 'http://evil.example'),
    ).rejects.toThrow('HTTP 403');
    await expect(openSocket(`${wsBase}?token=${host.token}`)).rejects.toThrow('HTTP 403');
  });

  it('carries the contract over the WebSocket, malformed frames included', async () => {
    const ws = await openSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, base);
    ws.send(JSON.stringify({ id: 1, method: 'settings.get', input: {} }));
    expect(await nextFrame(ws)).toMatchObject({
      type: 'result',
      id: 1,
      result: { ok: true, value: { mistral: { keyConfigured: false, keyLast4: null } } },
    });
    ws.send('{not json');
    expect(await nextFrame(ws)).toMatchObject({
      type: 'result',
      id: null,
      result: { ok: false, error: { code: 'VALIDATION' } },
    });
    ws.send(JSON.stringify({ id: 2, method: 'fs.read', input: { path: '/etc/passwd' } }));
    expect(await nextFrame(ws)).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'VALIDATION' } },
    });
    ws.close();
  });

  it('answers POST /rpc/<method> with a Result', async () => {
    const call = (method: string, body: string, type = 'application/json') =>
      fetch(`${base}/rpc/${method}?token=${host.token}`, {
        method: 'POST',
        headers: { 'content-type': type },
        body,
      });
    const created = await call('conversations.create', '{}');
    expect(await created.json()).toMatchObject({ ok: true, value: { title: '' } });
    const bad = await call('conversations.open', '{"conversationId": 5}');
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((await call('conversations.list', '{}', 'text/plain')).status).toBe(415);
  });
});

describe('isLoopbackHost', () => {
  it('knows loopback from the rest', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]']) {
      expect(isLoopbackHost(host)).toBe(true);
    }
    for (const host of ['0.0.0.0', '192.168.1.2', '10.0.0.1', 'example.com', '::']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });
});
