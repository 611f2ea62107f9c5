import { expect, test } from '@playwright/test';
import { useSharedHost } from '../testing/fixtures/sharedHost';
import { toChunks } from '../testing/fixtures/fakeMistralServer';

const KEY = 'e2e-key-languageoffer0';
const shared = useSharedHost(KEY);

test('after a failed automatic correction the user is offered Regenerate and Translate, asked in French', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'New chat' }).first().click();
  await page.getByRole('combobox', { name: 'Reply language' }).selectOption('fr');

  const drift =
    'Sure! A database index is a data structure that speeds up lookups, much like the index at the back of a book.';
  const driftAgain =
    'Of course. An index lets the database find rows without reading the whole table, which makes queries much faster.';
  shared.fake.queue.push({ kind: 'stream', chunks: toChunks(drift), delayMs: 5 });
  shared.fake.queue.push({ kind: 'stream', chunks: toChunks(driftAgain), delayMs: 5 });
  const before = shared.fake.requests.length;

  await page
    .getByRole('textbox', { name: 'Message' })
    .fill('Qu’est-ce qu’un index de base de données ?');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');

  const reply = page.getByRole('log').locator('li.message-assistant').last();
  await expect(reply).toContainText('An index lets the database');
  await expect(reply.getByText('2/2')).toBeVisible();
  await expect(reply).toHaveAttribute('data-status', 'complete');
  const offer = reply.locator('.language-offer');
  await expect(offer.getByRole('button', { name: 'Regenerate in Français' })).toBeVisible();
  await expect(offer.getByRole('button', { name: 'Translate' })).toBeVisible();
  expect(shared.fake.requests.length - before).toBe(2);
  await page.screenshot({ path: test.info().outputPath('failed-correction-offer.png') });

  shared.fake.queue.push({
    kind: 'stream',
    chunks: toChunks(
      'Un index permet à la base de données de trouver les lignes sans lire toute la table.',
    ),
    delayMs: 5,
  });
  await offer.getByRole('button', { name: 'Translate' }).click();
  await expect(page.getByRole('log').locator('li.message-user').last()).toHaveText(
    /Traduis ta réponse précédente en français/,
  );
  await expect(page.getByRole('log').locator('li.message-assistant').last()).toContainText(
    'Un index permet',
  );
  const request = shared.fake.requests.at(-1);
  const lastUser = request?.body.messages?.filter((m) => m.role === 'user').at(-1)?.content;
  expect(lastUser).toContain('Traduis ta réponse précédente en français');
});
