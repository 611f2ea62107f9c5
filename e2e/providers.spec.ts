import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { makeDataDir, startHost, type RunningHost } from '../testing/fixtures/causerieHost';
import { startFakeMistral, type FakeMistralServer } from '../testing/fixtures/fakeMistralServer';
import { startFakeOpenAi, type FakeOpenAiServer } from '../testing/fixtures/fakeOpenAiServer';

const KEY = 'sk-e2e-providers-canary-7f3a9c';
let mistral: FakeMistralServer;
let local: FakeOpenAiServer;
let host: RunningHost | undefined;
let cleanup: (() => void) | undefined;

test.beforeAll(async () => {
  mistral = await startFakeMistral({ apiKey: KEY });
  local = await startFakeOpenAi({ models: ['llama3.2:3b'] });
});
test.afterAll(async () => {
  await mistral.close();
  await local.close();
});
test.afterEach(async () => {
  await host?.stop();
  cleanup?.();
});

async function launch(key: string | null) {
  const dir = makeDataDir();
  cleanup = dir.cleanup;
  host = await startHost({
    dataDir: dir.dataDir,
    env: { MISTRAL_API_KEY: key ?? undefined, MISTRAL_BASE_URL: mistral.url },
  });
  return host;
}

test('add a key in settings, see the models, and switch a conversation to another server mid-way', async ({
  page,
}) => {
  const running = await launch(null);
  const responses: string[] = [];
  page.on('websocket', (ws) =>
    ws.on('framereceived', (frame) => responses.push(String(frame.payload))),
  );
  await page.goto(running.url);

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('textbox', { name: 'Mistral API key' }).fill(KEY);
  await page.getByRole('button', { name: 'Save key' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings.getByRole('status').first()).toContainText('Works: 3 models available.');
  await expect(settings).toContainText('ends in 3a9c');

  // An OpenAI-compatible server: the preset fills the name, the URL points at our fake.
  await settings.getByRole('button', { name: 'Ollama' }).click();
  await settings.getByRole('textbox', { name: 'Server URL' }).fill(local.url);
  await settings.getByRole('button', { name: 'Add server' }).click();
  await expect(settings.getByRole('list', { name: 'OpenAI-compatible servers' })).toContainText(
    'Works: 1 models available.',
  );
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'New chat' }).first().click();
  const picker = page.getByRole('combobox', { name: 'Model' });
  await expect(picker.locator('option', { hasText: 'open-mistral-7b (deprecated)' })).toHaveCount(
    1,
  );
  await expect(picker.locator('option', { hasText: 'llama3.2:3b' })).toHaveCount(1);
  await page.getByRole('textbox', { name: 'Message' }).fill('Bonjour Mistral');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  const log = page.getByRole('log');
  await expect(log).toContainText('Echo 1: Bonjour Mistral');

  await picker.selectOption({ label: 'llama3.2:3b' });
  await page.getByRole('textbox', { name: 'Message' }).fill('Hello local server');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(log).toContainText('Echo: Hello local server');
  const replies = log.locator('li.message-assistant');
  await expect(replies.nth(0).locator('.badge-model')).toHaveText('mistral-small-latest');
  await expect(replies.nth(1).locator('.badge-model')).toHaveText('llama3.2:3b');
  // The local server saw the whole conversation, the Mistral turn included.
  expect(local.requests.at(-1)?.body.messages?.map((m) => m.content)).toContain('Bonjour Mistral');

  // A failing turn and an export, so every path a key could leak through has run.
  await picker.selectOption({ label: 'mistral-small-latest' });
  await page.getByRole('textbox', { name: 'Message' }).fill('Break please #500');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(log.getByRole('alert')).toContainText('provider had a problem', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export everything' }).click();
  const exported = readFileSync(await (await download).path(), 'utf8');

  // The canary key appears nowhere but in the 0600 key file: not in any WebSocket frame, the
  // DOM, the export, the host's logs, or the database and its WAL.
  expect(responses.join('\n')).not.toContain(KEY);
  expect(await page.content()).not.toContain(KEY);
  expect(exported).not.toContain(KEY);
  expect(running.logs.join('')).not.toContain(KEY);
  const stored = readdirSync(running.dataDir)
    .filter((name) => name.startsWith('causerie.db'))
    .map((name) => readFileSync(path.join(running.dataDir, name)));
  expect(stored.length).toBeGreaterThan(0);
  for (const bytes of stored) expect(bytes.includes(Buffer.from(KEY))).toBe(false);
  const keyFile = statSync(path.join(running.dataDir, 'keys.json'));
  expect(keyFile.mode & 0o077).toBe(0);
});

test('a 429 shows the rate-limit message after the bounded retries', async ({ page }) => {
  const running = await launch(KEY);
  await page.goto(running.url);
  const before = mistral.requests.length;
  await page.getByRole('textbox', { name: 'Message' }).fill('Too many #429');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(page.getByRole('log').getByRole('alert')).toContainText('rate-limiting', {
    timeout: 20_000,
  });
  // One request and two retries, no more.
  expect(mistral.requests.length - before).toBe(3);
});
