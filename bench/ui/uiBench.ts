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
import { chromium } from 'playwright';
import { startHost } from '../../testing/fixtures/causerieHost';
import {
  replyByMarker,
  startFakeMistral,
  toChunks,
  type FakeMistralServer,
} from '../../testing/fixtures/fakeMistralServer';
import playwrightConfig, { CHROMIUM_PATH } from '../../playwright.config';
import { buildBaseline, serveBaseline } from './baselinePage';
import { markdownReply, numberedReply } from './corpus';
import { PROFILE_DIR, rendererProbe, summariseHostProfile } from './profiling';
import { median, round } from '../lib/measure';
import { injectCss, providerStart, scripted } from './app';
import { importLongConversation, openLongConversation, type ImportedThread } from './openLong';
import { pipeline, type PipelineRun } from './pipeline';
import { timeDomain } from './session';
import { STARTUP_TARGETS, startupScenario } from './startup';
import { streamBaseline, streamOurs, type StreamRun } from './stream';

const launchArgs = playwrightConfig.use?.launchOptions?.args ?? [];

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
  injectCss(options['inject-css']);
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
        // The startup scenario's store is 1.7 GB: the host's quick_check reads all of it first.
        timeoutMs: prepare ? 300_000 : 15_000,
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
      await streamOurs(browser, host, DELAY_MS, markers.warm, warm);
      if (!options['skip-baseline'])
        await streamBaseline(browser, baselineUrl, DELAY_MS, markers.warm, warm);
      log(`warm-up done; streaming at ${RATE} tokens/s (${DELAY_MS} ms per token)`);

      const smallOurs: StreamRun[] = [];
      for (let i = 0; i < SMALL_REPS; i++) {
        smallOurs.push(await streamOurs(browser, host, DELAY_MS, markers.small, small));
      }
      const skipBaseline = options['skip-baseline'];
      const noBaseline = { mainThreadMs: Number.NaN } as StreamRun;
      const smallBaseline = skipBaseline
        ? noBaseline
        : await streamBaseline(browser, baselineUrl, DELAY_MS, markers.small, small);
      log(
        `${SMALL} tokens: ours ${smallOurs.map((r) => r.mainThreadMs).join(' / ')} ms, baseline ${smallBaseline.mainThreadMs} ms`,
      );
      const largeOurs = await streamOurs(browser, host, DELAY_MS, markers.large, large);
      log(`${LARGE} tokens, ours: ${largeOurs.mainThreadMs} ms main thread`);
      const largeBaseline = skipBaseline
        ? noBaseline
        : await streamBaseline(browser, baselineUrl, DELAY_MS, markers.large, large);
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
      imported = await importLongConversation(host, MESSAGES);
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
      const run = await streamOurs(browser, host, DELAY_MS, markers.largeFast, large, probe);
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
      const seeded = await importLongConversation(seeder, MESSAGES);
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
