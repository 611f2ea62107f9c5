import { expect, test, type Page } from '@playwright/test';
import { makeDataDir, startHost, type RunningHost } from '../testing/fixtures/causerieHost';
import { startFakeMistral, type FakeMistralServer } from '../testing/fixtures/fakeMistralServer';

const KEY = 'e2e-key-1234567890abcdef';
let fake: FakeMistralServer;
let host: RunningHost | undefined;
let cleanup: (() => void) | undefined;

test.beforeAll(async () => {
  fake = await startFakeMistral({ apiKey: KEY });
});
test.afterAll(async () => {
  await fake.close();
});
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
  cleanup?.();
});

async function launch(dataDir: string, key: string | null = KEY) {
  host = await startHost({
    dataDir,
    env: { MISTRAL_API_KEY: key ?? undefined, MISTRAL_BASE_URL: fake.url },
  });
  return host;
}

async function send(page: Page, text: string) {
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
}

test('a reply streams in, Stop keeps the partial text, and everything survives reload and restart', async ({
  page,
}) => {
  const dir = makeDataDir();
  cleanup = dir.cleanup;
  await page.goto((await launch(dir.dataDir)).url);

  await page.getByRole('button', { name: 'New chat' }).click();
  await send(page, 'Bonjour Causerie');
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log).toContainText('Echo 1: Bonjour Causerie');
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveValue('');
  const conversations = page.getByRole('list', { name: 'Conversations' });
  await expect(
    conversations.getByRole('button', { name: 'Bonjour Causerie', exact: true }),
  ).toBeVisible();

  // A long, slow reply: stop it mid-way.
  await send(page, 'Tell me a long story #slow');
  await expect(log).toContainText('word5');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(page.getByRole('button', { name: 'Send' })).toBeVisible();
  await expect(log).toContainText('Stopped');
  const partial = (await log.locator('li').last().locator('.message-body').innerText()).trim();
  expect(partial).toMatch(/^Slow reply: word1 word2/);
  expect(partial).not.toContain('word400');

  // Reload: the conversation, both turns and the partial reply are still there.
  await page.reload();
  await expect(log).toContainText('Echo 1: Bonjour Causerie');
  await expect(log).toContainText(partial);
  await expect(log).toContainText('Stopped');

  // Restart the host on the same data folder: a new token, the same history.
  await host!.stop();
  await page.goto((await launch(dir.dataDir)).url);
  await page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('button', { name: 'Bonjour Causerie', exact: true })
    .click();
  await expect(log).toContainText('Echo 1: Bonjour Causerie');
  await expect(log).toContainText(partial);

  // The history is sent with the next turn, and replies keep coming after the restart.
  await send(page, 'Encore');
  await expect(log).toContainText('Echo 3: Encore');
});

test('without a key the UI says how to add one, and the message is kept', async ({ page }) => {
  const dir = makeDataDir();
  cleanup = dir.cleanup;
  await page.goto((await launch(dir.dataDir, null)).url);
  const onboarding = page.getByRole('group', { name: 'Three ways to start' });
  await expect(onboarding.getByRole('button', { name: /Add a Mistral API key/ })).toBeVisible();
  await send(page, 'Est-ce que ça marche ?');
  await expect(page.getByRole('status').filter({ hasText: 'MISTRAL_API_KEY' })).toBeVisible();
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log).toContainText('Est-ce que ça marche ?');
  await expect(log.getByRole('alert')).toContainText('No Mistral API key is set');
});

test('a rejected key and a dropped connection show clear errors', async ({ page }) => {
  const dir = makeDataDir();
  cleanup = dir.cleanup;
  await page.goto((await launch(dir.dataDir, 'wrong-key-000000000000')).url);
  await send(page, 'Hello');
  const log = page.getByRole('log', { name: 'Messages' });
  await expect(log.getByRole('alert')).toContainText('API key rejected');

  await host!.stop();
  await page.goto((await launch(dir.dataDir)).url);
  await page.getByRole('button', { name: 'New chat' }).click();
  await send(page, 'Please #drop');
  await expect(log.getByRole('alert')).toContainText('partial reply was kept');
  await expect(log).toContainText('Partial answer before');
});

test('without the token the page loads but the host refuses it, and says how to get in', async ({
  page,
}) => {
  const dir = makeDataDir();
  cleanup = dir.cleanup;
  const { url } = await launch(dir.dataDir);
  const response = await page.goto(url.replace(/\?token=.*/, ''));
  // The static page holds no data; every call the page makes needs the token.
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('alert')).toContainText('no valid access token');
  await expect(page.getByRole('alert')).toContainText('npm run serve');
});
