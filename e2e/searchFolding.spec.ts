import { expect, test, type Page } from '@playwright/test';
import { useSharedHost } from '../testing/fixtures/sharedHost';

const KEY = 'e2e-key-search-folding-00';
const shared = useSharedHost(KEY);

async function chat(page: Page, text: string, reply: string) {
  await page.getByRole('button', { name: 'New chat' }).first().click();
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(page.getByRole('log')).toContainText(reply);
}

test('strasse finds Straße, marked in the original spelling, and a quoted phrase stays whole', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await chat(
    page,
    'Wir treffen uns in der Hauptstraße',
    'Echo 1: Wir treffen uns in der Hauptstraße',
  );
  await chat(page, 'York is old, new houses are rare', 'Echo 1: York is old');

  const search = page.getByRole('searchbox', { name: 'Search conversations' });
  const results = page.getByRole('list', { name: 'Search results' });
  await search.fill('strasse');
  await expect(results.locator('mark').first()).toHaveText('straße');
  await expect(results.getByRole('button')).toHaveCount(2); // the message and its echo

  await search.fill('"new houses"');
  await expect(results.locator('mark').first()).toHaveText('new houses');
  await search.fill('"houses new"');
  await expect(page.getByText('Nothing found.')).toBeVisible();

  await search.fill('STRASSE');
  await results.getByRole('button').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(
    'Wir treffen uns in der Hauptstraße',
  );
});

test('the Simplified ↔ Traditional option finds 數據 for 数据', async ({ page }) => {
  await page.goto(shared.host.url);
  await chat(page, '我們的數據很重要', 'Echo 1: 我們的數據很重要');

  const search = page.getByRole('searchbox', { name: 'Search conversations' });
  const results = page.getByRole('list', { name: 'Search results' });
  const option = page.getByRole('checkbox', { name: /Simplified and Traditional Chinese/ });
  await search.fill('数据');
  await expect(page.getByText('Nothing found.')).toBeVisible();
  await expect(option).not.toBeChecked();

  await option.check();
  await expect(results.locator('mark').first()).toHaveText('數據');
  await expect(results.getByRole('button')).toHaveCount(2);
  await page.screenshot({ path: test.info().outputPath('chinese-variants.png') });

  // A three-character query goes through the other index; the option applies there too.
  await search.fill('数据很');
  await expect(results.locator('mark').first()).toHaveText('數據很');
  await option.uncheck();
  await expect(page.getByText('Nothing found.')).toBeVisible();
});
