import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_TOKEN_HEADER } from '../../shared/hostProtocol';
import { nextFrame, startTestHost, type TestHost } from '../../testing/hostServer';
import { isLoopbackHost } from './hostServer';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(() => t.close());

describe('browser host: the token', () => {
  it('prints a loopback URL with a long random token', () => {
    expect(t.host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{32}$/);
  });

  it('serves the static page without any token and sets no cookie (it holds no data)', async () => {
    for (const target of [`/?token=${t.host.token}`, '/', '/index.html', '/?token=wrong']) {
      const res = await t.send(target);
      expect(res.status, target).toBe(200);
      expect(res.headers['set-cookie'], target).toBeUndefined();
      expect(res.body).toContain('<title>Causerie</title>');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).not.toContain('unsafe-eval');
    }
  });

  it('answers /rpc with 401 without the header, with a wrong one, or with the token elsewhere', async () => {
    const token = t.host.token;
    const wrong = token.slice(1) + (token.startsWith('A') ? 'B' : 'A');
    const list = (headers: Record<string, string>) => t.rpc('conversations.list', '{}', headers);
    expect((await list({})).status).toBe(401);
    expect((await list({ [HOST_TOKEN_HEADER]: wrong })).status).toBe(401);
    expect((await list({ [HOST_TOKEN_HEADER]: 'short' })).status).toBe(401);
    // The old ways in, a cookie and the query string, carry no authority any more.
    expect((await list({ cookie: `causerie_token=${token}` })).status).toBe(401);
    const query = await t.send(`/rpc/conversations.list?token=${token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(query.status).toBe(401);
    expect(JSON.parse(query.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect((await t.rpc('conversations.list', '{}')).status).toBe(200);
  });

  it('answers the uploads with 401 without the header', async () => {
    for (const route of ['/upload/model?name=a.gguf', '/upload/import']) {
      const res = await t.send(route, {
        method: 'POST',
        headers: { 'content-type': 'application/octet-stream' },
        body: 'GGUF',
      });
      expect(res.status, route).toBe(401);
    }
  });

  it('tells a page whether its token is right at GET /ws, without opening a socket', async () => {
    expect((await t.send('/ws')).status).toBe(401);
    expect((await t.send('/ws', { headers: t.authorized() })).status).toBe(426);
  });

  it('refuses WebSocket upgrades without the token protocol, or from a foreign Origin', async () => {
    const origin = t.base;
    await expect(t.openSocket({ origin })).rejects.toThrow('HTTP 401');
    await expect(t.openSocket({ origin, protocols: ['causerie'] })).rejects.toThrow('HTTP 401');
    await expect(
      t.openSocket({ origin, protocols: ['causerie', 'causerie.token.wrong'] }),
    ).rejects.toThrow('HTTP 401');
    await expect(
      t.openSocket({ origin, protocols: ['causerie'], query: `?token=${t.host.token}` }),
    ).rejects.toThrow('HTTP 401');
    await expect(
      t.openSocket({ origin: 'http://evil.example', protocols: t.goodProtocols() }),
    ).rejects.toThrow('HTTP 403');
    await expect(t.openSocket({ protocols: t.goodProtocols() })).rejects.toThrow('HTTP 403');
  });

  it('accepts the token as a subprotocol and echoes only the protocol name', async () => {
    const { ws, protocolHeader } = await t.openSocket({
      origin: t.base,
      protocols: t.goodProtocols(),
    });
    expect(protocolHeader).toBe('causerie');
    expect(ws.protocol).toBe('causerie');
    ws.close();
  });

  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const foreign = `evil.example:${t.host.port}`;
    expect((await t.send('/', { headers: { host: foreign } })).status).toBe(421);
    const call = await t.rpc('conversations.list', '{}', t.authorized({ host: foreign }));
    expect(call.status).toBe(421);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt']) {
      const res = await t.send(attempt);
      expect(res.status).toBe(404);
      expect(res.body).not.toContain('outside the renderer');
    }
  });
});

describe('browser host: the contract', () => {
  it('carries the contract over the WebSocket, malformed frames included', async () => {
    const { ws } = await t.openSocket({ origin: t.base, protocols: t.goodProtocols() });
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
    const created = await t.rpc('conversations.create', '{}');
    expect(JSON.parse(created.body)).toMatchObject({ ok: true, value: { title: '' } });
    const bad = await t.rpc('conversations.open', '{"conversationId": 5}');
    expect(JSON.parse(bad.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const plain = await t.send('/rpc/conversations.list', {
      method: 'POST',
      headers: t.authorized({ 'content-type': 'text/plain' }),
      body: '{}',
    });
    expect(plain.status).toBe(415);
  });

  it('never set a cookie, on any response of these tests', () => {
    expect(t.seenHeaders.length).toBeGreaterThan(15);
    expect(t.seenHeaders.filter((headers) => headers['set-cookie'] !== undefined)).toEqual([]);
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
