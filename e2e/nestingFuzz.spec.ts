/**
 * Replies nested thousands of levels deep (issue #21): emphasis, links, brackets, lists, quotes,
 * math braces, \sqrt, \left, mixed; each used to overflow the stack (a blank window, on every
 * reopening) or freeze the page for minutes. Here every construct at every depth is stored as a
 * reply, by import (fast) and a few by streaming (the path a model takes), and after each the
 * window must still work: the reply's later text shown, the composer typing, the sidebar
 * switching conversations, no page error; and the stored text must be exactly as written.
 *
 * A separate file from hostile.spec.ts (payloads that run code or leak) and fuzz.spec.ts (the
 * host's doors, no page): this one is about the renderer's own limits.
 */
import { expect, test, type Page } from '@playwright/test';
import { toChunks } from '../testing/fixtures/fakeMistralServer';
import { ISSUE_21_REPLIES, NESTING_SHAPES } from '../testing/fixtures/hostileCorpusNesting';
import { HOST_TOKEN_HEADER } from '../shared/hostProtocol';
import { useSharedHost } from '../testing/fixtures/sharedHost';

const KEY = 'e2e-key-nesting-0000000';
const shared = useSharedHost(KEY);
const DEPTHS = [10, 100, 1_000, 5_000, 20_000, 50_000];
const NOTE = 'This part could not be displayed; shown as text.';

interface Payload {
  id: string;
  reply: string;
}

/** Every shape at every depth it can be stored at, then the replies of the issue itself. */
const PAYLOADS: Payload[] = [
  ...DEPTHS.flatMap((depth) =>
    NESTING_SHAPES.filter((shape) => depth <= (shape.maxDepth ?? Infinity)).map((shape) => ({
      id: `${shape.id}@${depth}`,
      reply: shape.build(depth),
    })),
  ),
  ...ISSUE_21_REPLIES,
];

/** The reply as stored: ordinary markdown around the payload, so the rest must render. */
const replyText = (payload: Payload) =>
  `Before **${payload.id}**.\n\n${payload.reply}\n\nend-of-${payload.id}`;
const titleOf = (payload: Payload) => `Nesting ${payload.id}`;

/** One conversation per payload: a thread opens at its last reply, so each is drawn for sure. */
function exportFile(payloads: readonly Payload[]): Buffer {
  const start = Date.UTC(2026, 0, 5);
  const model = { provider: 'mistral', model: 'mistral-small-latest' };
  const conversations = payloads.map((payload, index) => {
    const at = start + index * 10_000;
    const message = (suffix: string, role: string, content: string, parentId: string | null) => ({
      id: `n${index}-${suffix}`,
      parentId,
      role,
      content,
      status: 'complete',
      model: role === 'assistant' ? model : null,
      usage: null,
      error: null,
      createdAt: at,
      updatedAt: at,
    });
    return {
      id: `nesting-${index}`,
      title: titleOf(payload),
      model,
      activeLeafId: `n${index}-a`,
      createdAt: at,
      updatedAt: at,
      messages: [
        message('u', 'user', `Case ${payload.id}`, null),
        message('a', 'assistant', replyText(payload), `n${index}-u`),
      ],
    };
  });
  const file = {
    format: 'causerie-export',
    version: 1,
    exportedAt: start,
    folders: [],
    conversations,
  };
  return Buffer.from(JSON.stringify(file));
}

/** Page errors and render errors a boundary had to catch: the caps should leave none. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    // A missing favicon is no render error.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      errors.push(`console: ${message.text().slice(0, 200)}`);
    }
  });
  return errors;
}

async function rpc<T>(page: Page, method: string, input: unknown): Promise<T> {
  // The host takes its token only as a header, never a cookie (see e2e/hostToken.spec.ts).
  const token = new URL(shared.host.url).searchParams.get('token') ?? '';
  const result = await page.evaluate(
    async ({ method, input, token, header }) => {
      const response = await fetch(`/rpc/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [header]: token },
        body: JSON.stringify(input),
      });
      return (await response.json()) as { ok: boolean; value?: unknown; error?: unknown };
    },
    { method, input, token, header: HOST_TOKEN_HEADER },
  );
  expect(result.ok, JSON.stringify(result.error)).toBe(true);
  return result.value as T;
}

/** What must hold after every reply: the window draws, types and switches conversations. */
async function expectWindowWorks(page: Page, label: string, errors: string[]): Promise<void> {
  expect(await page.locator('#root').evaluate((root) => root.childElementCount), label).toBe(1);
  await expect(page.locator('.app-crashed'), label).toHaveCount(0);
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('');
  await box.pressSequentially('ok');
  await expect(box, label).toHaveValue('ok');
  await box.fill('');
  expect(errors, label).toEqual([]);
}

/** The open thread's state, read in one call: the imported replies are many. */
function threadState(marker: string) {
  const reply = [...document.querySelectorAll('li.message-assistant')].at(-1);
  const box = document.querySelector<HTMLTextAreaElement>('textarea');
  return {
    rootChildren: document.getElementById('root')?.childElementCount ?? 0,
    crashed: document.querySelector('.app-crashed') !== null,
    marker: [...(reply?.querySelectorAll('p') ?? [])].some((p) => p.textContent === marker),
    strong: reply?.querySelector('strong')?.textContent ?? null,
    composer: box === document.activeElement ? box?.value : null,
  };
}

/** Opens a conversation by its address and checks the window, with few round trips. */
async function openAndCheck(page: Page, id: string, payload: Payload, errors: string[]) {
  await page.evaluate((target) => (location.hash = `#/c/${encodeURIComponent(target)}`), id);
  const marker = `end-of-${payload.id}`;
  await expect
    .poll(() => page.evaluate(threadState, marker), {
      message: payload.id,
      intervals: [25, 50, 100],
    })
    .toMatchObject({ rootChildren: 1, crashed: false, marker: true, strong: payload.id });
  // The composer takes a key press (each conversation has its own draft).
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.focus();
  await page.keyboard.press('k');
  expect((await page.evaluate(threadState, marker)).composer, payload.id).toBe('k');
  expect(errors, payload.id).toEqual([]);
}

test('every nesting construct at every depth renders, stays usable and is stored as written', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const errors = watchErrors(page);
  await page.goto(shared.host.url);
  const importStarted = Date.now();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Import conversations').setInputFiles({
    name: 'nesting.json',
    mimeType: 'application/json',
    buffer: exportFile(PAYLOADS),
  });
  await expect(page.getByRole('dialog').getByRole('status')).toContainText(
    `Imported ${PAYLOADS.length}`,
    { timeout: 30_000 },
  );
  await page.keyboard.press('Escape');
  const importMs = Date.now() - importStarted;

  const { conversations } = await rpc<{ conversations: { id: string; title: string }[] }>(
    page,
    'conversations.list',
    {},
  );
  const idByTitle = new Map(conversations.map((c) => [c.title, c.id]));
  const sidebar = page.getByRole('list', { name: 'Conversations' });
  const newest = PAYLOADS.at(-1)!;
  const started = Date.now();
  const slowest: { id: string; ms: number }[] = [];

  for (const [index, payload] of PAYLOADS.entries()) {
    const id = idByTitle.get(titleOf(payload));
    expect(id, payload.id).toBeDefined();
    const opened = Date.now();
    // Every sixteenth time, first the newest conversation from the sidebar: it must keep working.
    if (index % 16 === 0) {
      await sidebar.getByRole('button', { name: titleOf(newest), exact: true }).click();
      await expect(page.getByText(`end-of-${newest.id}`, { exact: true })).toBeVisible();
    }
    await openAndCheck(page, id!, payload, errors);
    slowest.push({ id: payload.id, ms: Date.now() - opened });
  }
  const elapsed = Date.now() - started;

  // Reopening, which used to blank the window every time: after a reload, the replies of the
  // issue and the deepest of a few shapes, each after the others were drawn.
  const reopenStarted = Date.now();
  await page.reload();
  const again = [
    ...ISSUE_21_REPLIES,
    ...PAYLOADS.filter((p) => /^(emphasis|math-left)@50000$/.test(p.id)),
  ];
  for (const payload of again) {
    await openAndCheck(page, idByTitle.get(titleOf(payload))!, payload, errors);
  }
  await expect(page.locator('li.message-assistant').last().getByText(NOTE)).toBeVisible();

  const reopenMs = Date.now() - reopenStarted;

  // The display changed, never the stored text.
  const exportStarted = Date.now();
  const exported = await rpc<{ json: string }>(page, 'export.json', {});
  const stored = JSON.parse(exported.json) as {
    conversations: { title: string; messages: { role: string; content: string }[] }[];
  };
  const byTitle = new Map(stored.conversations.map((c) => [c.title, c]));
  for (const payload of PAYLOADS) {
    const assistant = byTitle.get(titleOf(payload))?.messages.find((m) => m.role === 'assistant');
    expect(assistant?.content === replyText(payload), payload.id).toBe(true);
  }

  const exportMs = Date.now() - exportStarted;
  slowest.sort((a, b) => b.ms - a.ms);
  const line = `import ${importMs} ms; ${PAYLOADS.length} replies opened in ${elapsed} ms; reopening ${again.length} ${reopenMs} ms; export and compare ${exportMs} ms; slowest ${slowest
    .slice(0, 5)
    .map((s) => `${s.id} ${s.ms} ms`)
    .join(', ')}`;
  console.log(`[nesting] ${line}`);
  test.info().annotations.push({ type: 'metric', description: line });
});

test('the replies of issue #21, streamed, leave the thread, composer and sidebar working', async ({
  page,
}) => {
  const errors = watchErrors(page);
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'New chat', exact: true }).click();
  const box = page.getByRole('textbox', { name: 'Message' });
  for (const payload of ISSUE_21_REPLIES) {
    shared.fake.queue.push({ kind: 'stream', chunks: toChunks(replyText(payload)) });
    await box.fill(`Stream ${payload.id}`);
    await box.press('Enter');
    const reply = page.locator('li.message-assistant').last();
    await expect(reply).toHaveAttribute('data-status', 'complete');
    await expect(reply.getByText(`end-of-${payload.id}`, { exact: true })).toBeVisible();
    await expect(reply.getByText(NOTE)).toBeVisible();
    await expectWindowWorks(page, payload.id, errors);
  }
  await page.screenshot({ path: test.info().outputPath('issue-21-replies.png') });
  // Reopen the conversation: it used to blank the window every time.
  await page.reload();
  const last = ISSUE_21_REPLIES.at(-1)!;
  await expect(page.getByText(`end-of-${last.id}`, { exact: true })).toBeVisible();
  await expectWindowWorks(page, 'after reload', errors);
});

/**
 * The boundaries themselves: no reply gets past the caps any more, so a renderer bug is
 * simulated by making one built-in throw, as a stack overflow would, for text carrying a marker.
 */
function breakBuiltIns(): void {
  const overflow = () => new RangeError('Maximum call stack size exceeded');
  const includes = String.prototype.includes;
  // Called by the block parser: fails inside one markdown block.
  String.prototype.includes = function (this: string, ...args: Parameters<typeof includes>) {
    if (includes.call(this, 'BOOM-BLOCK') && args[0] !== 'BOOM-BLOCK') throw overflow();
    return includes.apply(this, args);
  };
  const startsWith = String.prototype.startsWith;
  // Called by the block splitter: fails for the whole message, outside its blocks.
  String.prototype.startsWith = function (this: string, ...args: Parameters<typeof startsWith>) {
    if (includes.call(this, 'BOOM-MESSAGE')) throw overflow();
    return startsWith.apply(this, args);
  };
  const NumberFormat = Intl.NumberFormat;
  // Called by every message row, outside any message boundary: fails the app.
  Intl.NumberFormat = function (...args: ConstructorParameters<typeof NumberFormat>) {
    if ((window as unknown as { __breakApp?: boolean }).__breakApp) throw overflow();
    return new NumberFormat(...args);
  } as unknown as typeof Intl.NumberFormat;
}

test('a block or a message that fails to render shows its text; the app shows Reload', async ({
  page,
}) => {
  await page.addInitScript(breakBuiltIns);
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'New chat', exact: true }).click();
  const box = page.getByRole('textbox', { name: 'Message' });

  shared.fake.queue.push({
    kind: 'stream',
    chunks: toChunks('First *block* renders.\n\nBOOM-BLOCK <b>x</b> **y**\n\nLast *block* too.'),
  });
  await box.fill('Break one block');
  await box.press('Enter');
  let reply = page.locator('li.message-assistant').last();
  await expect(reply).toHaveAttribute('data-status', 'complete');
  await expect(reply.locator('em')).toHaveText(['block', 'block']);
  const fallback = reply.locator('.md-source-fallback');
  await expect(fallback).toHaveCount(1);
  await expect(fallback).toContainText(NOTE);
  // As written, escaped: the markup is text.
  await expect(fallback.locator('.md-source-text')).toHaveText('BOOM-BLOCK <b>x</b> **y**\n');
  await expect(fallback.locator('b')).toHaveCount(0);

  shared.fake.queue.push({ kind: 'stream', chunks: toChunks('BOOM-MESSAGE *all* of it') });
  await box.fill('Break one message');
  await box.press('Enter');
  reply = page.locator('li.message-assistant').last();
  await expect(reply).toHaveAttribute('data-status', 'complete');
  await expect(reply.locator('.md-source-text')).toHaveText('BOOM-MESSAGE *all* of it');
  await expect(page.locator('li.message-assistant').first().locator('em')).toHaveText([
    'block',
    'block',
  ]);
  await box.pressSequentially('still typing');
  await expect(box).toHaveValue('still typing');
  await box.fill('');

  // A failure outside every message: the app's page, not a blank window.
  const hash = await page.evaluate(() => location.hash);
  await page.getByRole('button', { name: 'New chat', exact: true }).click();
  await expect.poll(() => page.evaluate(() => location.hash)).not.toBe(hash);
  await page.evaluate(() => ((window as unknown as { __breakApp?: boolean }).__breakApp = true));
  await page.evaluate((back) => (location.hash = back), hash);
  const crashed = page.locator('.app-crashed');
  await expect(crashed).toBeVisible();
  await expect(crashed).toContainText('Causerie could not draw this window');
  await page.screenshot({ path: test.info().outputPath('app-crashed.png') });
  await crashed.getByRole('button', { name: 'Reload' }).click();
  await expect(page.locator('li.message-assistant').first().locator('em')).toHaveText([
    'block',
    'block',
  ]);
});
