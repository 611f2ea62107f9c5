/**
 * Hostile replies aimed at the person rather than the page: math built to freeze it, code whose
 * bidirectional controls make it read unlike what it does (Trojan Source), and links to this
 * machine or the local network. Each reply comes from the fake Mistral server, as a model's would.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { HOST_TOKEN_HEADER } from '../shared/hostProtocol';
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
  // The host takes its token only as a header (see e2e/hostToken.spec.ts).
  const token = new URL(shared.host.url).searchParams.get('token') ?? '';
  const result = await page.evaluate(
    async ({ conversationId, token, header }) => {
      const response = await fetch('/rpc/conversations.update', {
        method: 'POST',
        headers: { 'content-type': 'application/json', [header]: token },
        body: JSON.stringify({ conversationId, languageCorrection: 'off' }),
      });
      return (await response.json()) as { ok: boolean };
    },
    { conversationId: id, token, header: HOST_TOKEN_HEADER },
  );
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
    note: 'Formula too large to typeset: shown as TeX source.',
  },
  {
    id: 'inline-4000',
    text: Array.from({ length: 4_000 }, (_, i) => `$x_{${i}}^2$`).join(' + '),
    fallbacks: 0,
    note: '',
  },
  {
    id: 'nested-20000',
    text: `$$\n${'{'.repeat(20_000)}x${'}'.repeat(20_000)}\n$$`,
    fallbacks: 1,
    // The markdown nesting cap (32 TeX groups) takes this block before the math budget sees it.
    note: 'This part could not be displayed; shown as text.',
  },
];
/** The same text as code instead of math: what the page pays for the size and shape alone. */
const withoutMath = (text: string) => text.replaceAll('$$', '```').replaceAll('$', '`');

/** A hostile reply may cost the page this many times what the same text without math costs. */
const MAX_RATIO = 5;
/** Tasks below this do not count as blocking at all (the long-task threshold). */
const FLOOR_MS = 50;

test('math built to freeze the page is shown as source or typeset off the main thread', async ({
  page,
}) => {
  test.setTimeout(480_000);
  await openApp(page);
  for (const math of MATH_CASES) {
    const cost = async (text: string) => {
      await newChat(page);
      await page.evaluate(() => (window.__taskDurations.length = 0));
      await receive(page, text);
      // Settled: no formula is still waiting for the worker.
      // (Generous: on a busy 2-core machine 4,000 formulas take a while, a few hundred at a time.)
      await expect(lastReply(page).locator('.math-pending')).toHaveCount(0, { timeout: 90_000 });
      const delay = await inputDelay(page);
      const longest = await page.evaluate(() => Math.max(0, ...window.__taskDurations));
      // What the reply shows, checked once the timings are.
      const shown = await lastReply(page).evaluate((li) => ({
        sources: li.querySelectorAll('.math-source, .md-source-fallback').length,
        notes: [...li.querySelectorAll('.math-source .math-note, .md-source-note')].map(
          (note) => note.textContent,
        ),
        katex: li.querySelectorAll('.katex').length,
      }));
      return { longest, delay, shown };
    };
    const before = await cost(withoutMath(math.text));
    const hostile = await cost(math.text);
    // Again, in another conversation: now every formula comes from the typesetter's cache.
    const again = await cost(math.text);
    // The baseline is measured on both sides of the hostile runs: other work on a shared
    // machine stretches the page's tasks for seconds at a time, and the ratio must not be that.
    const after = await cost(withoutMath(math.text));
    const control = {
      longest: Math.max(before.longest, after.longest),
      delay: Math.max(before.delay, after.delay),
    };
    report(
      `${math.id}: longest task ${hostile.longest.toFixed(0)} ms, again ${again.longest.toFixed(0)} ms (without math ${control.longest.toFixed(0)} ms); input delay ${hostile.delay.toFixed(0)} ms (without math ${control.delay.toFixed(0)} ms)`,
    );
    // What the page may block for, scaled from what the same text as code costs it: a key press
    // waits for at most the task it lands behind, so typing is held to the same bound.
    const bound = MAX_RATIO * Math.max(control.longest, FLOOR_MS);
    for (const run of [hostile, again]) {
      expect(run.longest).toBeLessThanOrEqual(bound);
      expect(run.delay).toBeLessThanOrEqual(bound);
    }
    for (const { shown } of [hostile, again]) {
      expect(shown.sources).toBe(math.fallbacks);
      if (math.fallbacks > 0) {
        expect(shown.notes).toEqual([math.note]);
        expect(shown.katex).toBe(0);
      } else {
        expect(shown.katex).toBe(4_000);
      }
    }
  }
});

// The classic Trojan Source line (CVE-2021-42574): displayed, the check reads as a comment.
const TROJAN = 'if (accessLevel != "user\u202E \u2066// Check if admin\u2069 \u2066") {';
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/u;

test('code with hidden direction characters shows them, and Copy asks first', async ({ page }) => {
  await openApp(page);
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], {
    origin: new URL(shared.host.url).origin,
  });
  await newChat(page);
  await receive(
    page,
    `Try this:\n\n\`\`\`js\n${TROJAN}\n  grantAdmin();\n}\n\`\`\`\n\nAnd this:\n\n\`\`\`\nplain code\n\`\`\``,
  );
  const reply = lastReply(page);
  const trojan = reply.locator('figure.code-block').first();
  const plain = reply.locator('figure.code-block').nth(1);
  await expect(trojan.locator('.bidi-control')).toHaveText([
    '⟪U+202E⟫',
    '⟪U+2066⟫',
    '⟪U+2069⟫',
    '⟪U+2066⟫',
  ]);
  expect(await trojan.locator('pre').textContent()).not.toMatch(BIDI);
  await expect(trojan.locator('.hljs-keyword').first()).toBeVisible();

  const clipboard = () => page.evaluate(() => navigator.clipboard.readText());
  await page.evaluate(() => navigator.clipboard.writeText('before'));
  const dialog = page.getByRole('alertdialog', {
    name: 'This code contains hidden direction characters',
  });

  await trojan.getByRole('button', { name: 'Copy code' }).click();
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('(4)');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  expect(await clipboard()).toBe('before');

  await trojan.getByRole('button', { name: 'Copy code' }).click();
  await dialog.getByRole('button', { name: 'Copy without them' }).click();
  await expect(dialog).toBeHidden();
  await expect
    .poll(clipboard)
    .toBe(`${TROJAN.replace(new RegExp(BIDI, 'gu'), '')}\n  grantAdmin();\n}`);

  await trojan.getByRole('button', { name: 'Copy code' }).click();
  await dialog.getByRole('button', { name: 'Copy anyway' }).click();
  await expect.poll(clipboard).toBe(`${TROJAN}\n  grantAdmin();\n}`);

  // Code without them copies at once.
  await plain.getByRole('button', { name: 'Copy code' }).click();
  await expect.poll(clipboard).toBe('plain code');
  await expect(dialog).toHaveCount(0);
});

/** A server on loopback standing in for a service on this machine: it records every request. */
async function startLocalService(): Promise<{ port: number; paths: string[]; server: Server }> {
  const paths: string[] = [];
  const server = createServer((request, response) => {
    paths.push(request.url ?? '');
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end('<h1>router admin</h1>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as AddressInfo).port, paths, server };
}

test('links to this machine or a private network open only after showing the address', async ({
  page,
}) => {
  const service = await startLocalService();
  const popups: string[] = [];
  page.on('popup', (popup) => popups.push(popup.url()));
  // The public link's page is answered here: nothing leaves the machine.
  await page
    .context()
    .route('https://example.org/**', (route) =>
      route.fulfill({ status: 200, contentType: 'text/html', body: '<h1>docs</h1>' }),
    );
  try {
    await openApp(page);
    await newChat(page);
    // 2130706433 is 127.0.0.1 written as one number.
    await receive(
      page,
      [
        `See [the router](http://2130706433:${service.port}/secret?x=1), `,
        `[write to me](mailto:boss@example.org?body=I%20resign) `,
        `or [the docs](https://example.org/docs).`,
      ].join(''),
    );
    const reply = lastReply(page);
    const dialog = page.getByRole('alertdialog', {
      name: 'Open a link to this computer or your network?',
    });
    const local = `http://127.0.0.1:${service.port}/secret?x=1`;

    await reply.getByRole('link', { name: 'the router' }).click();
    await expect(dialog).toBeVisible();
    await expect(dialog.locator('.dialog-detail')).toHaveText(local);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    // Give a wrongly opened window time to show up before saying none did.
    await page.waitForTimeout(500);
    expect(popups).toEqual([]);
    expect(service.paths).toEqual([]);

    // A middle click asks too.
    await reply.getByRole('link', { name: 'the router' }).click({ button: 'middle' });
    await expect(dialog).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();

    await reply.getByRole('link', { name: 'the router' }).click();
    const popup = page.waitForEvent('popup');
    await dialog.getByRole('button', { name: 'Open link' }).click();
    const opened = await popup;
    await opened.waitForLoadState();
    expect(opened.url()).toBe(local);
    expect(service.paths).toEqual(['/secret?x=1']);
    await opened.close();

    const mail = page.getByRole('alertdialog', { name: 'Open this email link?' });
    await reply.getByRole('link', { name: 'write to me' }).click();
    await expect(mail.locator('.dialog-detail')).toHaveText(
      'mailto:boss@example.org?body=I%20resign',
    );
    await mail.getByRole('button', { name: 'Cancel' }).click();
    await expect(mail).toBeHidden();

    // A public link opens at once, with no dialog.
    const docs = page.waitForEvent('popup');
    await reply.getByRole('link', { name: 'the docs' }).click();
    expect((await docs).url()).toBe('https://example.org/docs');
    await expect(page.getByRole('alertdialog')).toHaveCount(0);
    expect(popups).toHaveLength(2);
  } finally {
    await new Promise((resolve) => service.server.close(resolve));
  }
});
