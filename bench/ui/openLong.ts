/**
 * bench:ui scenario `open`: a 10,000-message conversation (imported through POST
 * /rpc/import.json) opened from the sidebar: click to messages painted, with the WebSocket round
 * trip split out; DOM size; JS heap after GC.
 */
import type { Browser } from 'playwright';
import type { RunningHost } from '../../testing/fixtures/causerieHost';
import { round } from '../lib/measure';
import { hostRpc, openApp } from './app';
import { longConversationExport } from './corpus';
import type { RendererProbe } from './profiling';
import { collectGarbage, mainThreadDelta, openSession, readMetrics } from './session';

/** The long conversation's title, by which the sidebar item is found. */
export const TITLE_10K = 'Bench: 10k-message thread';
/** The browser host reads request bodies up to 4 MiB (MAX_RPC_BODY_BYTES in shared/hostProtocol.ts). */
const HOST_BODY_LIMIT = 4 * 1024 * 1024;

export interface OpenRun {
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

export interface ImportedThread {
  messagesImported: number;
  averageMessageChars: number;
  importBodyBytes: number;
  lastMessageId: string;
}

/** Seeds the long conversation through the contract, as a user importing an export would. */
export async function importLongConversation(
  host: RunningHost,
  messages: number,
): Promise<ImportedThread> {
  const MESSAGES = messages;
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
export async function openLongConversation(
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
