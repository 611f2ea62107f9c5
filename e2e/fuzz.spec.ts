/**
 * Seeded fuzzing of the browser host's two doors: WebSocket frames and `POST /rpc/<method>`.
 * Over 10,000 malformed calls (wrong types, huge strings, deep nesting, prototype-pollution keys,
 * unknown methods, broken JSON); every one must be answered with a VALIDATION Result, the host
 * must stay up, and nothing may leak into Object.prototype. No page is involved.
 */
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { methods } from '../shared/contract';
import {
  HOST_TOKEN_HEADER,
  HOST_WS_PROTOCOL,
  HOST_WS_TOKEN_PREFIX,
  MAX_RPC_BODY_BYTES,
} from '../shared/hostProtocol';
import { makeDataDir, startHost, type RunningHost } from '../testing/fixtures/causerieHost';
import { startFakeMistral, type FakeMistralServer } from '../testing/fixtures/fakeMistralServer';
import { seededRandom } from '../testing/seededRandom';

const KEY = 'e2e-key-fuzz-000000000000';
const SEED = 0xc0ffee;
const WS_CASES = 5_200;
const HTTP_CASES = 5_000;
/** The host's frame and body limit (4 MiB); larger ones are tested on their own. */
const MAX_FRAME_BYTES = MAX_RPC_BODY_BYTES;

const METHOD_NAMES = Object.keys(methods) as (keyof typeof methods)[];
const POLLUTION_KEYS = ['__proto__', 'constructor', 'prototype', '__defineGetter__', 'toString'];

type Random = () => number;

/** Sets an own, enumerable property, even `__proto__` (plain assignment would set the prototype). */
function put(object: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

class Gen {
  private readonly random: Random;
  constructor(random: Random) {
    this.random = random;
  }
  int(max: number): number {
    return Math.floor(this.random() * max);
  }
  chance(p: number): boolean {
    return this.random() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  string(): string {
    switch (this.int(9)) {
      case 0:
        return '';
      case 1:
        return this.pick(POLLUTION_KEYS);
      case 2:
        // Lone surrogates, NUL, bidi controls, emoji, combining marks.
        return '\uD800x\u0000\u202E\u2066😀e\u0301\uDFFF';
      case 3:
        return 'x'.repeat(1 + this.int(this.chance(0.01) ? 300_000 : 2_000));
      case 4:
        return `' OR 1=1; DROP TABLE messages; --`;
      case 5:
        return '../'.repeat(1 + this.int(20)) + 'etc/passwd';
      case 6:
        return String.fromCharCode(
          ...Array.from({ length: 1 + this.int(40) }, () => this.int(0xffff)),
        );
      case 7:
        return `${this.pick(METHOD_NAMES)}${this.pick(['', ' ', '\n', '.x', '\u0000'])}`;
      default:
        return Array.from({ length: this.int(30) }, () =>
          String.fromCharCode(0x21 + this.int(94)),
        ).join('');
    }
  }

  number(): number | string {
    return this.pick([
      0,
      -0,
      -1,
      1.5,
      2 ** 53 + 1,
      -(2 ** 63),
      1e308,
      -1e-308,
      Number.MAX_SAFE_INTEGER,
      this.int(1_000_000) - 500_000,
    ]);
  }

  value(depth = 0): unknown {
    const leaf = depth > 3 || this.chance(0.45);
    if (leaf) {
      return this.pick([
        () => null,
        () => this.chance(0.5),
        () => this.number(),
        () => this.string(),
        () => [],
        () => ({}),
      ])();
    }
    if (this.chance(0.4)) {
      return Array.from({ length: this.int(6) }, () => this.value(depth + 1));
    }
    const object: Record<string, unknown> = {};
    for (let i = this.int(5); i >= 0; i--) {
      const key = this.chance(0.3) ? this.pick(POLLUTION_KEYS) : this.string().slice(0, 40);
      put(object, key, this.value(depth + 1));
    }
    return object;
  }

  /** JSON text that nests `depth` levels: arrays or objects. */
  deepJson(depth: number): string {
    return this.chance(0.5)
      ? `${'['.repeat(depth)}${']'.repeat(depth)}`
      : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  }

  /** Raw JSON that sets prototype-pollution keys, as a client could send it. */
  pollutionJson(): string {
    return this.pick([
      '{"__proto__":{"polluted":"yes","model":{"provider":"mistral","model":"evil"}}}',
      '{"constructor":{"prototype":{"polluted":"yes","systemPrompt":"evil"}}}',
      '{"__proto__":{"__proto__":{"polluted":"yes"}},"conversationId":"x"}',
      '{"conversationId":"c","__proto__":{"title":"evil","replyLanguage":"xx"}}',
      '{"prototype":{"polluted":"yes"},"name":"x"}',
    ]);
  }

  /**
   * An input that no method accepts: not an object, or an object with a key outside the method's
   * shape, or known keys all holding nested arrays (which no field takes).
   */
  invalidInput(method: string | null): { json: string } {
    const shape =
      method && Object.hasOwn(methods, method)
        ? Object.keys(
            (methods[method as keyof typeof methods].input as { shape?: object }).shape ?? {},
          )
        : [];
    switch (this.int(7)) {
      case 0:
        return { json: JSON.stringify(this.pick([null, 0, -1, true, 'text', [], [1, 2], 1e308])) };
      case 1:
        return { json: this.pollutionJson() };
      case 2:
        return {
          json: this.deepJson(this.chance(0.3) ? 20_000 + this.int(80_000) : 1 + this.int(500)),
        };
      case 3: {
        const object: Record<string, unknown> = {};
        for (const key of shape) if (this.chance(0.5)) put(object, key, this.value(2));
        put(
          object,
          this.chance(0.5) ? this.pick(POLLUTION_KEYS) : `unknown_${this.int(1000)}`,
          this.value(1),
        );
        return { json: JSON.stringify(object) };
      }
      case 4: {
        if (shape.length === 0) return { json: JSON.stringify({ extra: this.value(1) }) };
        const object: Record<string, unknown> = {};
        for (const key of shape) put(object, key, [[this.value(3)]]);
        return { json: JSON.stringify(object) };
      }
      case 5:
        return { json: JSON.stringify(this.string()) };
      default:
        return { json: JSON.stringify([this.value(1)]) };
    }
  }

  /** A method name: a real one (with bad input), an unknown one, or not a name at all. */
  methodName(): { name: unknown; known: boolean } {
    const roll = this.int(10);
    if (roll < 6) return { name: this.pick(METHOD_NAMES), known: true };
    if (roll < 9) {
      return {
        name: this.pick([
          ...POLLUTION_KEYS,
          'hasOwnProperty',
          'settings.set',
          'chat.sendd',
          'Conversations.List',
          ' conversations.list',
          'x'.repeat(100),
          'chat.send\u0000',
          this.string().slice(0, 100),
        ]),
        known: false,
      };
    }
    return { name: this.pick([null, 42, true, [], {}, 'x'.repeat(101)]), known: false };
  }
}

/** One WebSocket frame: what is sent, and the id a result may carry (null for broken frames). */
function wsCase(gen: Gen, index: number): { data: string | Buffer; id: number | null } {
  const roll = gen.int(20);
  if (roll === 0) return { data: Buffer.from([0, 1, 2, 0xff, 0xfe]), id: null };
  if (roll === 1)
    return { data: gen.pick(['', '{', 'null', '[]', '"frame"', '{"id":1', 'NaN']), id: null };
  if (roll === 2) return { data: gen.pollutionJson(), id: null };
  if (roll === 3) {
    // A frame with the right fields plus one more, or with fields of the wrong type.
    const frame: Record<string, unknown> = {
      id: gen.pick([index, -1, 1.5, '7', null, 2 ** 60]),
      method: gen.pick(['conversations.list', 7, null]),
      input: {},
    };
    if (gen.chance(0.5)) put(frame, gen.pick(POLLUTION_KEYS), { polluted: 'yes' });
    if (typeof frame.id === 'number' && Number.isSafeInteger(frame.id) && frame.id >= 0) {
      frame.id = -1;
    }
    return { data: JSON.stringify(frame), id: null };
  }
  if (roll === 4) return { data: gen.deepJson(1 + gen.int(50_000)), id: null };
  const { name } = gen.methodName();
  const input = gen.invalidInput(typeof name === 'string' ? name : null).json;
  const wellFormedName = typeof name === 'string' && name.length <= 100;
  const id = index;
  const data = `{"id":${id},"method":${JSON.stringify(name)},"input":${input}}`;
  return { data, id: wellFormedName ? id : null };
}

/** One HTTP call: the path after /rpc/, the HTTP method, the content type and the body. */
function httpCase(gen: Gen): { path: string; verb: string; type: string; body: string | null } {
  const { name } = gen.methodName();
  const path = encodeURIComponent(
    (typeof name === 'string' ? name : JSON.stringify(name)).toWellFormed(),
  );
  const roll = gen.int(20);
  if (roll === 0)
    return {
      path,
      verb: gen.pick(['GET', 'PUT', 'DELETE', 'PATCH']),
      type: 'application/json',
      body: null,
    };
  if (roll === 1) {
    return {
      path,
      verb: 'POST',
      type: gen.pick([
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data',
        '',
      ]),
      body: '{}',
    };
  }
  if (roll === 2)
    return {
      path,
      verb: 'POST',
      type: 'application/json',
      body: gen.pick(['{', '}', 'nul', '[1,]', '\u0000', '{"a":1}garbage']),
    };
  const input = gen.invalidInput(typeof name === 'string' ? name : null).json;
  return {
    path,
    verb: 'POST',
    type: gen.pick(['application/json', 'application/json; charset=utf-8']),
    body: input,
  };
}

interface ResultFrame {
  type: 'result';
  id: number | null;
  result: { ok: boolean; error?: { code: string; message: string } };
}

let fake: FakeMistralServer;
let host: RunningHost;
let cleanup: () => void;
let baseline: { conversation: Record<string, unknown>; settings: unknown };

test.beforeAll(async () => {
  fake = await startFakeMistral({ apiKey: KEY });
  const dir = makeDataDir();
  cleanup = dir.cleanup;
  host = await startHost({
    dataDir: dir.dataDir,
    env: { MISTRAL_API_KEY: KEY, MISTRAL_BASE_URL: fake.url },
  });
  baseline = {
    conversation: await rpcValue('conversations.create', {}),
    settings: await rpcValue('settings.get', {}),
  };
});
test.afterAll(async () => {
  await host?.stop();
  await fake?.close();
  cleanup?.();
});

function hostUrl(): { base: string; token: string; host: string } {
  const url = new URL(host.url);
  return { base: `http://${url.host}`, token: url.searchParams.get('token')!, host: url.host };
}

async function rpcValue(method: string, input: unknown): Promise<Record<string, unknown>> {
  const { base, token } = hostUrl();
  const response = await fetch(`${base}/rpc/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [HOST_TOKEN_HEADER]: token },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as { ok: boolean; value: Record<string, unknown> };
  expect(result.ok, `${method}: ${JSON.stringify(result)}`).toBe(true);
  return result.value;
}

async function openSocket(): Promise<WebSocket> {
  const { host: authority, token } = hostUrl();
  const socket = new WebSocket(
    `ws://${authority}/ws`,
    [HOST_WS_PROTOCOL, HOST_WS_TOKEN_PREFIX + token],
    {
      origin: `http://${authority}`,
    },
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  return socket;
}

/** Every host log line at error level: an INTERNAL answer or a crash would show up here. */
function hostErrors(): string[] {
  return host.logs
    .join('')
    .split('\n')
    .filter((line) => /"level":"error"|Uncaught|RangeError|TypeError/.test(line));
}

function preview(payload: string | Buffer): string {
  const text = typeof payload === 'string' ? payload : `<binary ${payload.length} bytes>`;
  return text.length > 160 ? `${text.slice(0, 160)}… (${text.length} chars)` : text;
}

test(`${WS_CASES} malformed WebSocket frames each get a VALIDATION result`, async () => {
  test.setTimeout(120_000);
  const gen = new Gen(seededRandom(SEED));
  const socket = await openSocket();
  const frames: ResultFrame[] = [];
  let wake: (() => void) | null = null;
  socket.on('message', (data) => {
    frames.push(JSON.parse((data as Buffer).toString('utf8')) as ResultFrame);
    wake?.();
  });
  let closed: number | null = null;
  socket.on('close', (code) => {
    closed = code;
    wake?.();
  });
  const codes = new Map<string, number>();
  for (let index = 0; index < WS_CASES; index++) {
    const { data, id } = wsCase(gen, index);
    const before = frames.length;
    socket.send(data);
    while (frames.length === before && closed === null) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 10_000);
      });
      if (frames.length === before && closed === null) {
        throw new Error(`case ${index}: no answer within 10 s to ${preview(data)}`);
      }
    }
    const frame = frames[before];
    const answered =
      closed === null &&
      frame?.type === 'result' &&
      frame.result.ok === false &&
      frame.result.error?.code === 'VALIDATION' &&
      (frame.id === null || frame.id === id);
    // `expect` is slow per call; it runs only to describe a failure.
    if (!answered) {
      expect(
        { closed, frame },
        `case ${index} (${preview(data)}) -> ${JSON.stringify(frame).slice(0, 300)}`,
      ).toEqual({ closed: null, frame: { type: 'result', id: id, result: { ok: false } } });
    }
    codes.set(frame!.result.error!.code, (codes.get(frame!.result.error!.code) ?? 0) + 1);
  }
  socket.close();
  console.log(`[fuzz] WebSocket: ${WS_CASES} frames, answers ${JSON.stringify([...codes])}`);
  expect(hostErrors()).toEqual([]);
  expect(host.process.exitCode).toBeNull();
});

test(`${HTTP_CASES} malformed POST /rpc calls each get a VALIDATION result`, async () => {
  test.setTimeout(120_000);
  const gen = new Gen(seededRandom(SEED + 1));
  const { base, token } = hostUrl();
  const statuses = new Map<number, number>();
  for (let index = 0; index < HTTP_CASES; index++) {
    const call = httpCase(gen);
    const response = await fetch(`${base}/rpc/${call.path}`, {
      method: call.verb,
      headers: {
        [HOST_TOKEN_HEADER]: token,
        ...(call.type ? { 'content-type': call.type } : {}),
      },
      ...(call.body === null ? {} : { body: call.body }),
    });
    const text = await response.text();
    const label = `case ${index} ${call.verb} /rpc/${call.path.slice(0, 80)} [${call.type}] ${preview(call.body ?? '')} -> ${response.status} ${text.slice(0, 200)}`;
    let result: { ok?: boolean; error?: { code?: string } } = {};
    try {
      result = JSON.parse(text) as typeof result;
    } catch {
      // Checked below.
    }
    const answered =
      [200, 400, 413, 415].includes(response.status) &&
      result.ok === false &&
      result.error?.code === 'VALIDATION';
    if (!answered)
      expect(`${response.status} ${text.slice(0, 200)}`, label).toBe('a VALIDATION Result');
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
  }
  console.log(`[fuzz] HTTP: ${HTTP_CASES} calls, statuses ${JSON.stringify([...statuses])}`);
  expect(hostErrors()).toEqual([]);
  expect(host.process.exitCode).toBeNull();
});

test('frames and bodies over the size limit are refused without harm', async () => {
  const { base, token } = hostUrl();
  const huge = `{"x":"${'y'.repeat(MAX_FRAME_BYTES)}"}`;
  const response = await fetch(`${base}/rpc/conversations.list`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [HOST_TOKEN_HEADER]: token },
    body: huge,
  });
  expect(response.status).toBe(413);
  expect(await response.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  // Over WebSocket the frame limit closes the connection (1009), as the protocol says.
  const socket = await openSocket();
  const code = await new Promise<number>((resolve) => {
    socket.once('close', (closeCode) => resolve(closeCode));
    socket.send(huge);
  });
  expect(code).toBe(1009);
  expect(host.process.exitCode).toBeNull();
});

test('a malformed percent-encoding in the method path is a VALIDATION answer', async () => {
  // Known bug [G-rpc-percent]: hostServer.ts calls decodeURIComponent on the path unguarded; a
  // malformed escape throws URIError, which ends as `500 Internal error` and an error log line
  // (GET /%E0%A4%A does the same in serveStatic). Fix: catch URIError there and answer 400 with
  // fail(appError('VALIDATION', …)). Remove test.fail() then.
  // Fixed: the host decodes with a guard and answers malformed escapes as data.
  const { base, token } = hostUrl();
  const response = await fetch(`${base}/rpc/chat.%E0%A4%A`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [HOST_TOKEN_HEADER]: token },
    body: '{}',
  });
  const text = await response.text();
  expect(response.status, text).not.toBe(500);
  expect(JSON.parse(text)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
});

test('after the fuzzing nothing leaked into Object.prototype and the host works as before', async () => {
  // Had a `__proto__` payload reached Object.prototype in the host, defaults such as the model,
  // the reply language or the system prompt of a new conversation would now come from it.
  const conversation = await rpcValue('conversations.create', {});
  const strip = ({ id: _id, createdAt: _c, updatedAt: _u, ...rest }: Record<string, unknown>) =>
    rest;
  expect(strip(conversation)).toEqual(strip(baseline.conversation));
  expect(JSON.stringify(conversation)).not.toContain('evil');
  expect(JSON.stringify(conversation)).not.toContain('polluted');
  expect(await rpcValue('settings.get', {})).toEqual(baseline.settings);
  const listed = await rpcValue('conversations.list', {});
  expect(JSON.stringify(listed)).not.toContain('polluted');
  // The WebSocket door still works for a well-formed call.
  const socket = await openSocket();
  const answer = await new Promise<ResultFrame>((resolve) => {
    socket.once('message', (data) =>
      resolve(JSON.parse((data as Buffer).toString('utf8')) as ResultFrame),
    );
    socket.send(JSON.stringify({ id: 1, method: 'conversations.list', input: {} }));
  });
  socket.close();
  expect(answer).toMatchObject({ type: 'result', id: 1, result: { ok: true } });
  expect(host.process.exitCode).toBeNull();
  expect(host.process.signalCode).toBeNull();
});
