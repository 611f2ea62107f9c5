import { expect, test, type Page } from '@playwright/test';
import { makeDataDir, startHost, type RunningHost } from '../testing/fixtures/causerieHost';
import {
  FAKE_MODEL_TITLES,
  replyByMarker,
  startFakeMistral,
  toChunks,
  type FakeMistralServer,
  type FakeReply,
  type RecordedRequest,
} from '../testing/fixtures/fakeMistralServer';

const KEY = 'e2e-key-continue-0123456789';
/** A reply long and slow enough to stop part-way (40 words, 80 ms apart). */
const STORY = 'Story: ' + Array.from({ length: 40 }, (_, i) => `w${i + 1}`).join(' ');

function script(request: RecordedRequest): FakeReply {
  const last = request.body.messages?.at(-1)?.content ?? '';
  if (last.includes('#story')) return { kind: 'stream', chunks: toChunks(STORY), delayMs: 80 };
  return replyByMarker(request);
}

let fake: FakeMistralServer;
let host: RunningHost | undefined;
let cleanup: (() => void) | undefined;

test.beforeAll(async () => {
  fake = await startFakeMistral({ apiKey: KEY, script });
});
test.afterAll(async () => {
  await fake.close();
});
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
  cleanup?.();
});

async function launch(dataDir: string): Promise<RunningHost> {
  host = await startHost({ dataDir, env: { MISTRAL_API_KEY: KEY, MISTRAL_BASE_URL: fake.url } });
  return host;
}

async function send(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
}

const lastReply = (page: Page) => page.getByRole('log', { name: 'Messages' }).locator('li').last();
const lastReplyText = async (page: Page) =>
  (await lastReply(page).locator('.message-body').innerText()).trim();

test('Stop a reply, Continue it (Stop works again), and the whole text survives a reload', async ({
  page,
}) => {
  const dir = makeDataDir();
  cleanup = dir.cleanup;
  await page.goto((await launch(dir.dataDir)).url);
  const log = page.getByRole('log', { name: 'Messages' });
  const continueButton = log.getByRole('button', { name: 'Continue', exact: true });

  await send(page, 'Tell me a story #story');
  await expect(log).toContainText('w5');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(log).toContainText('Stopped');
  const partial = await lastReplyText(page);
  expect(STORY.startsWith(partial)).toBe(true);
  expect(partial).not.toContain('w40');
  await expect(continueButton).toHaveCount(1);

  // Continue from the keyboard; the same message streams again and Stop is offered.
  const before = fake.requests.length;
  await continueButton.focus();
  await page.keyboard.press('Enter');
  await expect(lastReply(page)).toHaveAttribute('data-status', 'streaming');
  await expect(continueButton).toHaveCount(0);
  await expect(log.locator('li')).toHaveCount(2);
  const continued = fake.requests[before]?.body.messages?.at(-1);
  expect(continued).toEqual({ role: 'assistant', content: partial, prefix: true });

  // Stop during the continuation keeps everything written so far.
  await expect
    .poll(async () => (await lastReplyText(page)).length, { timeout: 10_000 })
    .toBeGreaterThan(partial.length + 6);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(lastReply(page)).toHaveAttribute('data-status', 'cancelled');
  const longer = await lastReplyText(page);
  expect(longer.startsWith(partial)).toBe(true);
  expect(STORY.startsWith(longer)).toBe(true);

  await continueButton.click();
  await expect(lastReply(page)).toHaveAttribute('data-status', 'complete', { timeout: 15_000 });
  expect(await lastReplyText(page)).toBe(STORY);
  await expect(continueButton).toHaveCount(0);

  await page.reload();
  await expect(log).toContainText('w40');
  expect(await lastReplyText(page)).toBe(STORY);
  await expect(lastReply(page)).toHaveAttribute('data-status', 'complete');
  await expect(log.locator('li')).toHaveCount(2);
});

test('a reply cut off by killing the host is recovered as interrupted and can be continued', async ({
  page,
}) => {
  const dir = makeDataDir();
  cleanup = dir.cleanup;
  await page.goto((await launch(dir.dataDir)).url);
  const log = page.getByRole('log', { name: 'Messages' });
  await send(page, 'Another story #story');
  // Long enough for the partial text to have been checkpointed (every 500 ms).
  await expect(log).toContainText('w20', { timeout: 10_000 });
  await host!.stop('SIGKILL');

  await page.goto((await launch(dir.dataDir)).url);
  await page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('button', { name: 'Another story #story', exact: true })
    .click();
  await expect(lastReply(page)).toHaveAttribute('data-status', 'interrupted');
  const recovered = await lastReplyText(page);
  expect(recovered).toMatch(/^Story: w1 w2/);
  await log.getByRole('button', { name: 'Continue', exact: true }).click();
  await expect(lastReply(page)).toHaveAttribute('data-status', 'complete', { timeout: 15_000 });
  expect(await lastReplyText(page)).toBe(STORY);
});

test('the model titles a French conversation in French, live in the sidebar, and not as a message', async ({
  page,
}) => {
  const dir = makeDataDir();
  cleanup = dir.cleanup;
  await page.goto((await launch(dir.dataDir)).url);
  const sidebar = page.getByRole('list', { name: 'Conversations' });
  const log = page.getByRole('log', { name: 'Messages' });
  const titlesBefore = fake.titleRequests.length;

  const text = 'Bonjour ! Une recette de ratatouille, s’il te plaît ? #title';
  await send(page, text);
  await expect(log).toContainText('Echo 1: Bonjour');
  await expect(
    sidebar.getByRole('button', { name: FAKE_MODEL_TITLES.French, exact: true }),
  ).toBeVisible();
  await expect(sidebar.getByRole('button', { name: text, exact: true })).toHaveCount(0);
  await expect(log.locator('li')).toHaveCount(2);
  expect(fake.titleRequests.length - titlesBefore).toBe(1);
  expect(fake.titleRequests.at(-1)?.body.messages?.[0]?.content).toContain(
    'Write the title in French.',
  );

  await page.reload();
  await expect(
    sidebar.getByRole('button', { name: FAKE_MODEL_TITLES.French, exact: true }),
  ).toBeVisible();
});

test('the first words stay when the title request fails, or when model titles are off', async ({
  page,
}) => {
  const dir = makeDataDir();
  cleanup = dir.cleanup;
  await page.goto((await launch(dir.dataDir)).url);
  const sidebar = page.getByRole('list', { name: 'Conversations' });
  const log = page.getByRole('log', { name: 'Messages' });

  const failing = 'Bonjour, une question rapide #title-fail';
  const before = fake.titleRequests.length;
  await send(page, failing);
  await expect(log).toContainText('Echo 1: Bonjour');
  // A 500 is retried twice, then the first words stay, silently.
  await expect.poll(() => fake.titleRequests.length - before, { timeout: 10_000 }).toBe(3);
  await expect(sidebar.getByRole('button', { name: failing, exact: true })).toBeVisible();
  await expect(page.getByRole('alert')).toHaveCount(0);

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const setting = page.getByRole('checkbox', { name: 'Let the model title new conversations' });
  await expect(setting).toBeChecked();
  await setting.uncheck();
  await expect(setting).not.toBeChecked();
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'New chat' }).first().click();
  const untitled = 'Bonjour, parlons de musique #title';
  const off = fake.titleRequests.length;
  await send(page, untitled);
  await expect(log).toContainText('Echo 1: Bonjour, parlons de musique');
  await expect(sidebar.getByRole('button', { name: untitled, exact: true })).toBeVisible();
  await page.waitForTimeout(300);
  expect(fake.titleRequests.length).toBe(off);
  await expect(sidebar.getByRole('button', { name: FAKE_MODEL_TITLES.French })).toHaveCount(0);
});
