/**
 * Hostile replies aimed at the person rather than the page: math built to freeze it, code whose
 * bidirectional controls make it read unlike what it does (Trojan Source), and links to this
 * machine or the local network. Each reply comes from the fake Mistral server, as a model's would.
 */
import { expect, test, type Page } from '@playwright/test';
import { useSharedHost } from '../testing/fixtures/sharedHost';

const KEY = 'e2e-key-links-math-0000';
const shared = useSharedHost(KEY);

declare global {
  interface Window {
    __taskDurations: number[];
  }
}

/** Records every main-thread task over 50 ms, from before the app starts. */
function recordLongTasks(): void {
  window.__taskDurations = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) window.__taskDurations.push(entry.duration);
  }).observe({ type: 'longtask', buffered: true });
}

async function openApp(page: Page): Promise<void> {
  await page.addInitScript(recordLongTasks);
  await page.goto(shared.host.url);
  await expect(page.getByRole('button', { name: 'New chat', exact: true })).toBeVisible();
}

/** A new conversation whose language correction is off: a reply of markup has no language. */
async function newChat(page: Page): Promise<void> {
  const before = await page.evaluate(() => location.hash);
  await page.getByRole('button', { name: 'New chat', exact: true }).click();
  await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(before);
  const id = decodeURIComponent((await page.evaluate(() => location.hash)).replace('#/c/', ''));
  const result = await page.evaluate(async (conversationId) => {
    const response = await fetch('/rpc/conversations.update', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ conversationId, languageCorrection: 'off' }),
    });
    return (await response.json()) as { ok: boolean };
  }, id);
  expect(result.ok).toBe(true);
}

const lastReply = (page: Page) =>
  page.getByRole('log', { name: 'Messages' }).locator('li.message-assistant').last();

/** Sends a message the fake server answers with `reply`, and waits for it to finish. */
async function receive(page: Page, reply: string, chunkChars = 4_096): Promise<void> {
  const chunks: string[] = [];
  for (let i = 0; i < reply.length; i += chunkChars) chunks.push(reply.slice(i, i + chunkChars));
  shared.fake.queue.push({ kind: 'stream', chunks, delayMs: 2 });
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Show me');
  await box.press('Enter');
  await expect(lastReply(page)).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
}

/** Input delay of one key press in the composer: keydown's timestamp to the input listener. */
async function inputDelay(page: Page): Promise<number> {
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.focus();
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
  const delay = await page.evaluate(
    () => (window as unknown as { __inputDelay: Promise<number> }).__inputDelay,
  );
  await expect(box).toHaveValue('x');
  await box.fill('');
  return delay;
}

function report(line: string): void {
  console.log(`[links-math] ${line}`);
  test.info().annotations.push({ type: 'metric', description: line });
}

const row = (cells: number) => Array.from({ length: cells }, (_, i) => `a_{${i}}`).join(' & ');
const MATH_CASES = [
  {
    id: 'matrix-8000',
    text: `$$\n\\begin{pmatrix}\n${Array.from({ length: 80 }, () => row(100)).join(' \\\\\n')}\n\\end{pmatrix}\n$$`,
    fallbacks: 1,
  },
  {
    id: 'inline-4000',
    text: Array.from({ length: 4_000 }, (_, i) => `$x_{${i}}^2$`).join(' + '),
    fallbacks: 0,
  },
  {
    id: 'nested-20000',
    text: `$$\n${'{'.repeat(20_000)}x${'}'.repeat(20_000)}\n$$`,
    fallbacks: 1,
  },
];
/** The same text as code instead of math: what the page pays for the size and shape alone. */
const withoutMath = (text: string) => text.replaceAll('$$', '```').replaceAll('$', '`');

/** A hostile reply may cost the page this many times what the same text without math costs. */
const MAX_RATIO = 4;
/** Tasks below this do not count as blocking at all (the long-task threshold). */
const FLOOR_MS = 50;

test('math built to freeze the page is shown as source or typeset off the main thread', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openApp(page);
  for (const math of MATH_CASES) {
    const cost = async (text: string) => {
      await newChat(page);
      await page.evaluate(() => (window.__taskDurations.length = 0));
      await receive(page, text);
      // Settled: no formula is still waiting for the worker.
      await expect(lastReply(page).locator('.math-pending')).toHaveCount(0, { timeout: 30_000 });
      const delay = await inputDelay(page);
      const longest = await page.evaluate(() => Math.max(0, ...window.__taskDurations));
      return { longest, delay };
    };
    const control = await cost(withoutMath(math.text));
    const hostile = await cost(math.text);
    report(
      `${math.id}: longest task ${hostile.longest.toFixed(0)} ms (without math ${control.longest.toFixed(0)} ms); input delay ${hostile.delay.toFixed(0)} ms (without math ${control.delay.toFixed(0)} ms)`,
    );
    expect(hostile.longest).toBeLessThanOrEqual(MAX_RATIO * Math.max(control.longest, FLOOR_MS));
    expect(hostile.delay).toBeLessThanOrEqual(MAX_RATIO * Math.max(control.delay, FLOOR_MS));
    const reply = lastReply(page);
    await expect(reply.locator('.math-source')).toHaveCount(math.fallbacks);
    if (math.fallbacks > 0) {
      await expect(reply.locator('.math-source .math-note')).toHaveText(
        'Formula too large to typeset: shown as TeX source.',
      );
      await expect(reply.locator('.katex')).toHaveCount(0);
    } else {
      await expect(reply.locator('.katex')).toHaveCount(4_000);
    }
  }
});
