/**
 * bench:ui scenario `stream`: a long markdown reply streamed at a fixed rate, ours against a
 * baseline page that re-renders the whole reply with react-markdown on every delta; renderer
 * main-thread time around each.
 */
import type { Browser } from 'playwright';
import type { RunningHost } from '../../testing/fixtures/causerieHost';
import { toChunks } from '../../testing/fixtures/fakeMistralServer';
import { round } from '../lib/measure';
import { openApp, storedReply } from './app';
import type { RendererProbe } from './profiling';
import {
  collectGarbage,
  longTasks,
  mainThreadDelta,
  openSession,
  readMetrics,
  watchLongTasks,
  type MainThread,
} from './session';

export interface StreamRun extends MainThread {
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
export async function streamOurs(
  browser: Browser,
  host: RunningHost,
  delayMs: number,
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
        { polling: 100, timeout: timeoutFor(expected, delayMs) },
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

/** The baseline page, fed the same marker's stream; metrics around it. */
export async function streamBaseline(
  browser: Browser,
  baselineUrl: string,
  delayMs: number,
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
      timeout: timeoutFor(expected, delayMs) * 3,
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

/** Long enough for `text` streamed at `delayMs` per token, with a minute to spare. */
export function timeoutFor(text: string, delayMs: number): number {
  return Math.round(toChunks(text).length * delayMs * 1.5 + 60_000);
}
