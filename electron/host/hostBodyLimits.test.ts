import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RPC_BODY_BYTES } from '../../shared/hostProtocol';
import { startTestHost, type TestHost } from '../../testing/hostServer';
import { writeTinyGguf } from '../../testing/fixtures/tinyGguf';

let t: TestHost;
beforeAll(async () => {
  t = await startTestHost();
});
afterAll(() => t.close());

/** A valid export holding one conversation whose messages add up to about `bytes`. */
function exportOf(bytes: number): string {
  const chunk = 'Bonjour, voici un long message. '.repeat(1024 * 32);
  const messages = [];
  for (let i = 0, size = 0; size < bytes; i++, size += chunk.length) {
    messages.push({
      id: `m${i}`,
      parentId: i === 0 ? null : `m${i - 1}`,
      role: i % 2 === 0 ? 'user' : 'assistant',
      content: chunk,
      status: 'complete',
      model: null,
      usage: null,
      error: null,
      createdAt: 1_700_000_000_000 + i,
      updatedAt: 1_700_000_000_000 + i,
    });
  }
  return JSON.stringify({
    format: 'causerie-export',
    version: 1,
    exportedAt: 1_700_000_000_000,
    folders: [],
    conversations: [
      {
        id: 'big',
        title: 'Big upload',
        model: { provider: 'mistral', model: 'mistral-small-latest' },
        createdAt: 1_700_000_000_000,
        updatedAt: 1_700_000_000_000,
        messages,
      },
    ],
  });
}

describe('browser host: body limits', () => {
  it('reads a JSON body just under 4 MB', async () => {
    const body = JSON.stringify({ x: 'y'.repeat(MAX_RPC_BODY_BYTES - 100) });
    const res = await t.rpc('conversations.list', body);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('answers 413 to a body over 4 MB as soon as it passes the limit, before it ends', async () => {
    // Chunked, and never ended: only a host that stops at the limit can answer.
    const res = await t.send('/rpc/import.json', {
      method: 'POST',
      headers: t.authorized({ 'content-type': 'application/json' }),
      body: Buffer.alloc(MAX_RPC_BODY_BYTES + 64 * 1024, 0x20),
      keepOpen: true,
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('4 MB') },
    });
  });

  it('answers 413 at once to a declared Content-Length over 4 MB, reading none of it', async () => {
    const res = await t.send('/rpc/import.json', {
      method: 'POST',
      headers: t.authorized({
        'content-type': 'application/json',
        'content-length': 60 * 1024 * 1024,
      }),
      body: '{',
      keepOpen: true,
    });
    expect(res.status).toBe(413);
  });

  it('closes a WebSocket that sends a frame over 4 MB', async () => {
    const { ws } = await t.openSocket({ origin: t.base, protocols: t.goodProtocols() });
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.on('error', () => undefined);
    ws.send('x'.repeat(MAX_RPC_BODY_BYTES + 1));
    expect(await closed).toBe(1009);
  });

  it('imports a 6 MB export through the streaming upload route', async () => {
    const json = exportOf(6 * 1024 * 1024);
    expect(json.length).toBeGreaterThan(6 * 1024 * 1024);
    const res = await t.send('/upload/import', {
      method: 'POST',
      headers: t.authorized({ 'content-type': 'application/octet-stream' }),
      body: json,
    });
    expect(res.status).toBe(200);
    const result = JSON.parse(res.body) as { ok: boolean; value: { messagesImported: number } };
    expect(result).toMatchObject({ ok: true, value: { conversationsImported: 1, refused: [] } });
    expect(result.value.messagesImported).toBe(6);
    // The temporary file is gone.
    expect(readdirSync(t.dataDir).filter((name) => name.includes('.import-'))).toEqual([]);
    const listed = JSON.parse((await t.rpc('conversations.list', '{}')).body) as {
      value: { conversations: { title: string }[] };
    };
    expect(listed.value.conversations.map((c) => c.title)).toContain('Big upload');
  });

  it('answers an import upload that is not an export with 400, and one declared over its cap with 413', async () => {
    const junk = await t.send('/upload/import', {
      method: 'POST',
      headers: t.authorized({ 'content-type': 'application/octet-stream' }),
      body: 'not json',
    });
    expect(junk.status).toBe(400);
    expect(JSON.parse(junk.body)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    const huge = await t.send('/upload/import', {
      method: 'POST',
      headers: t.authorized({
        'content-type': 'application/octet-stream',
        'content-length': 300 * 1024 * 1024,
      }),
      body: '{',
      keepOpen: true,
    });
    expect(huge.status).toBe(413);
    expect(JSON.parse(huge.body)).toMatchObject({
      error: { message: expect.stringContaining('250 MB') },
    });
    expect(readdirSync(t.dataDir).filter((name) => name.includes('.import-'))).toEqual([]);
  });

  it('streams a model upload over 4 MB into the models folder', async () => {
    const file = path.join(t.dir, 'big.gguf');
    writeTinyGguf(file, { embedding: 256, extraVocab: 5000 });
    const bytes = readFileSync(file);
    expect(bytes.length).toBeGreaterThan(MAX_RPC_BODY_BYTES);
    const res = await t.send('/upload/model?name=big.gguf', {
      method: 'POST',
      headers: t.authorized({ 'content-type': 'application/octet-stream' }),
      body: bytes,
    });
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { fileName: 'big.gguf' } });
    expect(res.status).toBe(200);
  });

  it('never set a cookie, on any response of these tests', () => {
    expect(t.seenHeaders.filter((headers) => headers['set-cookie'] !== undefined)).toEqual([]);
  });
});
