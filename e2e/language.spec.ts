import { expect, test } from '@playwright/test';
import { useSharedHost } from '../testing/fixtures/sharedHost';
import { toChunks } from '../testing/fixtures/fakeMistralServer';

const KEY = 'e2e-key-language-00000';
const shared = useSharedHost(KEY);

test('a conversation set to Chinese: an English drift is caught and corrected to Chinese', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'New chat' }).first().click();
  await page.getByRole('combobox', { name: 'Reply language' }).selectOption('zh-Hans');

  const drift =
    'Sure! A database index is a data structure that speeds up lookups, much like the index at the back of a book.';
  const corrected =
    '当然可以！数据库索引是一种数据结构，可以加快查询速度，就像书末的索引一样。我们的数据库很快。';
  shared.fake.queue.push({ kind: 'stream', chunks: toChunks(drift), delayMs: 5 });
  shared.fake.queue.push({ kind: 'stream', chunks: Array.from(corrected), delayMs: 5 });
  const before = shared.fake.requests.length;

  await page.getByRole('textbox', { name: 'Message' }).fill('What is a database index?');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');

  const reply = page.getByRole('log').locator('li.message-assistant').last();
  await expect(reply).toContainText('数据库索引');
  await expect(reply.locator('.badge-language')).toHaveText('中文（简体） ✓');
  await expect(reply.getByText('2/2')).toBeVisible();

  // Both requests carried the rule in Chinese; the second, stronger one was a regeneration.
  const [first, second] = shared.fake.requests.slice(before);
  const system = (i: typeof first) =>
    i?.body.messages?.find((m) => m.role === 'system')?.content ?? '';
  expect(system(first)).toMatch(/简体中文|中文/);
  expect(system(second).length).toBeGreaterThan(system(first).length);
  expect(shared.fake.requests.length - before).toBe(2);

  // The wrong-language version is kept as a branch.
  await reply.getByRole('button', { name: 'Previous version' }).click();
  await expect(page.getByRole('log').locator('li.message-assistant').last()).toContainText(
    'A database index',
  );
  await page.screenshot({ path: test.info().outputPath('language-correction.png') });
});

test('Arabic replies display right to left', async ({ page }) => {
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'New chat' }).first().click();
  await page.getByRole('combobox', { name: 'Reply language' }).selectOption('ar');
  shared.fake.queue.push({
    kind: 'stream',
    chunks: toChunks('مرحبا! قاعدة البيانات هي مجموعة منظمة من المعلومات المخزنة إلكترونيا.'),
    delayMs: 5,
  });
  await page.getByRole('textbox', { name: 'Message' }).fill('ما هي قاعدة البيانات؟');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  const body = page
    .getByRole('log')
    .locator('li.message-assistant')
    .last()
    .locator('.message-body');
  await expect(body).toContainText('قاعدة البيانات');
  expect(await body.evaluate((element) => getComputedStyle(element).direction)).toBe('rtl');
});

test('Auto: a message too short to tell takes the interface language the page reports', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page
    .getByRole('dialog', { name: 'Settings' })
    .getByRole('combobox', { name: 'Interface language' })
    .selectOption('fr');
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Nouvelle discussion' }).first().click();
  const before = shared.fake.requests.length;
  shared.fake.queue.push({ kind: 'stream', chunks: toChunks('Avec plaisir, à bientôt.') });
  const box = page.getByRole('textbox', { name: 'Message', exact: true });
  await box.fill('merci');
  await box.press('Enter');
  await expect(page.getByRole('log')).toContainText('Avec plaisir');
  // "merci" alone says too little; the rule sent is the French interface's.
  const sent = JSON.stringify(shared.fake.requests[before]?.body.messages ?? []);
  expect(sent).toContain('Réponds toujours en français');
  // Back to English for the tests that follow on this host.
  await page.getByRole('button', { name: 'Réglages' }).click();
  await page.getByRole('combobox', { name: 'Langue de l’interface' }).selectOption('en');
  await page.keyboard.press('Escape');
});
