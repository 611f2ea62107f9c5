/**
 * Fault drills against the real browser host process: kill -9 in the middle of streaming, a full
 * disk, and requests from outside (no token, wrong token, another origin, another interface).
 * They talk to the host through the contract (WebSocket and POST /rpc), as the page would, and
 * look at the SQLite file directly between runs.
 */
import { execFileSync, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { expect, test } from '@playwright/test';
import WebSocket from 'ws';
import { HOST_TOKEN_HEADER, HOST_WS_PROTOCOL, HOST_WS_TOKEN_PREFIX } from '../shared/hostProtocol';
import { makeDataDir, startHost, type RunningHost } from '../testing/fixtures/causerieHost';
import {
  startFakeMistral,
  toChunks,
  type FakeMistralServer,
} from '../testing/fixtures/fakeMistralServer';
import { seededRandom } from '../testing/seededRandom';

const KEY = 'e2e-key-faults-00000000';
const HOST_ENTRY = path.resolve('dist/host/index.js');

/** Calls a contract method over `POST /rpc/<method>`, as scripts do. */
async function rpc(
  host: { url: string },
  method: string,
  input: unknown,
  init: { token?: string | null; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: unknown }> {
  const url = new URL(host.url);
  const token = init.token === undefined ? url.searchParams.get('token') : init.token;
  const target = new URL(`/rpc/${method}`, url);
  const response = await fetch(target, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token !== null ? { [HOST_TOKEN_HEADER]: token ?? '' } : {}),
      ...init.headers,
    },
    body: JSON.stringify(input),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON (a 401 page, say): keep the text.
  }
  return { status: response.status, body };
}

/** The value of a successful call, or a failure naming the method and the error. */
async function value<T>(host: { url: string }, method: string, input: unknown): Promise<T> {
  const { body } = await rpc(host, method, input);
  const result = body as { ok: boolean; value?: T; error?: unknown };
  if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
  return result.value as T;
}

/** A Result as it arrives over the WebSocket, loosely typed for the fields these drills read. */
interface CallResult {
  ok: boolean;
  value?: { id?: string; streamId?: string };
  error?: { code: string; message: string };
}

interface ContractEvent {
  name: string;
  payload: Record<string, unknown>;
}

/** A WebSocket client of the contract, as the page has: calls and the events of its streams. */
async function connectClient(host: { url: string }) {
  const url = new URL(host.url);
  const socket = new WebSocket(
    `ws://${url.host}/ws`,
    [HOST_WS_PROTOCOL, HOST_WS_TOKEN_PREFIX + url.searchParams.get('token')],
    { origin: `http://${url.host}` },
  );
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  let nextId = 1;
  const pending = new Map<number, (result: unknown) => void>();
  const events: ContractEvent[] = [];
  const waiters = new Set<() => void>();
  socket.on('message', (data) => {
    const frame = JSON.parse((data as Buffer).toString('utf8')) as
      { type: 'result'; id: number; result: unknown } | { type: 'event'; event: ContractEvent };
    if (frame.type === 'result') pending.get(frame.id)?.(frame.result);
    else events.push(frame.event);
    for (const wake of waiters) wake();
  });
  return {
    events,
    call(method: string, input: unknown): Promise<CallResult> {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, (result) => resolve(result as CallResult));
        socket.send(JSON.stringify({ id, method, input }));
      });
    },
    /** The first event matching `match`, waiting up to `timeoutMs` for it. */
    async waitForEvent(
      match: (event: ContractEvent) => boolean,
      timeoutMs = 15_000,
    ): Promise<ContractEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, left);
          waiters.add(wake);
        });
      }
    },
    close: () => socket.close(),
  };
}

interface MessageRow {
  id: string;
  role: string;
  content: string;
  status: string;
  parent_id: string | null;
}

/** Opens the store read-only, checks its integrity, and hands the connection to `read`. */
function inspectStore<T>(dataDir: string, read: (db: Database.Database) => T): T {
  const db = new Database(path.join(dataDir, 'causerie.db'), {
    readonly: true,
    fileMustExist: true,
  });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
    return read(db);
  } finally {
    db.close();
  }
}

/** Every line of the host's log file parses as JSON: a kill never leaves a torn line behind. */
function expectLogFileIntact(dataDir: string): number {
  const file = path.join(dataDir, 'logs', 'causerie.log');
  if (!existsSync(file)) return 0;
  const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  for (const line of lines) expect(() => JSON.parse(line), line.slice(0, 200)).not.toThrow();
  return lines.length;
}

function report(line: string): void {
  console.log(`[faults] ${line}`);
  test.info().annotations.push({ type: 'metric', description: line });
}

let fake: FakeMistralServer;
test.beforeAll(async () => {
  fake = await startFakeMistral({ apiKey: KEY });
});
test.afterAll(async () => {
  await fake?.close();
});

test.describe('kill -9 during streaming', () => {
  const TRIALS = 20;
  const SEED = 20_251_124;
  // Slow enough that every kill (50-1500 ms after the send) lands mid-stream.
  const REPLY = Array.from({ length: 300 }, (_, i) => `mot${i}`).join(' ');

  test(`${TRIALS} seeded kills leave an intact store, the user message, and an interrupted partial reply`, async () => {
    test.setTimeout(180_000);
    const random = seededRandom(SEED);
    const { dataDir, cleanup } = makeDataDir();
    const env = { MISTRAL_API_KEY: KEY, MISTRAL_BASE_URL: fake.url };
    let host: RunningHost = await startHost({ dataDir, env });
    let withText = 0;
    try {
      const conversation = await value<{ id: string }>(host, 'conversations.create', {});
      // A reply in the wrong language would start a correction; none is wanted here.
      await value(host, 'conversations.update', {
        conversationId: conversation.id,
        languageCorrection: 'off',
      });
      for (let trial = 1; trial <= TRIALS; trial++) {
        const delay = 50 + Math.floor(random() * 1_451);
        const text = `Essai ${trial} (graine ${SEED}) : raconte-moi une histoire.`;
        fake.queue.push({ kind: 'stream', chunks: toChunks(REPLY), delayMs: 12 });
        const sent = await value<{ userMessage: { id: string }; assistantMessage: { id: string } }>(
          host,
          'chat.send',
          { conversationId: conversation.id, text },
        );
        await new Promise((resolve) => setTimeout(resolve, delay));
        const exited = new Promise((resolve) => host.process.once('exit', resolve));
        host.process.kill('SIGKILL');
        await exited;
        expect(host.process.signalCode, `trial ${trial}`).toBe('SIGKILL');

        // Straight after the kill, before anything repairs it: the file is sound and holds the turn.
        const saved = inspectStore(dataDir, (db) => {
          const user = db
            .prepare('SELECT * FROM messages WHERE id = ?')
            .get(sent.userMessage.id) as MessageRow | undefined;
          const reply = db
            .prepare('SELECT * FROM messages WHERE id = ?')
            .get(sent.assistantMessage.id) as MessageRow | undefined;
          return { user, reply };
        });
        expect(saved.user?.content, `trial ${trial}: the user message`).toBe(text);
        expect(saved.reply?.parent_id, `trial ${trial}`).toBe(sent.userMessage.id);
        expect(saved.reply?.status, `trial ${trial}: killed after ${delay} ms`).toBe('streaming');
        expect(REPLY.startsWith(saved.reply?.content ?? '?'), `trial ${trial}`).toBe(true);
        expectLogFileIntact(dataDir);

        // The next start marks the reply interrupted and keeps every checkpointed character.
        host = await startHost({ dataDir, env });
        const opened = await value<{ messages: (MessageRow & { status: string })[] }>(
          host,
          'conversations.open',
          { conversationId: conversation.id },
        );
        const reply = opened.messages.find((message) => message.id === sent.assistantMessage.id);
        expect(reply?.status, `trial ${trial}`).toBe('interrupted');
        expect(reply?.content, `trial ${trial}`).toBe(saved.reply?.content);
        expect(opened.messages.some((message) => message.content === text)).toBe(true);
        if (reply?.content) {
          withText += 1;
          // Not indexed while it streamed; indexed once recovered as interrupted.
          const found = await value<{ hits: { messageId: string }[] }>(host, 'search.messages', {
            query: 'mot0',
            conversationId: conversation.id,
            limit: 200,
          });
          expect(
            found.hits.some((hit) => hit.messageId === sent.assistantMessage.id),
            `trial ${trial}: the recovered reply is searchable`,
          ).toBe(true);
        }
      }
      report(
        `${TRIALS} kills (seed ${SEED}): store intact every time; ${withText} partial replies had checkpointed text`,
      );
      // Kills after the first checkpoint (500 ms) must have kept text: most of them do.
      expect(withText).toBeGreaterThan(TRIALS / 3);
    } finally {
      await host.stop();
      cleanup();
    }
  });
});

test.describe('Stop while streaming', () => {
  const WORDS = Array.from({ length: 150 }, (_, i) => `mot${i}`).join(' ');
  /** 150 deltas, 20 ms apart: a Stop that does not reach the provider waits out ~3 s. */
  const STREAM = { kind: 'stream' as const, chunks: toChunks(WORDS), delayMs: 20 };

  /**
   * Starts a host whose process runs a full garbage collection on SIGUSR2: test-only, through
   * NODE_OPTIONS (a preload script), so the app itself is unchanged.
   */
  async function startCollectableHost(dataDir: string): Promise<RunningHost> {
    const preload = `${dataDir}-gc-on-sigusr2.mjs`;
    writeFileSync(preload, "process.on('SIGUSR2', () => globalThis.gc());\n");
    return startHost({
      dataDir,
      env: {
        MISTRAL_API_KEY: KEY,
        MISTRAL_BASE_URL: fake.url,
        NODE_OPTIONS: `--expose-gc --import ${preload}`,
      },
    });
  }

  /** Milliseconds from chat.cancel to the stream's last event, for `trials` streams. */
  async function stopLatencies(host: RunningHost, trials: number, collect: boolean) {
    const client = await connectClient(host);
    try {
      const created = await client.call('conversations.create', {});
      const conversationId = created.value!.id!;
      await client.call('conversations.update', { conversationId, languageCorrection: 'off' });
      const results: { ms: number; ending: string }[] = [];
      for (let trial = 0; trial < trials; trial++) {
        fake.queue.push(STREAM);
        const sent = await client.call('chat.send', { conversationId, text: `Arrête ${trial}` });
        const streamId = sent.value!.streamId;
        await client.waitForEvent(
          (event) => event.name === 'chat.delta' && event.payload.streamId === streamId,
        );
        await new Promise((resolve) => setTimeout(resolve, 300));
        if (collect) {
          host.process.kill('SIGUSR2');
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        const started = performance.now();
        const cancelled = await client.call('chat.cancel', { streamId });
        expect(cancelled.value).toEqual({ cancelled: true });
        const ended = await client.waitForEvent(
          (event) =>
            ['chat.done', 'chat.error', 'chat.cancelled'].includes(event.name) &&
            event.payload.streamId === streamId,
        );
        results.push({ ms: Math.round(performance.now() - started), ending: ended.name });
      }
      return results;
    } finally {
      client.close();
    }
  }

  test('Stop ends the provider stream at once', async () => {
    const { dataDir, cleanup } = makeDataDir();
    const host = await startCollectableHost(dataDir);
    try {
      const results = await stopLatencies(host, 3, false);
      report(`Stop without a GC: ${JSON.stringify(results)}`);
      for (const result of results) {
        expect(result.ending).toBe('chat.cancelled');
        expect(result.ms).toBeLessThan(500);
      }
    } finally {
      await host.stop();
      cleanup();
      rmSync(`${dataDir}-gc-on-sigusr2.mjs`, { force: true });
    }
  });

  test('Stop still ends the provider stream after a garbage collection in the host', async () => {
    // Known bug [G-cancel-lost]: after a full GC, aborting the request signal no longer reaches
    // the provider's fetch (undici drops the link from a collected Request to its signal:
    // nodejs/undici#4068, nodejs/node#55428), so chat.cancel answers {cancelled: true} but the
    // stream runs to its end (~2.5 s here; 5-15 s for big replies in hostile.spec.ts). Fix in
    // core: stop reading on abort ourselves, e.g. check signal.aborted in the `for await` of
    // chatService.runStream and mistral.streamOnce and break (which closes the body), or race
    // the iterator against the signal. Remove test.fail() then.
    // Fixed: both loops now check signal.aborted and break, which closes the body.
    const { dataDir, cleanup } = makeDataDir();
    const host = await startCollectableHost(dataDir);
    try {
      const results = await stopLatencies(host, 3, true);
      report(`Stop after a GC: ${JSON.stringify(results)}`);
      for (const result of results) {
        expect(result.ending).toBe('chat.cancelled');
        expect(result.ms).toBeLessThan(500);
      }
    } finally {
      await host.stop();
      cleanup();
      rmSync(`${dataDir}-gc-on-sigusr2.mjs`, { force: true });
    }
  });
});

/** Mounts a tmpfs of `size` at a new folder; null with the reason when this machine refuses. */
function mountTinyFileSystem(size: string): { dir: string; unmount: () => void } | string {
  if (process.platform !== 'linux') return `tmpfs needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'mounting a tmpfs needs root, and this run is not root';
  const dir = mkdtempSync(path.join(tmpdir(), 'causerie-full-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0700`, 'tmpfs', dir], {
      stdio: 'pipe',
    });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return `mount -t tmpfs failed: ${String((error as { stderr?: Buffer }).stderr ?? error).trim()}`;
  }
  return {
    dir,
    unmount: () => {
      try {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** Writes a filler file until the file system refuses another byte. */
function fillUp(file: string): number {
  const fd = openSync(file, 'w');
  let written = 0;
  try {
    for (const size of [1 << 16, 4096, 512, 1]) {
      const block = Buffer.alloc(size, 0x5a);
      for (;;) {
        try {
          written += writeSync(fd, block);
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return written;
}

test.describe('disk full', () => {
  test.describe.configure({ mode: 'serial' });
  let mount: { dir: string; unmount: () => void } | null = null;
  let host: RunningHost | null = null;
  let dataDir = '';
  let conversationId = '';
  /** What the contract said when a message was sent with no space left. */
  let fullDiskOutcome: { code: string | null; message: string; via: string } | null = null;

  test.beforeAll(async () => {
    const mounted = mountTinyFileSystem('6m');
    if (typeof mounted === 'string') {
      console.log(`[faults] disk-full drill skipped: ${mounted}`);
      return;
    }
    mount = mounted;
    dataDir = path.join(mount.dir, 'data');
    mkdirSync(dataDir);
    host = await startHost({
      dataDir,
      env: { MISTRAL_API_KEY: KEY, MISTRAL_BASE_URL: fake.url },
    });
  });
  test.afterAll(async () => {
    await host?.stop();
    mount?.unmount();
  });

  test('with no space left, sending says so through the contract and corrupts nothing', async () => {
    test.skip(mount === null, 'no size-limited file system here (see the [faults] line above)');
    const client = await connectClient(host!);
    try {
      const created = await client.call('conversations.create', {});
      conversationId = created.value!.id!;
      await client.call('conversations.update', { conversationId, languageCorrection: 'off' });
      const first = await client.call('chat.send', { conversationId, text: 'Avant : ça marche ?' });
      expect(first.ok).toBe(true);
      await client.waitForEvent((event) => event.name === 'chat.done');

      const filled = fillUp(path.join(mount!.dir, 'filler'));
      report(`disk full: filled the 6 MB tmpfs with ${filled} bytes`);
      // Long enough that it cannot fit in pages SQLite already owns.
      const text = `Plein : ${'données '.repeat(20_000)}`;
      fake.queue.push({ kind: 'stream', chunks: toChunks('Une réponse qui ne tiendra pas.') });
      const sent = await client.call('chat.send', { conversationId, text });
      if (!sent.ok) {
        fullDiskOutcome = {
          code: sent.error!.code,
          message: sent.error!.message,
          via: 'chat.send',
        };
      } else {
        const ended = await client.waitForEvent(
          (event) =>
            ['chat.done', 'chat.error', 'chat.cancelled'].includes(event.name) &&
            event.payload.streamId === sent.value!.streamId,
        );
        const error = ended.payload.error as { code: string; message: string } | undefined;
        fullDiskOutcome = {
          code: error?.code ?? null,
          message: error?.message ?? `ended with ${ended.name}`,
          via: ended.name,
        };
      }
      report(`disk full: ${JSON.stringify(fullDiskOutcome)}`);
      // Whatever the wording, the send did not pretend to succeed.
      expect(fullDiskOutcome.code, JSON.stringify(fullDiskOutcome)).not.toBeNull();

      // The host is alive and still answers reads; the file on disk is sound.
      expect(host!.process.exitCode).toBeNull();
      expect((await client.call('conversations.list', {})).ok).toBe(true);
      inspectStore(dataDir, (db) => {
        // No half-written turn: every user message has its reply row, or neither was written.
        const orphans = db
          .prepare(
            `SELECT COUNT(*) AS n FROM messages u WHERE u.role = 'user' AND NOT EXISTS
               (SELECT 1 FROM messages a WHERE a.parent_id = u.id)`,
          )
          .get() as { n: number };
        expect(orphans.n).toBe(0);
      });
    } finally {
      client.close();
    }
  });

  test('the error the user sees on a full disk is STORAGE, with a message about space', async () => {
    test.skip(mount === null, 'no size-limited file system here');
    // Known bug [G-disk-full]: chat.send's insert fails with SQLITE_FULL, which no handler maps,
    // so the dispatcher answers INTERNAL ("Something went wrong inside Causerie"). Fix: map
    // better-sqlite3's SQLITE_FULL / SQLITE_IOERR / ENOSPC to CoreError('STORAGE', 'Not enough
    // disk space…', retryable) in toAppError (or in the repos). Remove test.fail() then.
    test.fail(fullDiskOutcome?.code === 'INTERNAL', 'known bug [G-disk-full]');
    expect(fullDiskOutcome, 'the previous test did not run').not.toBeNull();
    expect(fullDiskOutcome!.code).toBe('STORAGE');
    expect(fullDiskOutcome!.message).toMatch(/disk|space|storage/i);
  });

  test('a disk that fills up mid-reply ends the stream with an error and keeps the store sound', async () => {
    test.skip(mount === null, 'no size-limited file system here');
    expect(conversationId, 'the first disk-full test did not run').not.toBe('');
    rmSync(path.join(mount!.dir, 'filler'));
    fake.queue.length = 0;
    const client = await connectClient(host!);
    try {
      const words = Array.from({ length: 400 }, (_, i) => `remplissage${i}`).join(' ');
      fake.queue.push({ kind: 'stream', chunks: toChunks(words), delayMs: 10 });
      const sent = await client.call('chat.send', { conversationId, text: 'Une longue réponse ?' });
      expect(sent.ok, JSON.stringify(sent.error)).toBe(true);
      await client.waitForEvent((event) => event.name === 'chat.delta');
      fillUp(path.join(mount!.dir, 'filler'));
      const ended = await client.waitForEvent(
        (event) =>
          ['chat.done', 'chat.error', 'chat.cancelled'].includes(event.name) &&
          event.payload.streamId === sent.value!.streamId,
      );
      const error = ended.payload.error as { code: string; message: string } | undefined;
      report(`disk full mid-reply: ${ended.name} ${JSON.stringify(error ?? null)}`);
      // The reply cannot all be saved, so it must not be reported as done.
      expect(ended.name).toBe('chat.error');
      expect(error?.code).toBe('STORAGE');
      expect(host!.process.exitCode).toBeNull();
      inspectStore(dataDir, () => undefined);
    } finally {
      client.close();
    }
  });

  test('when space returns, the same host works again', async () => {
    test.skip(mount === null, 'no size-limited file system here');
    expect(conversationId, 'the first disk-full test did not run').not.toBe('');
    rmSync(path.join(mount!.dir, 'filler'));
    // The refused send never reached the provider: its scripted reply is still waiting.
    fake.queue.length = 0;
    const client = await connectClient(host!);
    try {
      fake.queue.push({ kind: 'stream', chunks: toChunks('De nouveau là.') });
      const sent = await client.call('chat.send', { conversationId, text: 'Et maintenant ?' });
      expect(sent.ok, JSON.stringify(sent.error)).toBe(true);
      const done = await client.waitForEvent(
        (event) => event.name === 'chat.done' && event.payload.streamId === sent.value!.streamId,
      );
      expect((done.payload.message as { content: string }).content).toBe('De nouveau là.');
    } finally {
      client.close();
    }
    inspectStore(dataDir, (db) => {
      const rows = db
        .prepare(
          `SELECT content, status FROM messages WHERE role = 'assistant' ORDER BY created_at`,
        )
        .all() as { content: string; status: string }[];
      expect(rows.at(-1)).toEqual({ content: 'De nouveau là.', status: 'complete' });
    });
    expect(expectLogFileIntact(dataDir)).toBeGreaterThan(0);
  });
});

/** Starts the host with extra arguments and returns its printed URL and stderr. */
async function startHostWithArgs(dataDir: string, args: string[]) {
  const child = spawn(
    process.execPath,
    [HOST_ENTRY, '--data-dir', dataDir, '--port', '0', ...args],
    {
      env: { ...process.env, MISTRAL_API_KEY: KEY, MISTRAL_BASE_URL: fake.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text: string) => (stderr += text));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL printed: ${stderr}`)), 15_000);
    child.once('exit', (code) => reject(new Error(`host exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /(http:\/\/\S+\/\?token=\S+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return {
    url,
    stderr: () => stderr,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
    pid: child.pid!,
  };
}

/** This machine's own non-loopback IPv4 addresses: the only other addresses ever dialled. */
function ownExternalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((info) => info !== undefined && info.family === 'IPv4' && !info.internal)
    .map((info) => info!.address);
}

/** Whether a TCP connection to address:port is accepted. */
function canConnect(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 2_000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

/** The local addresses the process listens on, from /proc (Linux). */
function listeningAddresses(pid: number): string[] | null {
  if (process.platform !== 'linux') return null;
  const inodes = new Set<string>();
  const fdDir = `/proc/${pid}/fd`;
  for (const fd of readdirSync(fdDir)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(path.join(fdDir, fd)));
      if (match?.[1]) inodes.add(match[1]);
    } catch {
      // The descriptor closed meanwhile.
    }
  }
  const found: string[] = [];
  for (const table of ['tcp', 'tcp6']) {
    const rows = readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1);
    for (const row of rows) {
      const cols = row.trim().split(/\s+/);
      // st 0A = LISTEN
      if (cols.length < 10 || cols[3] !== '0A' || !inodes.has(cols[9]!)) continue;
      const [hexAddress = '', hexPort = '0'] = (cols[1] ?? '').split(':');
      const port = Number.parseInt(hexPort, 16);
      if (table === 'tcp') {
        const bytes = hexAddress
          .match(/../g)!
          .map((byte) => Number.parseInt(byte, 16))
          .reverse();
        found.push(`${bytes.join('.')}:${port}`);
      } else {
        found.push(`[${hexAddress}]:${port}`);
      }
    }
  }
  return found;
}

test.describe('who may talk to the host', () => {
  let host: RunningHost;
  let cleanup: () => void;
  test.beforeAll(async () => {
    const dir = makeDataDir();
    cleanup = dir.cleanup;
    host = await startHost({
      dataDir: dir.dataDir,
      env: { MISTRAL_API_KEY: KEY, MISTRAL_BASE_URL: fake.url },
    });
  });
  test.afterAll(async () => {
    await host?.stop();
    cleanup?.();
  });

  test('HTTP: no token, a wrong token, another Host name or a form post are all refused', async () => {
    const url = new URL(host.url);
    const token = url.searchParams.get('token')!;
    const base = `http://${url.host}`;
    // The page itself holds no data: it is served to anyone, and never sets a cookie.
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('set-cookie')).toBeNull();
    expect((await rpc(host, 'conversations.list', {}, { token: null })).status).toBe(401);
    expect(
      (await rpc(host, 'conversations.list', {}, { token: 'x'.repeat(token.length) })).status,
    ).toBe(401);
    expect((await rpc(host, 'conversations.list', {}, { token: 'short' })).status).toBe(401);
    expect(
      (await rpc(host, 'conversations.list', {}, { token: token.slice(1) + 'A' })).status,
    ).toBe(401);
    // Neither a cookie nor the query string carries the token any more.
    expect(
      (
        await rpc(
          host,
          'conversations.list',
          {},
          { token: null, headers: { cookie: `causerie_token=${token}` } },
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await fetch(`${base}/rpc/conversations.list?token=${token}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).status,
    ).toBe(401);
    // DNS rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host name.
    const rebound = await new Promise<number>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: Number(url.port) }, () => {
        socket.write(
          `GET / HTTP/1.1\r\nHost: evil.example:${url.port}\r\nConnection: close\r\n\r\n`,
        );
      });
      let response = '';
      socket.on('data', (data) => (response += data.toString()));
      socket.on('end', () => resolve(Number(/^HTTP\/1\.1 (\d+)/.exec(response)?.[1])));
      socket.on('error', reject);
    });
    expect(rebound).toBe(421);
    // A cross-site form can only send text/plain; the contract refuses anything but JSON.
    const form = await fetch(`${base}/rpc/conversations.create`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', [HOST_TOKEN_HEADER]: token },
      body: '{}',
    });
    expect(form.status).toBe(415);
    // The right token works, so the refusals above were about the token.
    expect((await rpc(host, 'conversations.list', {})).status).toBe(200);
  });

  test('WebSocket: no token, a wrong token, another origin or no origin are refused', async () => {
    const url = new URL(host.url);
    const token = url.searchParams.get('token')!;
    const attempt = (protocols: string[], origin: string | undefined) =>
      new Promise<number | 'open'>((resolve) => {
        const socket = new WebSocket(`ws://${url.host}/ws`, protocols, origin ? { origin } : {});
        socket.once('open', () => {
          socket.close();
          resolve('open');
        });
        socket.once('unexpected-response', (_request, response) => resolve(response.statusCode!));
        socket.once('error', () => undefined);
      });
    const self = `http://${url.host}`;
    const good = [HOST_WS_PROTOCOL, HOST_WS_TOKEN_PREFIX + token];
    expect(await attempt([], self)).toBe(401);
    expect(
      await attempt([HOST_WS_PROTOCOL, HOST_WS_TOKEN_PREFIX + 'y'.repeat(token.length)], self),
    ).toBe(401);
    expect(await attempt(good, 'http://evil.example')).toBe(403);
    expect(await attempt(good, `http://localhost.evil.example:${url.port}`)).toBe(403);
    expect(await attempt(good, 'null')).toBe(403);
    expect(await attempt(good, undefined)).toBe(403);
    expect(await attempt(good, self)).toBe('open');
  });

  test('by default the host listens on loopback only', async () => {
    const url = new URL(host.url);
    expect(url.hostname).toBe('127.0.0.1');
    const listening = listeningAddresses(host.process.pid!);
    if (listening === null) {
      console.log('[faults] /proc is not available here: listening sockets not inspected');
    } else {
      expect(listening).toEqual([`127.0.0.1:${url.port}`]);
    }
    const external = ownExternalAddresses();
    if (external.length === 0) {
      console.log('[faults] this machine has no non-loopback IPv4 address to try');
    }
    for (const address of external) {
      expect(await canConnect(address, Number(url.port)), address).toBe(false);
    }
    expect(await canConnect('127.0.0.1', Number(url.port))).toBe(true);
  });

  test('--host with this machine’s own address listens there, warns, and still wants the token', async () => {
    const [address] = ownExternalAddresses();
    test.skip(address === undefined, 'this machine has no non-loopback IPv4 address');
    const dir = makeDataDir();
    const exposed = await startHostWithArgs(dir.dataDir, ['--host', address!]);
    try {
      const url = new URL(exposed.url);
      expect(url.hostname).toBe(address);
      expect(listeningAddresses(exposed.pid) ?? [`${address}:${url.port}`]).toEqual([
        `${address}:${url.port}`,
      ]);
      expect(await canConnect('127.0.0.1', Number(url.port))).toBe(false);
      expect((await rpc(exposed, 'conversations.list', {}, { token: null })).status).toBe(401);
      expect((await rpc(exposed, 'conversations.list', {})).status).toBe(200);
      // The warning is printed where the user sees it.
      expect(exposed.stderr()).toMatch(/not a loopback address/);
    } finally {
      await exposed.stop();
      dir.cleanup();
    }
  });
});
