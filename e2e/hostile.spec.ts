/**
 * Hostile model output, streamed through the fake Mistral server into the real UI: nothing in a
 * reply may run, fetch, navigate or open a window, and a huge reply must not take the page
 * hostage. One host, one page and a few conversations serve every case, so the whole corpus
 * runs in about two minutes.
 */
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { MAX_LIST_LEVELS } from '../renderer/markdown/deepList';
import { makeDataDir, startHost, type RunningHost } from '../testing/fixtures/causerieHost';
import {
  startFakeMistral,
  toChunks,
  type FakeMistralServer,
} from '../testing/fixtures/fakeMistralServer';
import {
  BIG_CASES,
  chunkText,
  EVIL_HOST,
  HOSTILE_CASES,
  SECRET_PHRASE,
  type BigCase,
  type HostileCase,
} from '../testing/fixtures/hostileCorpus';

declare global {
  interface Window {
    __pwned?: unknown;
    __cspViolations: string[];
    __longTasks: { start: number; duration: number }[];
    __armStopProbe: () => void;
    __stopProbe?: Promise<StopProbeResult>;
  }
}

interface StopProbeResult {
  /** From the pointerdown's timestamp to the Stop button leaving the DOM. */
  latencyMs: number;
  /** From the pointerdown's timestamp to the click listener running: the page's input delay. */
  inputDelayMs: number;
}

/** The budget for handling a click on Stop while a big reply streams. */
const STOP_BUDGET_MS = 200;
const KEY = 'e2e-key-hostile-0000000';

// Not serial: the tests share one host and page through beforeAll, and after a failure Playwright
// starts a fresh worker (and so a fresh host and page) for the rest instead of skipping them.

let fake: FakeMistralServer;
let host: RunningHost;
let cleanup: () => void;
let context: BrowserContext;
let page: Page;
/** Requests for anything but this machine's loopback, whether or not they were blocked. */
const external: string[] = [];
const allRequests: string[] = [];
const popups: string[] = [];
const dialogs: string[] = [];

function isLoopbackUrl(url: URL): boolean {
  if (url.protocol === 'data:' || url.protocol === 'blob:') return true;
  return ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
}

/** Runs in the page before the app: records CSP violations and long tasks, and arms the Stop probe. */
function instrumentPage(): void {
  window.__cspViolations = [];
  // Every violation counts: zod's `new Function` probe is gone (the renderer runs zod jitless).
  document.addEventListener('securitypolicyviolation', (event) => {
    window.__cspViolations.push(
      `${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`,
    );
  });
  window.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
      }
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long-task timing in this browser: the Stop probe still measures.
  }
  window.__armStopProbe = () => {
    window.__stopProbe = new Promise<StopProbeResult>((resolve) => {
      let downAt: number | null = null;
      let clickAt: number | null = null;
      const onDown = (event: PointerEvent) => {
        const target = event.target as Element | null;
        if (target?.closest?.('button.stop')) downAt = event.timeStamp;
      };
      const onClick = () => (clickAt ??= performance.now());
      document.addEventListener('pointerdown', onDown, true);
      document.addEventListener('click', onClick, true);
      const observer = new MutationObserver(() => {
        if (downAt === null || document.querySelector('.composer button.stop')) return;
        observer.disconnect();
        document.removeEventListener('pointerdown', onDown, true);
        document.removeEventListener('click', onClick, true);
        resolve({
          latencyMs: performance.now() - downAt,
          inputDelayMs: (clickAt ?? Number.NaN) - downAt,
        });
      });
      observer.observe(document.body, { childList: true, subtree: true });
    });
  };
}

/** A fresh context and page on the host, instrumented, with every request and popup watched. */
async function openInstrumentedPage(
  browser: Browser,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext();
  await context.addInitScript(instrumentPage);
  // Anything for another host is recorded and refused, so even a slip cannot leak.
  await context.route(
    (url) => !isLoopbackUrl(url),
    (route) => {
      external.push(route.request().url());
      return route.abort('blockedbyclient');
    },
  );
  context.on('request', (request) => {
    allRequests.push(request.url());
    if (!isLoopbackUrl(new URL(request.url()))) external.push(request.url());
  });
  const page = await context.newPage();
  context.on('page', (opened) => popups.push(opened.url()));
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.goto(host.url);
  await expect(page.getByRole('button', { name: 'New chat', exact: true })).toBeVisible();
  return { context, page };
}

test.beforeAll(async ({ browser }) => {
  fake = await startFakeMistral({ apiKey: KEY });
  const dir = makeDataDir();
  cleanup = dir.cleanup;
  host = await startHost({
    dataDir: dir.dataDir,
    env: { MISTRAL_API_KEY: KEY, MISTRAL_BASE_URL: fake.url },
  });
  ({ context, page } = await openInstrumentedPage(browser));
});

test.afterAll(async () => {
  await context?.close();
  await host?.stop();
  await fake?.close();
  cleanup?.();
});

/**
 * Known bug [G-csp-font]: the build inlines KaTeX's smallest font (KaTeX_Size3, under Vite's 4 KB
 * inline limit) as a data: URL, which `font-src 'self'` refuses. It is not a payload doing
 * anything, so it is left out here and asserted, as an expected failure, by its own test below.
 */
function isKatexDataFont(violation: string): boolean {
  return /^font-src data\b/.test(violation);
}

/** Everything that must hold after every case. */
async function expectNothingEscaped(label: string): Promise<void> {
  const state = await page.evaluate(() => ({
    pwned: window.__pwned === undefined ? null : JSON.stringify(window.__pwned),
    csp: window.__cspViolations,
  }));
  expect(state.pwned, `${label}: a payload ran and set window.__pwned`).toBeNull();
  expect(
    state.csp.filter((line) => !isKatexDataFont(line)),
    `${label}: the CSP had to block something the page tried`,
  ).toEqual([]);
  expect(external, `${label}: requests left for another host`).toEqual([]);
  expect(popups, `${label}: a window opened without a click`).toEqual([]);
  expect(dialogs, `${label}: a dialog opened`).toEqual([]);
}

async function newChat(): Promise<string> {
  const before = await page.evaluate(() => location.hash);
  await page.getByRole('button', { name: 'New chat', exact: true }).click();
  await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(before);
  const conversationId = decodeURIComponent(
    (await page.evaluate(() => location.hash)).replace('#/c/', ''),
  );
  // A reply made of markup has no language; make sure no automatic correction adds a turn.
  const token = new URL(host.url).searchParams.get('token') ?? '';
  const result = await page.evaluate(
    async ({ id, token }) => {
      const response = await fetch('/rpc/conversations.update', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-causerie-token': token },
        body: JSON.stringify({ conversationId: id, languageCorrection: 'off' }),
      });
      return (await response.json()) as { ok: boolean };
    },
    { id: conversationId, token },
  );
  expect(result.ok).toBe(true);
  return conversationId;
}

async function send(text: string): Promise<void> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeAttached();
  await box.fill(text);
  await box.press('Enter');
}

function lastReply() {
  return page.getByRole('log', { name: 'Messages' }).locator('li.message-assistant').last();
}

/** Markup in the thread that model output must never produce, as readable problems. */
async function unsafeMarkupInThread(): Promise<string[]> {
  return page.evaluate(() => {
    const issues: string[] = [];
    const root = document.querySelector('ol.messages');
    if (!root) return ['no message list'];
    const forbidden =
      'script,iframe,frame,frameset,object,embed,form,img,image,style,link,meta,base,video,audio,source,track,textarea,select,foreignObject,animate,set,use,portal,template,applet,marquee';
    for (const element of root.querySelectorAll(forbidden)) {
      issues.push(`<${element.tagName.toLowerCase()}> element`);
    }
    for (const input of root.querySelectorAll('input')) {
      if (!(input.type === 'checkbox' && input.disabled)) issues.push(`<input type=${input.type}>`);
    }
    const urlAttributes = new Set([
      'src',
      'srcdoc',
      'action',
      'formaction',
      'xlink:href',
      'data',
      'poster',
      'background',
      'ping',
      'srcset',
    ]);
    for (const element of root.querySelectorAll('*')) {
      for (const attribute of Array.from(element.attributes)) {
        const name = attribute.name.toLowerCase();
        if (name.startsWith('on')) issues.push(`${name} handler on <${element.localName}>`);
        if (urlAttributes.has(name)) issues.push(`${name}= on <${element.localName}>`);
        if (name === 'href' && element.localName !== 'a') {
          issues.push(`href on <${element.localName}>`);
        }
        if (
          name === 'style' &&
          /url\s*\(|expression\s*\(|@import|image-set/i.test(attribute.value)
        ) {
          issues.push(`style that fetches: ${attribute.value.slice(0, 80)}`);
        }
      }
    }
    for (const anchor of root.querySelectorAll('a')) {
      const href = anchor.getAttribute('href') ?? '';
      let url: URL;
      try {
        url = new URL(href);
      } catch {
        issues.push(`link with an unusable href ${JSON.stringify(href.slice(0, 80))}`);
        continue;
      }
      if (!['http:', 'https:', 'mailto:'].includes(url.protocol)) {
        issues.push(`link to ${url.protocol}`);
      }
      // Whoever hovers a link must see where it really goes, without hidden direction tricks.
      if (anchor.title !== anchor.href) issues.push(`link title hides ${anchor.href}`);
      if (/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/.test(anchor.href + anchor.title)) {
        issues.push(`bidi control in link ${JSON.stringify(anchor.href)}`);
      }
      if (anchor.target === '_blank' && !/\bnoopener\b/.test(anchor.rel)) {
        issues.push(`target=_blank without noopener: ${anchor.href}`);
      }
    }
    return issues;
  });
}

async function runSmallCase(item: HostileCase): Promise<void> {
  const marker = `end-of-${item.id}`;
  fake.queue.push({ kind: 'stream', chunks: toChunks(`${item.reply}\n\n${marker}`) });
  await send(item.prompt ?? `Case ${item.id}`);
  const reply = lastReply();
  await expect(reply, item.id).toContainText(marker);
  await expect(reply, item.id).toHaveAttribute('data-status', 'complete');
  expect(await unsafeMarkupInThread(), item.id).toEqual([]);
  // Clicking what a link became must do nothing either.
  for (const inert of await reply.locator('.link-inert').all()) await inert.click();
  await expectNothingEscaped(item.id);
}

const categories = [...new Set(HOSTILE_CASES.map((item) => item.category))];

test(`the corpus has at least 50 small hostile replies (${HOSTILE_CASES.length})`, () => {
  expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(50);
  expect(new Set(HOSTILE_CASES.map((item) => item.id)).size).toBe(HOSTILE_CASES.length);
});

for (const category of categories) {
  const cases = HOSTILE_CASES.filter((item) => item.category === category);
  test(`${category}: ${cases.length} replies render as inert text; nothing runs, loads or opens`, async () => {
    await newChat();
    for (const item of cases) await runSmallCase(item);
    if (category === 'image') {
      // The reply tried to carry what the user typed to evil.example inside an image URL.
      expect(allRequests.filter((url) => url.includes(SECRET_PHRASE))).toEqual([]);
      await expect(page.getByRole('log', { name: 'Messages' })).toContainText(
        `Image from ${EVIL_HOST} not loaded`,
      );
    }
    if (category === 'spoof') {
      // Look-alike hosts are shown as what they are (punycode), not as the brand they imitate.
      const titles = await lastReplyLinkTitles();
      expect(
        titles.every((title) => !/[^\x20-\x7e]/.test(title)),
        titles.join(' '),
      ).toBe(true);
    }
  });
}

test('math fonts all load under the CSP', async () => {
  // Was [G-csp-font]: KaTeX_Size3 used to be inlined as a data: URL that the CSP refused; the
  // renderer build now sets assetsInlineLimit: 0.
  await newChat();
  fake.queue.push({
    kind: 'stream',
    chunks: toChunks(
      '$$\n\\big( \\Big( \\bigg( \\Bigg( x \\Bigg) \\bigg) \\Big) \\big)\n$$\n\nfonts',
    ),
  });
  await send('Big delimiters');
  await expect(lastReply()).toHaveAttribute('data-status', 'complete');
  await expect(lastReply().locator('.katex-display')).toBeVisible();
  const refused = await page.evaluate(async () => {
    await document.fonts.ready;
    return window.__cspViolations;
  });
  expect(refused.filter(isKatexDataFont)).toEqual([]);
});

async function lastReplyLinkTitles(): Promise<string[]> {
  return page
    .getByRole('log', { name: 'Messages' })
    .locator('li.message-assistant a')
    .evaluateAll((anchors) => anchors.map((anchor) => (anchor as HTMLAnchorElement).title));
}

/**
 * Clicks Stop while `big` streams and measures, in the page, from the pointerdown's timestamp to
 * the Stop button leaving the DOM. Also says how the stream ended.
 */
async function measureStop(big: BigCase, text: string) {
  await newChat();
  const chunks = chunkText(text, big.chunkChars);
  await page.evaluate(() => (window.__longTasks.length = 0));
  // Paced to last about twelve seconds, well beyond the moment Stop is clicked.
  fake.queue.push({
    kind: 'stream',
    chunks,
    delayMs: Math.max(5, Math.ceil(12_000 / chunks.length)),
  });
  await send(`Interrupt me: ${big.title}`);
  const stop = page.getByRole('button', { name: 'Stop', exact: true });
  await expect(stop).toBeVisible();
  await expect(lastReply()).toHaveAttribute('data-status', 'streaming');
  // The page is busiest late in the reply: wait until a good part of it is on screen.
  await expect
    .poll(() => lastReply().evaluate((li) => li.textContent?.length ?? 0), { timeout: 10_000 })
    .toBeGreaterThan(big.stopAfterChars);
  await page.evaluate(() => window.__armStopProbe());
  const clickedAt = Date.now();
  await stop.click({ timeout: 5_000 });
  // Anything near this is far over the budget already; waiting longer only costs time.
  await expect(stop).toBeHidden({ timeout: 5_000 });
  const outside = Date.now() - clickedAt;
  const { latencyMs, inputDelayMs } = await page.evaluate(() => window.__stopProbe!);
  const status = await lastReply().getAttribute('data-status');
  // The page shows the reply stopped at once; the host then confirms with the saved text, and
  // the reply's actions come back. That must follow, and the reply must stay stopped.
  await expect(lastReply().getByRole('button', { name: 'Regenerate' })).toBeVisible({
    timeout: 15_000,
  });
  const confirmedAfter = Date.now() - clickedAt;
  await expect(lastReply()).toHaveAttribute('data-status', 'cancelled');
  const longest = await page.evaluate(() =>
    Math.max(0, ...window.__longTasks.map((task) => task.duration)),
  );
  report(
    `${big.id}: Stop handled in ${latencyMs.toFixed(0)} ms (input delay ${inputDelayMs.toFixed(0)} ms; seen from the test ${outside} ms; confirmed by the host after ${confirmedAfter} ms; longest task while streaming ${longest.toFixed(0)} ms; ended ${status})`,
  );
  return { latencyMs, status };
}

/** Streams `big` to the end; returns how long it took and the longest main-thread task meanwhile. */
async function renderFully(big: BigCase, text: string, budgetMs: number) {
  await newChat();
  const chunks = chunkText(text, big.chunkChars);
  await page.evaluate(() => (window.__longTasks.length = 0));
  fake.queue.push({ kind: 'stream', chunks, delayMs: 2 });
  const started = Date.now();
  await send(`Full render: ${big.title}`);
  await expect(lastReply()).toHaveAttribute('data-status', 'complete', { timeout: budgetMs });
  const elapsed = Date.now() - started;
  const longTasks = await page.evaluate(() => window.__longTasks.map((task) => task.duration));
  const longest = Math.max(0, ...longTasks);
  const blocked = longTasks.reduce((sum, duration) => sum + duration, 0);
  report(
    `${big.id}: rendered in ${elapsed} ms; longest main-thread task ${longest.toFixed(0)} ms, ${longTasks.length} long tasks, ${blocked.toFixed(0)} ms blocked`,
  );
  return { elapsed, longest };
}

/** Input delay of one key press in the composer: keydown's timestamp to the input listener. */
async function inputDelay(): Promise<number> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.focus();
  // Listeners first, then the key: the other order can miss the event.
  await page.evaluate(() => {
    const scope = window as unknown as { __inputDelay?: Promise<number> };
    scope.__inputDelay = new Promise<number>((resolve) => {
      let downAt = 0;
      document.addEventListener('keydown', (event) => (downAt = event.timeStamp), {
        once: true,
        capture: true,
      });
      document.addEventListener('input', () => resolve(performance.now() - downAt), {
        once: true,
        capture: true,
      });
    });
  });
  await page.keyboard.press('x');
  const value = await page.evaluate(() =>
    Promise.race([
      (window as unknown as { __inputDelay: Promise<number> }).__inputDelay,
      new Promise<number>((resolve) => setTimeout(() => resolve(Number.POSITIVE_INFINITY), 10_000)),
    ]),
  );
  await box.fill('');
  return value;
}

function report(line: string): void {
  console.log(`[hostile] ${line}`);
  test.info().annotations.push({ type: 'metric', description: line });
}

/**
 * Known rendering bugs, by case id: each entry names what fails and why, and its tests stay,
 * marked as expected failures, so a fix shows up as an unexpected pass. None are open: the 1 MB
 * line, the 500-deep list and the 10 MB reply all pass (see the git history for what they were).
 */
const KNOWN_BUGS: Partial<Record<string, { stop?: string; render?: string }>> = {};

/** How long a full render may take before the page counts as frozen. */
const RENDER_BUDGET_MS = 10_000;

for (const big of BIG_CASES) {
  const known = KNOWN_BUGS[big.id];

  test(`${big.title}: Stop is handled within ${STOP_BUDGET_MS} ms while it streams`, async ({
    browser,
  }) => {
    test.fail(known?.stop !== undefined, `known bug [${known?.stop}], see KNOWN_BUGS`);
    // Long enough that an expected failure is an assertion, never a timeout.
    test.setTimeout(120_000);
    // A page of its own: a frozen page must not take the next case down with it.
    const opened = await openInstrumentedPage(browser);
    const shared = page;
    page = opened.page;
    try {
      const { latencyMs, status } = await measureStop(big, big.build());
      expect(latencyMs).toBeLessThan(STOP_BUDGET_MS);
      // Stopped, not finished on its own before the click got through.
      expect(status).toBe('cancelled');
      expect(await unsafeMarkupInThread()).toEqual([]);
      await expectNothingEscaped(big.id);
    } finally {
      page = shared;
      await opened.context.close();
    }
  });

  test(`${big.title}: renders completely and leaves the page responsive`, async ({ browser }) => {
    test.fail(known?.render !== undefined, `known bug [${known?.render}], see KNOWN_BUGS`);
    test.setTimeout(RENDER_BUDGET_MS + 90_000);
    const opened = await openInstrumentedPage(browser);
    const shared = page;
    page = opened.page;
    try {
      const text = big.build();
      await renderFully(big, text, RENDER_BUDGET_MS);
      const reply = lastReply();
      if (big.id === 'line-1mb') {
        expect(await reply.evaluate((li) => li.textContent?.length ?? 0)).toBeGreaterThan(
          1_048_576,
        );
      } else if (big.id === 'code-2000-lines') {
        await expect(reply.locator('pre code')).toContainText('const v1999 = f(1999');
        await expect(reply.locator('pre code .hljs-keyword').first()).toBeVisible();
      } else if (big.id === 'list-500-deep') {
        const depth = await reply.evaluate((li) => {
          let deepest = 0;
          for (const item of li.querySelectorAll('li')) {
            let level = 0;
            for (let node: Element | null = item; node && node !== li; node = node.parentElement) {
              if (node.localName === 'ul') level += 1;
            }
            deepest = Math.max(deepest, level);
          }
          return deepest;
        });
        // Capped (issue #21): the renderer recurses once per level; every item is still there.
        expect(depth).toBe(MAX_LIST_LEVELS);
        await expect(reply).toContainText('level 499');
      } else {
        // Markdown drops the `**` and the blank lines; the prose itself must all be there.
        expect(await reply.evaluate((li) => li.textContent?.length ?? 0)).toBeGreaterThan(
          9_000_000,
        );
      }
      const delay = await inputDelay();
      report(`${big.id}: input delay on the finished page ${delay.toFixed(0)} ms`);
      expect(delay).toBeLessThan(STOP_BUDGET_MS);
      expect(await unsafeMarkupInThread()).toEqual([]);
      await expectNothingEscaped(big.id);
    } finally {
      page = shared;
      await opened.context.close();
    }
  });
}
