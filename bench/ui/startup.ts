/**
 * bench:ui scenario `startup`: the app started on a heavy user's store (10,000 conversations,
 * 1,000,000 messages: the bench:store data set, built once and cached by seed), timed from
 * navigation to the sidebar's first rows painted and the message box usable, then the JS heap
 * after a GC. Each run is a fresh browser context (its own renderer) on the same host; runs
 * alternate with the same app on an empty store, the baseline the ratio is taken to, so load on
 * a shared machine hits both alike.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright';
import type { RunningHost } from '../../testing/fixtures/causerieHost';
import { BACKUPS_DIR_NAME, DATABASE_FILE_NAME } from '../../electron/core/createCore';
import { backupFileName } from '../../electron/core/store/backups';
import { cachedDataSetFile, dataSetSize } from '../lib/storeDataSet';
import { loadAverage, round, spread } from '../lib/measure';
import { collectGarbage, openSession, readMetrics } from './session';

export const STARTUP_TARGETS = {
  startToInteractiveMs: { max: 600 },
  startHeapMB: { max: 60 },
} as const;

interface StartRun {
  /** Navigation start to the first sidebar row painted and the message box usable. */
  startToInteractiveMs: number;
  /** Navigation start to the first sidebar row (or the empty-sidebar line) painted. */
  sidebarPaintMs: number;
  /** Navigation start to the message box in the DOM and enabled. */
  composerMs: number;
  /** JS heap in use after two GCs, once the start-up has settled (Runtime.getHeapUsage). */
  startHeapMB: number;
  /** The same moment's JSHeapUsedSize (CDP Performance.getMetrics), as the open scenario reads it. */
  jsHeapUsedMB: number;
  sidebarRows: number;
}

/**
 * Puts a store in a data folder for a host to open: a copy of `dataSet` (the cached file stays as
 * built), or none for an empty one. A backup dated today is stubbed in, so the host does not
 * spend the measured runs copying a gigabyte store for its daily backup.
 */
export function prepareDataFolder(dataDir: string, dataSet: string | null, now = Date.now()): void {
  mkdirSync(path.join(dataDir, BACKUPS_DIR_NAME), { recursive: true });
  if (dataSet) copyFileSync(dataSet, path.join(dataDir, DATABASE_FILE_NAME));
  writeFileSync(path.join(dataDir, BACKUPS_DIR_NAME, backupFileName(now)), '');
}

/** One start: navigate, wait for the sidebar's first rows and the message box, read the heap. */
async function startOnce(browser: Browser, host: RunningHost): Promise<StartRun> {
  const session = await openSession(browser);
  try {
    const { page, cdp } = session;
    // Checked on every frame from the first: performance.now() counts from navigation start.
    await page.addInitScript(() => {
      const marks: Record<string, number> = {};
      (window as unknown as { __start: typeof marks }).__start = marks;
      const visible = (element: Element | null) => {
        if (!element) return false;
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
        if (marks.sidebarAt === undefined) {
          const row = document.querySelector('.conversation-list button.conversation-item');
          if (visible(row) || visible(document.querySelector('.sidebar-empty'))) {
            marks.sidebarAt = performance.now();
            afterPaint('sidebarPaintAt');
          }
        }
        if (marks.composerAt === undefined) {
          const box = document.getElementById('composer-input') as HTMLTextAreaElement | null;
          if (box && !box.disabled && !box.readOnly && visible(box)) {
            marks.composerAt = performance.now();
            afterPaint('composerPaintAt');
          }
        }
        if (marks.sidebarAt === undefined || marks.composerAt === undefined) {
          requestAnimationFrame(frame);
        }
      };
      requestAnimationFrame(frame);
    });
    await page.goto(host.url);
    await page.waitForFunction(
      () => {
        const marks = (window as unknown as { __start?: Record<string, number> }).__start;
        return marks?.sidebarPaintAt !== undefined && marks.composerPaintAt !== undefined;
      },
      null,
      { polling: 50, timeout: 60_000 },
    );
    const marks = await page.evaluate(
      () => (window as unknown as { __start: Record<string, number> }).__start,
    );
    // Settle (the counts and any page asked for as the rows came in), then the heap.
    await page.waitForTimeout(1000);
    await collectGarbage(cdp);
    const heap = await cdp.send('Runtime.getHeapUsage');
    const metrics = await readMetrics(cdp);
    const sidebarRows = await page.locator('.conversation-list button.conversation-item').count();
    const sidebarPaintMs = marks.sidebarPaintAt!;
    const composerMs = marks.composerPaintAt!;
    return {
      startToInteractiveMs: round(Math.max(sidebarPaintMs, composerMs), 1),
      sidebarPaintMs: round(sidebarPaintMs, 1),
      composerMs: round(composerMs, 1),
      startHeapMB: round(heap.usedSize / 2 ** 20, 1),
      jsHeapUsedMB: round((metrics.JSHeapUsedSize ?? 0) / 2 ** 20, 1),
      sidebarRows,
    };
  } finally {
    await session.close();
  }
}

/** Runs the scenario; `launchHost` starts a host on a data folder `prepare` has filled. */
export async function startupScenario(options: {
  browser: Browser;
  launchHost: (name: string, prepare: (dataDir: string) => void) => Promise<RunningHost>;
  seed: number;
  scale: number;
  repeats: number;
  log: (text: string) => void;
}) {
  const { browser, log, repeats } = options;
  const dataSet = cachedDataSetFile({ seed: options.seed, scale: options.scale }, log);
  const big = await options.launchHost('startup-big', (dir) => prepareDataFolder(dir, dataSet));
  const empty = await options.launchHost('startup-empty', (dir) => prepareDataFolder(dir, null));
  log('startup: hosts up; one warm-up start each');
  // Warm-up: the host's first answers (statement preparation, page cache) and the browser's
  // first load of the bundle are not what a start costs afterwards.
  await startOnce(browser, big);
  await startOnce(browser, empty);
  const bigRuns: StartRun[] = [];
  const emptyRuns: StartRun[] = [];
  const load: number[][] = [];
  for (let i = 0; i < repeats; i++) {
    bigRuns.push(await startOnce(browser, big));
    emptyRuns.push(await startOnce(browser, empty));
    load.push(loadAverage());
    log(
      `startup ${i + 1}/${repeats}: ${bigRuns.at(-1)!.startToInteractiveMs} ms, ${bigRuns.at(-1)!.startHeapMB} MB (empty store: ${emptyRuns.at(-1)!.startToInteractiveMs} ms, ${emptyRuns.at(-1)!.startHeapMB} MB)`,
    );
  }
  const interactive = spread(bigRuns.map((r) => r.startToInteractiveMs));
  const heap = spread(bigRuns.map((r) => r.startHeapMB));
  const emptyInteractive = spread(emptyRuns.map((r) => r.startToInteractiveMs));
  const emptyHeap = spread(emptyRuns.map((r) => r.startHeapMB));
  return {
    figures: { startToInteractiveMs: interactive.median, startHeapMB: heap.median },
    details: {
      store: { ...dataSetSize(options.scale), seed: options.seed, file: dataSet },
      repeats,
      startToInteractiveMs: interactive,
      sidebarPaintMs: spread(bigRuns.map((r) => r.sidebarPaintMs)),
      composerMs: spread(bigRuns.map((r) => r.composerMs)),
      startHeapMB: heap,
      jsHeapUsedMB: spread(bigRuns.map((r) => r.jsHeapUsedMB)),
      sidebarRowsInDom: spread(
        bigRuns.map((r) => r.sidebarRows),
        0,
      ),
      emptyStore: { startToInteractiveMs: emptyInteractive, startHeapMB: emptyHeap },
      ratioToEmptyStore: {
        startToInteractive: round(interactive.median / emptyInteractive.median, 2),
        startHeap: round(heap.median / emptyHeap.median, 2),
      },
      loadAverageAfterEachPair: load,
    },
  };
}
