import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { useSharedHost } from '../testing/fixtures/sharedHost';

const KEY = 'e2e-key-history-0000000';
const shared = useSharedHost(KEY);

async function chat(page: Page, text: string, reply: string) {
  await page.getByRole('button', { name: 'New chat' }).first().click();
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(page.getByRole('log')).toContainText(reply);
}

test('search finds a Chinese phrase inside a sentence and opens the message', async ({ page }) => {
  await page.goto(shared.host.url);
  await chat(page, 'Bonjour, parlons cuisine', 'Echo 1: Bonjour, parlons cuisine');
  await chat(page, '我们的数据库很快，而且很稳定', 'Echo 1: 我们的数据库很快');
  await chat(page, 'Un résumé du projet', 'Echo 1: Un résumé du projet');

  const search = page.getByRole('searchbox', { name: 'Search conversations' });
  await search.fill('数据库');
  const results = page.getByRole('list', { name: 'Search results' });
  await expect(results.locator('mark').first()).toHaveText('数据库');
  await expect(results.getByRole('button')).toHaveCount(2); // the question and its echo

  // Accent-insensitive: "resume" finds "résumé".
  await search.fill('resume');
  await expect(results.locator('mark').first()).toHaveText(/résumé/i);

  await search.fill('数据库');
  await expect(results.locator('mark').first()).toHaveText('数据库');
  await results.getByRole('button').first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('我们的数据库很快，而且很稳定');
  await expect(page.locator('.message-focused')).toContainText('数据库');
  await page.screenshot({ path: test.info().outputPath('cjk-search.png') });
});

test('delete with undo, then delete and restore from the trash', async ({ page }) => {
  await page.goto(shared.host.url);
  await chat(page, 'Conversation à supprimer', 'Echo 1: Conversation à supprimer');
  const sidebar = page.getByRole('list', { name: 'Conversations' });
  const item = sidebar.getByRole('button', { name: 'Conversation à supprimer', exact: true });
  await expect(item).toBeVisible();

  await page.getByRole('button', { name: 'Actions for Conversation à supprimer' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await expect(item).toHaveCount(0);
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(item).toBeVisible();

  await page.getByRole('button', { name: 'Actions for Conversation à supprimer' }).click();
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await expect(item).toHaveCount(0);
  await page.getByRole('button', { name: 'Trash' }).click();
  const trash = page.getByRole('dialog', { name: 'Trash' });
  await expect(trash).toContainText('Conversation à supprimer');
  await trash.getByRole('button', { name: 'Restore' }).click();
  await expect(trash).toContainText('The trash is empty.');
  await page.keyboard.press('Escape');
  await item.click();
  await expect(page.getByRole('log')).toContainText('Echo 1: Conversation à supprimer');
});

test('rename and pin from the conversation menu', async ({ page }) => {
  await page.goto(shared.host.url);
  await chat(page, 'Titre provisoire', 'Echo 1: Titre provisoire');
  await page.getByRole('button', { name: 'Actions for Titre provisoire' }).click();
  await page.getByRole('menuitem', { name: 'Rename' }).click();
  const field = page.getByRole('textbox', { name: 'Conversation title' });
  await field.fill('Titre définitif');
  await field.press('Enter');
  const sidebar = page.getByRole('list', { name: 'Conversations' });
  await expect(sidebar.getByRole('button', { name: 'Titre définitif', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Actions for Titre définitif' }).click();
  await page.getByRole('menuitem', { name: 'Pin' }).click();
  await expect(sidebar.getByRole('heading', { name: 'Pinned' })).toBeVisible();
  await page.reload();
  await expect(sidebar.getByRole('heading', { name: 'Pinned' })).toBeVisible();
});

test('export everything, then import it back as new conversations', async ({ page }) => {
  await page.goto(shared.host.url);
  await chat(page, 'À exporter et réimporter', 'Echo 1: À exporter et réimporter');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export everything' }).click();
  const file = await (await download).path();
  const exported = JSON.parse(readFileSync(file, 'utf8')) as {
    format: string;
    conversations: { title: string; messages: unknown[] }[];
  };
  expect(exported.format).toBe('causerie-export');
  const mine = exported.conversations.find((c) => c.title === 'À exporter et réimporter');
  expect(mine?.messages).toHaveLength(2);

  await page.getByLabel('Import conversations').setInputFiles(file);
  await expect(page.getByRole('dialog').getByRole('status')).toContainText(
    `Imported ${exported.conversations.length} conversations`,
  );
  await page.keyboard.press('Escape');
  const sidebar = page.getByRole('list', { name: 'Conversations' });
  await expect(
    sidebar.getByRole('button', { name: 'À exporter et réimporter', exact: true }),
  ).toHaveCount(2);

  // A broken file is refused with a clear message and changes nothing.
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Import conversations').setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"format": "something-else"'),
  });
  await expect(page.getByRole('alert')).toContainText('refused');
});

/** An export file holding one linear conversation of `count` messages, numbered from 0. */
function longExport(count: number, title: string): Buffer {
  const start = Date.UTC(2026, 0, 5);
  const messages = Array.from({ length: count }, (_, index) => ({
    id: `long-${index}`,
    parentId: index === 0 ? null : `long-${index - 1}`,
    role: index % 2 === 0 ? 'user' : 'assistant',
    content:
      index === 4
        ? `Message ${index}: the word aardvark appears only here.`
        : `Message ${index}: ${'lorem ipsum dolor '.repeat(1 + (index % 5))}`,
    status: 'complete',
    model: index % 2 === 0 ? null : { provider: 'mistral', model: 'mistral-small-latest' },
    usage: null,
    error: null,
    createdAt: start + index * 1000,
    updatedAt: start + index * 1000,
  }));
  const file = {
    format: 'causerie-export',
    version: 1,
    exportedAt: start + count * 1000,
    folders: [],
    conversations: [
      {
        id: 'long-conversation',
        title,
        model: { provider: 'mistral', model: 'mistral-small-latest' },
        activeLeafId: `long-${count - 1}`,
        createdAt: start,
        updatedAt: start + count * 1000,
        messages,
      },
    ],
  };
  return Buffer.from(JSON.stringify(file));
}

test('a long conversation opens at its last page and loads the pages above as you scroll up', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Import conversations').setInputFiles({
    name: 'long.json',
    mimeType: 'application/json',
    buffer: longExport(250, 'Long thread'),
  });
  await expect(page.getByRole('dialog').getByRole('status')).toContainText('Imported 1');
  await page.keyboard.press('Escape');
  await page
    .getByRole('list', { name: 'Conversations' })
    .getByRole('button', { name: 'Long thread', exact: true })
    .click();

  const log = page.getByRole('log');
  await expect(log).toContainText('Message 249:');
  // The last 100 of 250 were sent; the rest waits above.
  const earlier = page.getByRole('button', { name: /Show earlier messages/ });
  await expect(earlier).toHaveText('Show earlier messages (150 more)');
  expect(await log.locator('li').count()).toBeLessThan(60); // virtualized, not 100 rows

  // Scrolling to the top loads the page above, and the view does not jump: the message that was
  // at the top is still on screen.
  const thread = page.getByRole('region', { name: 'Thread' });
  await thread.evaluate((element) => (element.scrollTop = 0));
  await expect(earlier).toHaveText('Show earlier messages (50 more)');
  await expect(log.getByText('Message 150:', { exact: false })).toBeInViewport();

  // The button (for keyboard users) loads the rest.
  await earlier.focus();
  await page.keyboard.press('Enter');
  await expect(earlier).toHaveCount(0);
  await thread.evaluate((element) => (element.scrollTop = 0));
  await expect(log.getByText('Message 0:', { exact: false })).toBeInViewport();

  // A search hit far up a long thread opens the thread there.
  await page.getByRole('button', { name: 'New chat' }).first().click();
  await page.getByRole('searchbox', { name: 'Search conversations' }).fill('aardvark');
  await page.getByRole('list', { name: 'Search results' }).getByRole('button').first().click();
  await expect(page.locator('.message-focused')).toContainText('aardvark');
  await expect(page.locator('.message-focused')).toBeInViewport();
  await expect(earlier).toHaveCount(0);
});

test('delete one message after asking; the rest of the thread stays, also after reload', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await chat(page, 'Première question à effacer', 'Echo 1: Première question à effacer');
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Deuxième question gardée');
  await box.press('Enter');
  const log = page.getByRole('log');
  await expect(log).toContainText('Echo 2: Deuxième question gardée');

  const first = log.locator('li.message-user', { hasText: 'Première question à effacer' });
  await first.hover();
  await first.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('alertdialog', { name: 'Delete this message?' });
  await expect(dialog).toContainText('The messages after it stay');
  // Cancel (focused first) keeps it.
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
  await expect(first).toHaveCount(1);

  await first.hover();
  await first.getByRole('button', { name: 'Delete', exact: true }).click();
  await dialog.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(first).toHaveCount(0);
  await expect(log).toContainText('Echo 1: Première question à effacer');
  await expect(log).toContainText('Echo 2: Deuxième question gardée');
  await expect(log.locator('li.message')).toHaveCount(3);

  await page.reload();
  await expect(log).toContainText('Echo 2: Deuxième question gardée');
  await expect(log.locator('li.message')).toHaveCount(3);
  expect(await log.locator('li.message-user').allTextContents()).not.toContainEqual(
    expect.stringContaining('Première question à effacer'),
  );
});
