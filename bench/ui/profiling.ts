/**
 * Saying where the time goes when a UI target fails: the renderer's JavaScript (CDP Profiler,
 * mapped back through dist/renderer's source maps), the renderer main thread's native work
 * (a Chromium trace: style, layout, paint… as self time per trace event), and the host process
 * (Node's --cpu-prof, mapped through dist/host's source map). Profiles are kept in a temp folder
 * so they can be opened in DevTools afterwards.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, CDPSession, Page } from 'playwright';

/** Where profiles and traces are written. */
export const PROFILE_DIR = path.join(os.tmpdir(), 'causerie-bench-ui-profiles');

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const sourceMaps = new Map<string, SourceMap | null>();

/** The source map of a built file under dist/, by the URL a profile names it with. */
function sourceMapFor(root: string, url: string): SourceMap | null {
  let file: string | null = null;
  const asset = /\/(assets\/[^/?#]+\.js)/.exec(url);
  if (asset?.[1]) file = path.join(root, 'dist', 'renderer', `${asset[1]}.map`);
  else if (url.startsWith('file://')) file = `${fileURLToPath(url)}.map`;
  if (!file) return null;
  if (!sourceMaps.has(file)) {
    sourceMaps.set(
      file,
      existsSync(file)
        ? new SourceMap(JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload)
        : null,
    );
  }
  return sourceMaps.get(file) ?? null;
}

/** A frame as `function source:line`, mapped back to the app's (or a package's) source. */
function frameLabel(root: string, frame: ProfileNode['callFrame']): string {
  if (!frame.url) return frame.functionName || '(native)';
  const entry = sourceMapFor(root, frame.url)?.findEntry(frame.lineNumber, frame.columnNumber);
  if (entry && 'originalSource' in entry && entry.originalSource) {
    const source = entry.originalSource
      .replace(/^.*node_modules\//, 'node_modules/')
      .replace(/^.*\/(renderer|shared|electron)\//, '$1/');
    // Node's mapping carries the original identifier too, though its type leaves it out.
    const name = (entry as { name?: string }).name ?? frame.functionName;
    return `${name || '(anonymous)'} ${source}:${entry.originalLine + 1}`;
  }
  const where = frame.url.replace(/^.*node_modules\//, 'node_modules/').replace(/^.*\//, '');
  return `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
}

/** Self time per function of a CPU profile, biggest first, as printable lines. */
export function summariseCpuProfile(
  root: string,
  profile: CpuProfile,
  title: string,
  top = 20,
): string[] {
  const selfMs = new Map<number, number>();
  profile.samples.forEach((id, i) =>
    selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000),
  );
  const byLabel = new Map<string, number>();
  let busy = 0;
  for (const node of profile.nodes) {
    const ms = selfMs.get(node.id) ?? 0;
    if (node.callFrame.functionName === '(idle)' || ms === 0) continue;
    busy += ms;
    const label = frameLabel(root, node.callFrame);
    byLabel.set(label, (byLabel.get(label) ?? 0) + ms);
  }
  return [
    `${title}: ${Math.round(busy)} ms busy (sampled self time; "(program)" is native work, see the trace)`,
    ...[...byLabel.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([label, ms]) => `  ${ms.toFixed(1).padStart(9)} ms  ${label}`),
  ];
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  args?: { name?: string };
}

/**
 * Self time per trace event on the busiest renderer main thread: how much went to style
 * (UpdateLayoutTree), layout, paint, script (FunctionCall, TimerFire…), GC and so on.
 */
export function summariseTrace(trace: { traceEvents: TraceEvent[] }, top = 16): string[] {
  const mainThreads = new Set(
    trace.traceEvents
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  const byThread = new Map<string, TraceEvent[]>();
  for (const event of trace.traceEvents) {
    const key = `${event.pid}:${event.tid}`;
    if (event.ph !== 'X' || !mainThreads.has(key)) continue;
    let list = byThread.get(key);
    if (!list) byThread.set(key, (list = []));
    list.push(event);
  }
  const busiest = [...byThread.values()].sort((a, b) => total(b) - total(a))[0];
  if (!busiest) return ['trace: no renderer main thread events'];
  busiest.sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
  const self = new Map<string, number>();
  const stack: { event: TraceEvent; end: number; childDur: number }[] = [];
  let tasks = 0;
  const close = (until: number) => {
    while (stack.length > 0 && stack.at(-1)!.end <= until) {
      const done = stack.pop()!;
      const own = (done.event.dur ?? 0) - done.childDur;
      self.set(done.event.name, (self.get(done.event.name) ?? 0) + own / 1000);
      const parent = stack.at(-1);
      if (parent) parent.childDur += done.event.dur ?? 0;
    }
  };
  for (const event of busiest) {
    close(event.ts);
    if (stack.length === 0) tasks += (event.dur ?? 0) / 1000;
    stack.push({ event, end: event.ts + (event.dur ?? 0), childDur: 0 });
  }
  close(Number.POSITIVE_INFINITY);
  return [
    `trace: renderer main thread busy ${Math.round(tasks)} ms in tasks; self time by event:`,
    ...[...self.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => `  ${ms.toFixed(1).padStart(9)} ms  ${name}`),
  ];
}

function total(events: TraceEvent[]): number {
  return events.reduce((sum, e) => sum + (e.dur ?? 0), 0);
}

/** Records the renderer's JavaScript profile and a Chromium trace around one scenario. */
export interface RendererProbe {
  start(page: Page, cdp: CDPSession): Promise<void>;
  stop(cdp: CDPSession): Promise<void>;
  lines: string[];
}

/**
 * Trace categories: the timeline's by default; BENCH_TRACE_CATEGORIES (comma-separated) adds
 * more, e.g. `disabled-by-default-devtools.timeline` to see the compositor commit in each frame.
 */
const TRACE_CATEGORIES = [
  'devtools.timeline',
  'toplevel',
  ...(process.env.BENCH_TRACE_CATEGORIES?.split(',').filter(Boolean) ?? []),
];

export function rendererProbe(root: string, browser: Browser, name: string): RendererProbe {
  const lines: string[] = [];
  return {
    lines,
    async start(page, cdp) {
      await browser.startTracing(page, {
        categories: TRACE_CATEGORIES,
      });
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
      await cdp.send('Profiler.start');
    },
    async stop(cdp) {
      const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
      const trace = await browser.stopTracing();
      mkdirSync(PROFILE_DIR, { recursive: true });
      const profileFile = path.join(PROFILE_DIR, `${name}.cpuprofile`);
      const traceFile = path.join(PROFILE_DIR, `${name}.trace.json`);
      writeFileSync(profileFile, JSON.stringify(profile));
      writeFileSync(traceFile, trace);
      lines.push(
        ...summariseTrace(JSON.parse(trace.toString('utf8')) as { traceEvents: TraceEvent[] }),
        ...summariseCpuProfile(root, profile, 'renderer JavaScript'),
        `  (saved ${profileFile} and ${traceFile})`,
      );
    },
  };
}

/** Summarises the newest Node CPU profile written into `dir` (by a host run with --cpu-prof). */
export function summariseHostProfile(root: string, dir: string): string[] {
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((file) => file.endsWith('.cpuprofile'))
        .map((file) => path.join(dir, file))
    : [];
  const newest = files.sort().at(-1);
  if (!newest) return ['host profile: none written'];
  const profile = JSON.parse(readFileSync(newest, 'utf8')) as CpuProfile;
  return [...summariseCpuProfile(root, profile, 'host process (Node)'), `  (saved ${newest})`];
}
