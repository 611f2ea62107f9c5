/**
 * `npm run bench:ui`: the renderer under load, in real Chromium through the browser host.
 *
 * The app runs as users run it (`dist/host/index.js` on a temp data folder) against a fake
 * Mistral server speaking the real SSE format, driven through its UI with Playwright. Measured,
 * with CDP Performance.getMetrics (main-thread CPU time) around each scenario:
 *  - streaming a 20,000-token markdown reply (prose, lists, tables, code, math) at a fixed rate:
 *    renderer main-thread time, ours vs a baseline page that re-renders the whole reply with
 *    react-markdown on every delta (bench/ui/baseline), fed the same tokens by the same fake
 *    server at the same rate, in the same run;
 *  - the same for 2,000 tokens (median of --small-reps runs), for how our cost grows;
 *  - opening a 10,000-message conversation (imported through POST /rpc/import.json): click to
 *    messages painted, with the WebSocket round trip split out; DOM size; JS heap after GC;
 *  - the pipeline flat out (50,000 tokens, no delay), on a fresh host and again after the rest:
 *    tokens per second from provider start to the whole reply in the DOM, and that every token
 *    arrived (the worse run counts).
 * Prints a table with PASS/FAIL per target and writes bench/results/ui.json. A failing target is
 * run once more under the profilers (see profiling.ts) and where its time goes is printed.
 *
 *  - starting the app on a 10,000-conversation, 1,000,000-message store (bench/ui/startup.ts):
 *    navigation to the sidebar's first rows painted and the message box usable, and the JS heap
 *    after it, in runs alternating with an empty store.
 *
 * Options: --rate=200 (tokens/s for the streaming runs), --tokens=20000, --small=2000,
 * --small-reps=3, --pipeline=50000, --messages=10000, --only=stream,open,pipeline,startup
 * (e.g. --only=startup for that scenario alone), --seed=20260101 and --store-scale=1 (the
 * startup store, cached under the temp folder by both), --startup-reps=5,
 * --profile (profile every scenario), --profile-delay=1 (ms per token of the profiled stream), --out=bench/results/ui.json, --no-write, --keep (leave the
 * temp folder). For trying a fix without changing the app: --inject-css=CSS (added to its
 * pages) and --skip-baseline.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright';
import { startHost, type RunningHost } from '../../testing/fixtures/causerieHost';
import {
  replyByMarker,
  startFakeMistral,
  toChunks,
  type FakeMistralServer,
} from '../../testing/fixtures/fakeMistralServer';
import playwrightConfig, { CHROMIUM_PATH } from '../../playwright.config';
import { buildBaseline, serveBaseline } from './baselinePage';
import { longConversationExport, markdownReply, numberedReply } from './corpus';
import { PROFILE_DIR, rendererProbe, summariseHostProfile, type RendererProbe } from './profiling';
import { median, round } from '../lib/measure';
import {
  collectGarbage,
  longTasks,
  mainThreadDelta,
  openSession,
  readMetrics,
  timeDomain,
  watchLongTasks,
  type MainThread,
  type Session,
} from './session';
import { STARTUP_TARGETS, startupScenario } from './startup';

const launchArgs = (playwrightConfig.use?.launchOptions?.args ?? []) as string[];

const root = process.env.BENCH_ROOT ?? process.cwd();
const { values: options } = parseArgs({
  options: {
    rate: { type: 'string', default: '200' },
    tokens: { type: 'string', default: '20000' },
    small: { type: 'string', default: '2000' },
    'small-reps': { type: 'string', default: '3' },
    pipeline: { type: 'string', default: '50000' },
    messages: { type: 'string', default: '10000' },
    only: { type: 'string', default: 'stream,open,pipeline,startup' },
    // The startup scenario's store: the bench:store data set of this seed and scale, cached.
    seed: { type: 'string', default: '20260101' },
    'store-scale': { type: 'string', default: '1' },
    'startup-reps': { type: 'string', default: '5' },
    profile: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench/results/ui.json' },
    // For trying a proposed fix without touching the app: CSS added to its pages, no baseline.
    'inject-css': { type: 'string' },
    'skip-baseline': { type: 'boolean', default: false },
    // The profiled stream runs faster by default (same reply, fewer minutes); --profile-delay=5
    // profiles it at the measured rate, where each commit carries what it does in the figures.
    'profile-delay': { type: 'string', default: '1' },
    keep: { type: 'boolean', default: false },
  },
});
const RATE = Number(options.rate);
const PROFILE_DELAY_MS = Math.max(0, Number(options['profile-delay']));
const DELAY_MS = Math.max(0, Math.round(1000 / RATE));
const LARGE = Number(options.tokens);
const SMALL = Number(options.small);
const SMALL_REPS = Math.max(1, Number(options['small-reps']));
const PIPELINE = Number(options.pipeline);
const MESSAGES = Number(options.messages);
const ONLY = new Set(options.only.split(','));
const API_KEY = 'bench-ui-key-000000000000';
const MODEL = 'mistral-small-latest';
const TITLE_10K = 'Bench: 10k-message thread';
/** The browser host reads request bodies up to 4 MiB (MAX_FRAME_BYTES in hostServer.ts). */
const HOST_BODY_LIMIT = 4 * 1024 * 1024;

const TARGETS = {
  ratioVsBaseline: { max: 0.1 },
  growth20kOver2k: { max: 15 },
  open10kMs: { max: 300 },
  domNodes10k: { max: 5_000 },
  heapMB10k: { max: 150 },
  pipelineTokPerSec: { min: 5_000 },
  tokensLost: { max: 0 },
  ...STARTUP_TARGETS,
} as const;
type TargetName = keyof typeof TARGETS;

// ---------------------------------------------------------------------------------------------
// The app and the provider

/** Replies the fake provider gives, by a marker in the user's message. */
const scripted = new Map<string, { chunks: string[]; delayMs: number }>();
/** When the provider received the request for each marker (ms since epoch). */
const providerStart = new Map<string, number>();

function hostRpc(host: RunningHost) {
  const url = new URL(host.url);
  const token = url.searchParams.get('token') ?? '';
  return async (method: string, input: unknown): Promise<unknown> => {
    const response = await fetch(`${url.origin}/rpc/${method}?token=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof input === 'string' ? input : JSON.stringify(input),
    });
    const result = (await response.json()) as { ok: boolean; value?: unknown; error?: unknown };
    if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
    return result.value;
  };
}

/** Loads the app and waits until it is idle. */
async function openApp(session: Session, host: RunningHost): Promise<void> {
  await session.page.goto(host.url);
  await session.page.getByRole('button', { name: 'New chat' }).waitFor();
  if (options['inject-css']) await session.page.addStyleTag({ content: options['inject-css'] });
  await session.page.waitForTimeout(500);
}

interface StreamRun extends MainThread {
  wallMs: number;
  longTasks: { count: number; maxMs: number; totalMs: number };
  heapAfterMB: number;
  /** The stored (ours) or rendered-from (baseline) text equals what the provider sent. */
  textExact: boolean;
  /** Baseline only: React commits and deltas received. */
  commits?: number;
  deltas?: number;
}

/** Ours: New chat, type the marker, Enter, wait until the reply is done; metrics around it. */
async function streamOurs(
  browser: Browser,
  host: RunningHost,
  marker: string,
  expected: string,
  probe?: RendererProbe,
): Promise<StreamRun> {
  const session = await openSession(browser);
  try {
    const { page, cdp } = session;
    await openApp(session, host);
    await page.getByRole('button', { name: 'New chat' }).click();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(marker);
    await watchLongTasks(page);
    await collectGarbage(cdp);
    await page.waitForTimeout(200);
    if (probe) await probe.start(page, cdp);
    const before = await readMetrics(cdp);
    const started = Date.now();
    await box.press('Enter');
    const status = await (
      await page.waitForFunction(
        () => {
          const reply = document.querySelector('li.message-assistant');
          const status = reply?.getAttribute('data-status');
          if (!status || status === 'streaming') return false;
          const stop = [...document.querySelectorAll('button')].some(
            (button) => button.textContent === 'Stop',
          );
          return stop ? false : status;
        },
        null,
        { polling: 100, timeout: timeoutFor(expected) },
      )
    ).jsonValue();
    const wallMs = Date.now() - started;
    const after = await readMetrics(cdp);
    if (probe) await probe.stop(cdp);
    if (status !== 'complete') throw new Error(`reply ended as ${String(status)}`);
    const run: StreamRun = {
      ...mainThreadDelta(before, after),
      wallMs,
      longTasks: await longTasks(page),
      heapAfterMB: round((after.JSHeapUsedSize ?? 0) / 2 ** 20, 1),
      textExact: (await storedReply(host, page)) === expected,
    };
    return run;
  } finally {
    await session.close();
  }
}

/** The reply as the host stored it, for the conversation the page shows. */
async function storedReply(host: RunningHost, page: Page): Promise<string | undefined> {
  const conversationId = decodeURIComponent(new URL(page.url()).hash.replace(/^#\/c\//, ''));
  const opened = (await hostRpc(host)('conversations.open', { conversationId })) as {
    messages: { role: string; content: string }[];
  };
  return opened.messages.findLast((m) => m.role === 'assistant')?.content;
}

/** The baseline page, fed the same marker's stream; metrics around it. */
async function streamBaseline(
  browser: Browser,
  baselineUrl: string,
  marker: string,
  expected: string,
  probe?: RendererProbe,
): Promise<StreamRun> {
  const session = await openSession(browser);
  try {
    const { page, cdp } = session;
    await page.goto(baselineUrl);
    await page.waitForFunction(() => !!(window as { __bench?: unknown }).__bench);
    await page.waitForTimeout(500);
    await watchLongTasks(page);
    await collectGarbage(cdp);
    await page.waitForTimeout(200);
    if (probe) await probe.start(page, cdp);
    const before = await readMetrics(cdp);
    const started = Date.now();
    await page.evaluate(
      (m) => (window as unknown as { __bench: { start(m: string): void } }).__bench.start(m),
      marker,
    );
    await page.waitForFunction(() => !!(window as { __benchDone?: unknown }).__benchDone, null, {
      polling: 100,
      timeout: timeoutFor(expected) * 3,
    });
    const wallMs = Date.now() - started;
    const after = await readMetrics(cdp);
    if (probe) await probe.stop(cdp);
    const done = await page.evaluate(() => {
      const d = (window as { __benchDone?: { commits: number; deltas: number; text: string } })
        .__benchDone!;
      return { commits: d.commits, deltas: d.deltas, text: d.text };
    });
    return {
      ...mainThreadDelta(before, after),
      wallMs,
      longTasks: await longTasks(page),
      heapAfterMB: round((after.JSHeapUsedSize ?? 0) / 2 ** 20, 1),
      textExact: done.text === expected,
      commits: done.commits,
      deltas: done.deltas,
    };
  } finally {
    await session.close();
  }
}

function timeoutFor(text: string): number {
  return Math.round((toChunks(text).length * DELAY_MS * 1.5 + 60_000) * 1);
}

interface OpenRun {
  /** Click to the latest message (where the thread opens) painted. */
  open10kMs: number;
  /** Click to any message painted. */
  firstMessagePaintMs: number;
  domNodes10k: number;
  heapMB10k: number;
  heapBeforeOpenMB: number;
  mainThreadMs: number;
  scriptMs: number;
  layoutMs: number;
  recalcStyleMs: number;
  /** Where the wait goes: click to the `conversations.open` call sent on the WebSocket… */
  clickToRequestMs: number;
  /** …to its answer received (host: query, serialise, send; plus the transfer)… */
  requestToResponseMs: number;
  /** …to the latest message painted (renderer: parse, store, render, layout, paint). */
  responseToPaintMs: number;
  responseBytes: number;
}

interface ImportedThread {
  messagesImported: number;
  averageMessageChars: number;
  importBodyBytes: number;
  lastMessageId: string;
}

/** Seeds the long conversation through the contract, as a user importing an export would. */
async function importLongConversation(host: RunningHost): Promise<ImportedThread> {
  const file = longConversationExport(MESSAGES, TITLE_10K, HOST_BODY_LIMIT - 4096);
  const report = (await hostRpc(host)('import.json', file.body)) as {
    messagesImported: number;
    refused: unknown[];
  };
  if (report.messagesImported !== MESSAGES) {
    throw new Error(
      `import brought ${report.messagesImported} messages: ${JSON.stringify(report)}`,
    );
  }
  return {
    messagesImported: report.messagesImported,
    averageMessageChars: round(file.averageChars, 0),
    importBodyBytes: Buffer.byteLength(file.body),
    lastMessageId: file.lastMessageId,
  };
}

/** Loads the app, clicks the long conversation in the sidebar and times its first paint. */
async function openLongConversation(
  browser: Browser,
  host: RunningHost,
  lastMessageId: string,
  probe?: RendererProbe,
): Promise<OpenRun> {
  const session = await openSession(browser);
  try {
    const { page, cdp } = session;
    // Times the WebSocket round trip of `conversations.open`, to tell host time from page time.
    await page.addInitScript(() => {
      const Native = window.WebSocket;
      const marks: { sends: number[]; answers: { at: number; size: number }[] } = {
        sends: [],
        answers: [],
      };
      (window as unknown as { __ws: typeof marks }).__ws = marks;
      // The answer is the result frame carrying the call's id.
      const openCallIds = new Set<number>();
      window.WebSocket = class extends Native {
        constructor(url: string | URL, protocols?: string | string[]) {
          super(url, protocols);
          this.addEventListener('message', (event: MessageEvent) => {
            if (typeof event.data !== 'string' || !event.data.startsWith('{"type":"result"'))
              return;
            const id = /^\{"type":"result","id":(\d+)/.exec(event.data)?.[1];
            if (id !== undefined && openCallIds.has(Number(id))) {
              marks.answers.push({ at: performance.now(), size: event.data.length });
            }
          });
        }
        override send(data: Parameters<WebSocket['send']>[0]) {
          if (typeof data === 'string' && data.includes('"conversations.open"')) {
            marks.sends.push(performance.now());
            openCallIds.add((JSON.parse(data) as { id: number }).id);
          }
          super.send(data);
        }
      };
    });
    await openApp(session, host);
    const item = page.locator('button.conversation-item', { hasText: TITLE_10K });
    await item.waitFor();
    await page.waitForTimeout(500);
    await collectGarbage(cdp);
    const heapBefore = (await readMetrics(cdp)).JSHeapUsedSize ?? 0;
    await page.evaluate((lastId) => {
      type Marks = Record<string, number>;
      const marks: Marks = ((window as unknown as { __open: Marks }).__open = {});
      const visible = (element: Element) => {
        const box = element.getBoundingClientRect();
        return box.height > 0 && box.bottom > 0 && box.top < innerHeight;
      };
      // Called from a rAF callback: a message posted now runs once this frame has been rendered.
      const afterPaint = (key: string) => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => (marks[key] = performance.now());
        channel.port2.postMessage(0);
      };
      const frame = () => {
        // Checked once per frame: what is in the DOM and in view now is what this frame paints.
        const messages = [...document.querySelectorAll('ol.messages li.message')];
        if (marks.firstAt === undefined && messages.some(visible)) {
          marks.firstAt = performance.now();
          afterPaint('firstPaintAt');
        }
        const last = document.querySelector(`li[data-message-id="${lastId}"]`);
        if (marks.lastAt === undefined && last && visible(last)) {
          marks.lastAt = performance.now();
          afterPaint('lastPaintAt');
        }
        if (marks.firstAt === undefined || marks.lastAt === undefined) requestAnimationFrame(frame);
      };
      document.addEventListener(
        'click',
        (event) => {
          marks.clickAt = event.timeStamp;
          requestAnimationFrame(frame);
        },
        { capture: true, once: true },
      );
    }, lastMessageId);
    if (probe) await probe.start(page, cdp);
    const before = await readMetrics(cdp);
    await item.click();
    await page.waitForFunction(
      () => {
        const marks = (window as unknown as { __open: Record<string, number> }).__open;
        return marks.firstPaintAt !== undefined && marks.lastPaintAt !== undefined;
      },
      null,
      { timeout: 60_000 },
    );
    const after = await readMetrics(cdp);
    if (probe) await probe.stop(cdp);
    const marks = await page.evaluate(
      () => (window as unknown as { __open: Record<string, number> }).__open,
    );
    const socket = await page.evaluate(
      () =>
        (
          window as unknown as {
            __ws: { sends: number[]; answers: { at: number; size: number }[] };
          }
        ).__ws,
    );
    const sentAt = socket.sends.find((at) => at >= marks.clickAt!) ?? Number.NaN;
    const answer = socket.answers.find((a) => a.at >= sentAt);
    await page.waitForTimeout(1000);
    const domNodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    await collectGarbage(cdp);
    const heap = (await readMetrics(cdp)).JSHeapUsedSize ?? 0;
    const { mainThreadMs, scriptMs, layoutMs, recalcStyleMs } = mainThreadDelta(before, after);
    return {
      open10kMs: round(marks.lastPaintAt! - marks.clickAt!, 1),
      firstMessagePaintMs: round(marks.firstPaintAt! - marks.clickAt!, 1),
      domNodes10k: domNodes,
      heapMB10k: round(heap / 2 ** 20, 1),
      heapBeforeOpenMB: round(heapBefore / 2 ** 20, 1),
      mainThreadMs,
      scriptMs,
      layoutMs,
      recalcStyleMs,
      clickToRequestMs: round(sentAt - marks.clickAt!, 1),
      requestToResponseMs: round((answer?.at ?? Number.NaN) - sentAt, 1),
      responseToPaintMs: round(marks.lastPaintAt! - (answer?.at ?? Number.NaN), 1),
      responseBytes: answer?.size ?? 0,
    };
  } finally {
    await session.close();
  }
}

interface PipelineRun {
  pipelineTokPerSec: number;
  tokensSent: number;
  tokensFound: number;
  tokensLost: number;
  domTextExact: boolean;
  storedTextExact: boolean;
  providerToDomMs: number;
  mainThreadMs: number;
}

/** The provider sends flat out; tokens per second until the whole reply is in the DOM. */
async function pipeline(
  browser: Browser,
  host: RunningHost,
  marker: string,
  expected: string,
  probe?: RendererProbe,
): Promise<PipelineRun> {
  const session = await openSession(browser);
  try {
    const { page, cdp } = session;
    await openApp(session, host);
    await page.getByRole('button', { name: 'New chat' }).click();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(marker);
    await collectGarbage(cdp);
    if (probe) await probe.start(page, cdp);
    const before = await readMetrics(cdp);
    await box.press('Enter');
    const result = (await (
      await page.waitForFunction(
        () => {
          const reply = document.querySelector('li.message-assistant');
          const status = reply?.getAttribute('data-status');
          if (!status || status === 'streaming') return false;
          return { status, at: Date.now() };
        },
        null,
        { polling: 'raf', timeout: 180_000 },
      )
    ).jsonValue()) as { status: string; at: number };
    const after = await readMetrics(cdp);
    if (probe) await probe.stop(cdp);
    if (result.status !== 'complete') throw new Error(`reply ended as ${result.status}`);
    const started = providerStart.get(marker);
    if (started === undefined) throw new Error('the provider never saw the request');
    // Parts of a long reply far from view are in the DOM but not laid out (content-visibility:
    // auto; hidden="until-found" for text not parsed yet), and innerText leaves out what is not
    // rendered. The count reads a copy laid out in full, off screen (the timing is over).
    const domText = await page.evaluate(() => {
      const body = document.querySelector('li.message-assistant .message-body') as HTMLElement;
      const copy = body.cloneNode(true) as HTMLElement;
      for (const element of copy.querySelectorAll('[hidden]')) element.removeAttribute('hidden');
      for (const element of copy.querySelectorAll<HTMLElement>('*')) {
        element.style.contentVisibility = 'visible';
      }
      const holder = document.createElement('div');
      holder.style.cssText = 'position:absolute;left:-100000px;top:0;width:800px';
      holder.append(copy);
      document.body.append(holder);
      const text = copy.innerText;
      holder.remove();
      return text;
    });
    const sent = expected.split(/\s+/).filter(Boolean);
    const shown = domText.split(/\s+/).filter(Boolean);
    const shownSet = new Set(shown);
    const found = sent.filter((token) => shownSet.has(token)).length;
    const providerToDomMs = result.at - started;
    return {
      pipelineTokPerSec: Math.round(sent.length / (providerToDomMs / 1000)),
      tokensSent: sent.length,
      tokensFound: found,
      tokensLost: sent.length - found,
      domTextExact: shown.length === sent.length && shown.every((token, i) => token === sent[i]),
      storedTextExact: (await storedReply(host, page)) === expected,
      providerToDomMs,
      mainThreadMs: mainThreadDelta(before, after).mainThreadMs,
    };
  } finally {
    await session.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting

function verdict(name: TargetName, value: number | undefined): 'PASS' | 'FAIL' | 'n/a' {
  if (value === undefined || Number.isNaN(value)) return 'n/a';
  const target = TARGETS[name] as { max?: number; min?: number };
  if (target.max !== undefined && value > target.max) return 'FAIL';
  if (target.min !== undefined && value < target.min) return 'FAIL';
  return 'PASS';
}

function printTable(figures: Partial<Record<TargetName, number>>): Record<string, string> {
  const verdicts: Record<string, string> = {};
  const rows = (Object.keys(TARGETS) as TargetName[]).map((name) => {
    const target = TARGETS[name] as { max?: number; min?: number };
    const goal = target.max !== undefined ? `<= ${target.max}` : `>= ${target.min}`;
    const result = verdict(name, figures[name]);
    verdicts[name] = result;
    return [name, String(figures[name] ?? '-'), goal, result];
  });
  const widths = [0, 1, 2, 3].map((i) =>
    Math.max(...[['metric', 'value', 'target', ''], ...rows].map((row) => row[i]!.length)),
  );
  const line = (row: string[]) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  console.log('\n' + line(['metric', 'value', 'target', '']));
  for (const row of rows) console.log(line(row));
  return verdicts;
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const hostEntry = path.join(root, 'dist', 'host', 'index.js');
  if (!existsSync(hostEntry)) {
    console.error('dist/host/index.js is missing: run `npm run build` first.');
    return 2;
  }
  const temp = mkdtempSync(path.join(os.tmpdir(), 'causerie-bench-ui-'));
  const cleanups: (() => Promise<void> | void)[] = [];
  const began = Date.now();
  const loadAtStart = os.loadavg()[0] ?? 0;
  const log = (text: string) =>
    console.log(`[bench:ui +${((Date.now() - began) / 1000).toFixed(0)}s] ${text}`);
  try {
    const large = markdownReply(LARGE);
    const small = markdownReply(SMALL);
    const warm = markdownReply(300);
    const flat = numberedReply(PIPELINE);
    const markers = {
      large: `#bench-ui-md-${LARGE}`,
      /** The same reply, faster, for the profiling pass: same commits' shape in less time. */
      largeFast: `#bench-ui-md-fast-${LARGE}`,
      small: `#bench-ui-md-${SMALL}`,
      warm: '#bench-ui-md-warm',
      pipeline: `#bench-ui-flat-${PIPELINE}`,
    };
    const texts = new Map<string, string>([
      [markers.large, large],
      [markers.largeFast, large],
      [markers.small, small],
      [markers.warm, warm],
      [markers.pipeline, flat],
    ]);
    for (const [marker, text] of texts) {
      const delayMs =
        marker === markers.pipeline
          ? 0
          : marker === markers.largeFast
            ? PROFILE_DELAY_MS
            : DELAY_MS;
      const chunks = toChunks(text);
      if (chunks.join('') !== text) throw new Error(`chunks of ${marker} do not join back`);
      scripted.set(marker, { chunks, delayMs });
    }

    const fake: FakeMistralServer = await startFakeMistral({
      apiKey: API_KEY,
      script: (request) => {
        const last = request.body.messages?.at(-1)?.content ?? '';
        // Longest first: one marker may contain another.
        const marker = [...scripted.keys()]
          .sort((a, b) => b.length - a.length)
          .find((m) => last.includes(m));
        const reply = marker ? scripted.get(marker) : undefined;
        if (!marker || !reply) return replyByMarker(request);
        providerStart.set(marker, Date.now());
        return { kind: 'stream', chunks: reply.chunks, delayMs: reply.delayMs };
      },
    });
    cleanups.push(() => fake.close());

    /** A browser host on its own data folder; with `cpuProfileDir`, Node profiles it. */
    const launchHost = async (
      name: string,
      cpuProfileDir?: string,
      prepare?: (dataDir: string) => void,
    ) => {
      const dataDir = path.join(temp, name);
      mkdirSync(dataDir, { recursive: true });
      prepare?.(dataDir);
      const host = await startHost({
        dataDir,
        env: {
          MISTRAL_API_KEY: API_KEY,
          MISTRAL_BASE_URL: fake.url,
          NODE_OPTIONS: cpuProfileDir
            ? `--cpu-prof --cpu-prof-dir=${cpuProfileDir} --cpu-prof-interval=500`
            : undefined,
        },
      });
      cleanups.push(() => host.stop());
      return host;
    };
    const host = await launchHost('data');
    log(`host at ${new URL(host.url).origin}, fake provider at ${fake.url}`);

    let baselineUrl = '';
    if (ONLY.has('stream')) {
      const baselineDir = path.join(temp, 'baseline');
      await buildBaseline(root, baselineDir);
      const baseline = await serveBaseline({
        dir: baselineDir,
        providerUrl: fake.url,
        apiKey: API_KEY,
        model: MODEL,
      });
      cleanups.push(() => baseline.close());
      baselineUrl = baseline.url;
      log(`baseline page built, served at ${baselineUrl}`);
    }

    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: launchArgs,
      headless: true,
    });
    cleanups.push(() => browser.close());

    const figures: Partial<Record<TargetName, number>> = {};
    const details: Record<string, unknown> = {};

    // The pipeline runs twice, on a fresh host and after everything else; the worse one counts.
    const pipelineRuns: PipelineRun[] = [];
    if (ONLY.has('pipeline')) {
      pipelineRuns.push(await pipeline(browser, host, markers.pipeline, flat));
      log(`pipeline (fresh host): ${pipelineRuns[0]!.pipelineTokPerSec} tokens/s`);
    }

    if (ONLY.has('stream')) {
      // Warm-up: the first reply pays for loading chunks (KaTeX, grammars) in both pages.
      await streamOurs(browser, host, markers.warm, warm);
      if (!options['skip-baseline']) await streamBaseline(browser, baselineUrl, markers.warm, warm);
      log(`warm-up done; streaming at ${RATE} tokens/s (${DELAY_MS} ms per token)`);

      const smallOurs: StreamRun[] = [];
      for (let i = 0; i < SMALL_REPS; i++) {
        smallOurs.push(await streamOurs(browser, host, markers.small, small));
      }
      const skipBaseline = options['skip-baseline'];
      const noBaseline = { mainThreadMs: Number.NaN } as StreamRun;
      const smallBaseline = skipBaseline
        ? noBaseline
        : await streamBaseline(browser, baselineUrl, markers.small, small);
      log(
        `${SMALL} tokens: ours ${smallOurs.map((r) => r.mainThreadMs).join(' / ')} ms, baseline ${smallBaseline.mainThreadMs} ms`,
      );
      const largeOurs = await streamOurs(browser, host, markers.large, large);
      log(`${LARGE} tokens, ours: ${largeOurs.mainThreadMs} ms main thread`);
      const largeBaseline = skipBaseline
        ? noBaseline
        : await streamBaseline(browser, baselineUrl, markers.large, large);
      log(`${LARGE} tokens, baseline: ${largeBaseline.mainThreadMs} ms main thread`);

      const smallMs = median(smallOurs.map((r) => r.mainThreadMs));
      figures.ratioVsBaseline = round(largeOurs.mainThreadMs / largeBaseline.mainThreadMs, 4);
      figures.growth20kOver2k = round(largeOurs.mainThreadMs / smallMs, 2);
      details.stream = {
        ratePerSec: RATE,
        delayMsPerToken: DELAY_MS,
        tokensLarge: LARGE,
        tokensSmall: SMALL,
        charsLarge: large.length,
        charsSmall: small.length,
        mainThreadMs: largeOurs.mainThreadMs,
        baselineMainThreadMs: largeBaseline.mainThreadMs,
        mainThreadMsSmallMedian: smallMs,
        baselineMainThreadMsSmall: smallBaseline.mainThreadMs,
        ratioVsBaselineSmall: round(smallMs / smallBaseline.mainThreadMs, 4),
        baselineGrowth20kOver2k: round(largeBaseline.mainThreadMs / smallBaseline.mainThreadMs, 2),
        oursLarge: largeOurs,
        baselineLarge: largeBaseline,
        oursSmall: smallOurs,
        baselineSmall: smallBaseline,
      };
      if (!largeOurs.textExact || largeBaseline.textExact === false) {
        console.warn('warning: a streamed text did not arrive exactly (see textExact)');
      }
    }

    let imported: ImportedThread | undefined;
    if (ONLY.has('open')) {
      imported = await importLongConversation(host);
      const run = await openLongConversation(browser, host, imported.lastMessageId);
      log(`open ${MESSAGES}: ${run.open10kMs} ms, ${run.domNodes10k} nodes, ${run.heapMB10k} MB`);
      figures.open10kMs = run.open10kMs;
      figures.domNodes10k = run.domNodes10k;
      figures.heapMB10k = run.heapMB10k;
      details.open = { ...imported, ...run };
    }

    if (ONLY.has('pipeline')) {
      pipelineRuns.push(await pipeline(browser, host, markers.pipeline, flat));
      const worst = pipelineRuns.reduce((a, b) =>
        b.pipelineTokPerSec < a.pipelineTokPerSec || b.tokensLost > a.tokensLost ? b : a,
      );
      log(
        `pipeline (after the rest): ${pipelineRuns[1]!.pipelineTokPerSec} tokens/s; lost ${pipelineRuns.map((r) => r.tokensLost).join(', ')}`,
      );
      figures.pipelineTokPerSec = worst.pipelineTokPerSec;
      figures.tokensLost = Math.max(...pipelineRuns.map((r) => r.tokensLost));
      details.pipeline = { freshHost: pipelineRuns[0], afterTheRest: pipelineRuns[1] };
    }

    if (ONLY.has('startup')) {
      const startup = await startupScenario({
        browser,
        launchHost: (name, prepare) => launchHost(name, undefined, prepare),
        seed: Number(options.seed),
        scale: Number(options['store-scale']),
        repeats: Math.max(1, Number(options['startup-reps'])),
        log,
      });
      Object.assign(figures, startup.figures);
      details.startup = startup.details;
    }

    const verdicts = printTable(figures);
    const busiest = Math.max(loadAtStart, os.loadavg()[0] ?? 0);
    if (busiest > os.cpus().length * 0.75) {
      console.warn(
        `warning: load average ${busiest.toFixed(1)} on ${os.cpus().length} cores: other work was running, so these figures are noisy`,
      );
    }

    // A failing target is run once more under the profilers, to say where the time goes.
    const profiles: Record<string, string[]> = {};
    const wanted = (...names: TargetName[]) =>
      options.profile || names.some((name) => verdicts[name] === 'FAIL');
    const report = (name: string, lines: string[]) => {
      profiles[name] = lines;
      console.log(`\n--- where the time goes: ${name} ---`);
      for (const line of lines) console.log(line);
    };
    if (ONLY.has('stream') && wanted('ratioVsBaseline', 'growth20kOver2k')) {
      log(`profiling the ${LARGE}-token stream (ours, at ${PROFILE_DELAY_MS} ms per token)`);
      const probe = rendererProbe(root, browser, 'stream-ours');
      const run = await streamOurs(browser, host, markers.largeFast, large, probe);
      report('stream', [
        `(profiled run: ${run.mainThreadMs} ms main thread, layout ${run.layoutMs} ms, style ${run.recalcStyleMs} ms, script ${run.scriptMs} ms, over ${run.wallMs} ms)`,
        ...probe.lines,
      ]);
    }
    if (ONLY.has('pipeline') && wanted('pipelineTokPerSec', 'tokensLost')) {
      log('profiling the pipeline (renderer and host)');
      const dir = path.join(PROFILE_DIR, `host-pipeline-${Date.now()}`);
      const profiled = await launchHost('profile-pipeline', dir);
      const probe = rendererProbe(root, browser, 'pipeline');
      const run = await pipeline(browser, profiled, markers.pipeline, flat, probe);
      await profiled.stop();
      report('pipeline', [
        `(profiled run: ${run.pipelineTokPerSec} tokens/s, renderer main thread ${run.mainThreadMs} ms of ${run.providerToDomMs} ms)`,
        ...probe.lines,
        ...summariseHostProfile(root, dir),
      ]);
    }
    if (ONLY.has('open') && wanted('open10kMs', 'domNodes10k', 'heapMB10k')) {
      log(`profiling the ${MESSAGES}-message open (renderer and host)`);
      const dir = path.join(PROFILE_DIR, `host-open-${Date.now()}`);
      // Seeded by a first host, profiled in a second on the same folder: the import stays out.
      const seeder = await launchHost('profile-open');
      const seeded = await importLongConversation(seeder);
      await seeder.stop();
      const profiled = await launchHost('profile-open', dir);
      const probe = rendererProbe(root, browser, 'open10k');
      const run = await openLongConversation(browser, profiled, seeded.lastMessageId, probe);
      await profiled.stop();
      report('open', [
        `(profiled run: ${run.open10kMs} ms to the latest message painted, renderer main thread ${run.mainThreadMs} ms)`,
        ...probe.lines,
        ...summariseHostProfile(root, dir),
      ]);
    }

    const stream = details.stream as Record<string, number> | undefined;
    const result = {
      date: new Date().toISOString(),
      machine: {
        cpu: os.cpus()[0]?.model ?? 'unknown',
        cores: os.cpus().length,
        memoryGB: round(os.totalmem() / 2 ** 30, 1),
        platform: `${os.platform()} ${os.release()}`,
        node: process.version,
        chromium: browser.version(),
        // Other work on the machine skews the figures: compare runs made on a quiet machine.
        loadAverage1m: { atStart: round(loadAtStart, 2), atEnd: round(os.loadavg()[0] ?? 0, 2) },
      },
      method: {
        metrics: `CDP Performance.getMetrics (timeDomain ${timeDomain}: main-thread CPU time) read before Enter and after the reply is done; mainThreadMs = TaskDuration`,
        streamRate: `${RATE} tokens/s nominal: word-sized SSE chunks with ${DELAY_MS} ms between them from the fake provider, for ours and the baseline alike`,
        baseline:
          'bench/ui/baseline: react-markdown 10 with GFM, math (KaTeX) and lowlight highlighting, the whole reply re-rendered on every delta; fed by the same fake server through a same-origin proxy',
        open: 'click on the sidebar item to the latest message painted (checked each frame; time taken after that frame); firstMessagePaintMs is any message painted',
        pipeline:
          'provider request received to the reply complete in the DOM (rAF polling), delayMs 0; DOM words compared with the sent words',
        startup:
          'navigation start to the first sidebar row and the enabled message box both painted (checked each frame); heap = Runtime.getHeapUsage usedSize after two HeapProfiler.collectGarbage, 1 s after; median and min-max of runs alternating with an empty store',
      },
      mainThreadMs: stream?.mainThreadMs,
      baselineMainThreadMs: stream?.baselineMainThreadMs,
      ratioVsBaseline: figures.ratioVsBaseline,
      growth20kOver2k: figures.growth20kOver2k,
      open10kMs: figures.open10kMs,
      domNodes10k: figures.domNodes10k,
      heapMB10k: figures.heapMB10k,
      pipelineTokPerSec: figures.pipelineTokPerSec,
      tokensLost: figures.tokensLost,
      startToInteractiveMs: figures.startToInteractiveMs,
      startHeapMB: figures.startHeapMB,
      ratePerSec: RATE,
      pipelineTokens: PIPELINE,
      targets: TARGETS,
      verdicts,
      details,
      profiles,
      durationSec: Math.round((Date.now() - began) / 1000),
    };
    if (!options['no-write']) {
      const out = path.resolve(root, options.out);
      mkdirSync(path.dirname(out), { recursive: true });
      writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
      log(`wrote ${path.relative(root, out)}`);
    }
    return Object.values(verdicts).includes('FAIL') ? 1 : 0;
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    if (options.keep) console.log(`kept ${temp}`);
    else rmSync(temp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
