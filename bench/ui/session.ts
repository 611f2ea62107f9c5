/** Chromium pages and CDP for bench:ui: a fresh context per run, metrics, GC, long tasks. */
import type { Browser, BrowserContext, CDPSession, Page } from 'playwright';
import { round } from '../lib/measure';

/** The clock CDP's metrics use: main-thread CPU time where Chromium offers it. */
export let timeDomain: 'threadTicks' | 'timeTicks' = 'threadTicks';

export interface Session {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  close(): Promise<void>;
}

/** A fresh context and page (its own renderer process), with CDP performance metrics on. */
export async function openSession(browser: Browser): Promise<Session> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  try {
    await cdp.send('Performance.enable', { timeDomain });
  } catch {
    timeDomain = 'timeTicks';
    await cdp.send('Performance.enable', { timeDomain });
  }
  return { context, page, cdp, close: () => context.close() };
}

export type Metrics = Record<string, number>;

export async function readMetrics(cdp: CDPSession): Promise<Metrics> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return Object.fromEntries(metrics.map((m) => [m.name, m.value]));
}

export async function collectGarbage(cdp: CDPSession): Promise<void> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
}

export interface MainThread {
  /** TaskDuration: all main-thread work (script, style, layout, paint setup, GC, parsing). */
  mainThreadMs: number;
  scriptMs: number;
  layoutMs: number;
  recalcStyleMs: number;
  layoutCount: number;
  recalcStyleCount: number;
}

export function mainThreadDelta(before: Metrics, after: Metrics): MainThread {
  const ms = (name: string) => round(((after[name] ?? 0) - (before[name] ?? 0)) * 1000, 1);
  const count = (name: string) => (after[name] ?? 0) - (before[name] ?? 0);
  return {
    mainThreadMs: ms('TaskDuration'),
    scriptMs: ms('ScriptDuration'),
    layoutMs: ms('LayoutDuration'),
    recalcStyleMs: ms('RecalcStyleDuration'),
    layoutCount: count('LayoutCount'),
    recalcStyleCount: count('RecalcStyleCount'),
  };
}

/** Records long tasks (> 50 ms) from now on in the page. */
export async function watchLongTasks(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __longTasks: number[] };
    w.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasks.push(entry.duration);
    }).observe({ type: 'longtask' });
  });
}

export async function longTasks(
  page: Page,
): Promise<{ count: number; maxMs: number; totalMs: number }> {
  const durations = await page.evaluate(
    () => (window as unknown as { __longTasks?: number[] }).__longTasks ?? [],
  );
  return {
    count: durations.length,
    maxMs: round(Math.max(0, ...durations), 1),
    totalMs: round(
      durations.reduce((a, b) => a + b, 0),
      1,
    ),
  };
}
