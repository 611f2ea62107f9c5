import { expect, test, type Page } from '@playwright/test';
import { HOST_TOKEN_HEADER } from '../shared/hostProtocol';
import { useSharedHost } from '../testing/fixtures/sharedHost';

const KEY = 'e2e-key-sidebar-0000000';
const shared = useSharedHost(KEY);

/** Starts a new conversation and waits until it is the one open, so typing cannot race it. */
async function newChat(page: Page) {
  await page.getByRole('button', { name: 'New chat' }).first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('New chat');
}

async function chat(page: Page, text: string) {
  await newChat(page);
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(page.getByRole('log')).toContainText(`Echo 1: ${text}`);
}

const sidebarList = (page: Page) => page.getByRole('list', { name: 'Conversations' });
const conversationButton = (page: Page, title: string) =>
  sidebarList(page).getByRole('button', { name: title, exact: true });

async function openMenu(page: Page, title: string) {
  await page.getByRole('button', { name: `Actions for ${title}` }).click();
}

test('folders: create, rename, file a conversation, fold, and delete without losing it', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await chat(page, 'Recette du gâteau');
  const list = sidebarList(page);
  const item = conversationButton(page, 'Recette du gâteau');

  await page.getByRole('button', { name: 'New folder' }).click();
  const name = page.getByRole('textbox', { name: 'Folder name' });
  await expect(name).toBeFocused();
  await name.fill('Recettes');
  await name.press('Enter');
  await expect(list.getByRole('button', { name: 'Recettes (0)' })).toBeFocused();
  await expect(list.getByText('No conversations here yet.')).toBeVisible();

  // Rename inline from the folder's menu.
  await page.getByRole('button', { name: 'Actions for folder Recettes' }).click();
  await page.getByRole('menuitem', { name: 'Rename folder' }).click();
  await expect(name).toHaveValue('Recettes');
  await name.fill('Cuisine');
  await name.press('Enter');
  const folder = list.getByRole('button', { name: 'Cuisine (0)' });
  await expect(folder).toBeVisible();

  // File the conversation: the submenu marks where it is now.
  await openMenu(page, 'Recette du gâteau');
  await page.getByRole('menuitem', { name: 'Move to folder' }).click();
  await expect(page.getByRole('menuitemradio', { name: 'No folder' })).toHaveAttribute(
    'aria-checked',
    'true',
  );
  await page.getByRole('menuitemradio', { name: 'Cuisine' }).click();
  const filled = list.getByRole('button', { name: 'Cuisine (1)' });
  await expect(filled).toHaveAttribute('aria-expanded', 'true');
  await expect(list.locator('.conversation-row.in-folder')).toHaveText('Recette du gâteau⋯');
  await expect(list.getByRole('heading', { name: 'Today' })).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('folders-light-en.png') });

  // Fold it; the folded state is remembered across a reload, the filing is in the database.
  await filled.click();
  await expect(filled).toHaveAttribute('aria-expanded', 'false');
  await expect(item).toHaveCount(0);
  await page.reload();
  await expect(filled).toHaveAttribute('aria-expanded', 'false');
  await expect(item).toHaveCount(0);
  await filled.focus();
  await page.keyboard.press('ArrowRight');
  await expect(filled).toHaveAttribute('aria-expanded', 'true');
  await expect(item).toBeVisible();

  // Deleting asks first, says the conversations stay, and Esc changes nothing.
  await page.getByRole('button', { name: 'Actions for folder Cuisine' }).click();
  await page.getByRole('menuitem', { name: 'Delete folder' }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Delete the folder “Cuisine”?' });
  await expect(confirm).toHaveAccessibleDescription(
    'The conversation in it is not deleted: it goes back to your conversation list.',
  );
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.screenshot({ path: test.info().outputPath('delete-folder-light-en.png') });
  await page.keyboard.press('Escape');
  await expect(confirm).toHaveCount(0);
  await expect(filled).toBeVisible();

  await page.getByRole('button', { name: 'Actions for folder Cuisine' }).click();
  await page.getByRole('menuitem', { name: 'Delete folder' }).click();
  await confirm.getByRole('button', { name: 'Delete folder' }).click();
  await expect(filled).toHaveCount(0);
  await expect(item).toBeVisible();
  await expect(list.locator('.conversation-row.in-folder')).toHaveCount(0);
  await page.reload();
  await expect(item).toBeVisible();
  await expect(list.getByRole('button', { name: /^Cuisine/ })).toHaveCount(0);
  await item.click();
  await expect(page.getByRole('log')).toContainText('Echo 1: Recette du gâteau');
});

test('keyboard: the conversation menu, its folder submenu and a new folder, without a mouse', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await chat(page, 'Notes de lecture');
  const list = sidebarList(page);
  const trigger = page.getByRole('button', { name: 'Actions for Notes de lecture' });

  // Esc closes the menu and gives focus back to its button.
  await trigger.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('menuitem', { name: 'Rename' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(trigger).toBeFocused();

  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  const move = page.getByRole('menuitem', { name: 'Move to folder' });
  await expect(move).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('menu', { name: 'Move to folder' })).toBeVisible();
  await expect(page.getByRole('menuitemradio', { name: 'No folder' })).toBeFocused();
  // ← comes back to the entry the submenu opened from.
  await page.keyboard.press('ArrowLeft');
  await expect(move).toBeFocused();
  await page.keyboard.press('Enter');
  await page.keyboard.press('End');
  await expect(page.getByRole('menuitem', { name: 'New folder…' })).toBeFocused();
  await page.keyboard.press('Enter');
  const name = page.getByRole('textbox', { name: 'Folder name' });
  await expect(name).toBeFocused();
  await page.keyboard.type('Lectures');
  await page.keyboard.press('Enter');
  const folder = list.getByRole('button', { name: 'Lectures (1)' });
  await expect(folder).toBeFocused();
  await expect(list.locator('.conversation-row.in-folder')).toContainText('Notes de lecture');

  // Back out of the folder: the submenu opens on the folder it is in.
  await trigger.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const current = page.getByRole('menuitemradio', { name: 'Lectures' });
  await expect(current).toBeFocused();
  await expect(current).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await expect(list.getByRole('button', { name: 'Lectures (0)' })).toBeVisible();
  await expect(list.locator('.conversation-row.in-folder')).toHaveCount(0);

  // Archiving removes the row: focus goes to Undo rather than back to the top of the page.
  await trigger.focus();
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('menuitem', { name: 'Archive', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  const undo = page.getByRole('button', { name: 'Undo' });
  await expect(undo).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(list.getByRole('button', { name: 'Notes de lecture', exact: true })).toBeVisible();
});

test('archive and unarchive; the archive survives a reload; delete from the archive', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await chat(page, 'Vieux projet');
  const list = sidebarList(page);
  const item = conversationButton(page, 'Vieux projet');
  const archive = page.getByRole('button', { name: 'Archived (1)' });
  const archiveHeading = list.getByRole('heading', { name: 'Archived' });

  await openMenu(page, 'Vieux projet');
  await page.getByRole('menuitem', { name: 'Archive', exact: true }).click();
  await expect(item).toHaveCount(0);
  await expect(
    page.getByRole('status').filter({ hasText: '“Vieux projet” archived.' }),
  ).toBeVisible();
  await expect(archive).toHaveAttribute('aria-pressed', 'false');

  // Undo brings it straight back.
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(item).toBeVisible();
  await expect(archive).toHaveCount(0);

  // The archive is a view of its own, reached from the sidebar's foot at any list length.
  await openMenu(page, 'Vieux projet');
  await page.getByRole('menuitem', { name: 'Archive', exact: true }).click();
  await expect(item).toHaveCount(0);
  await archive.click();
  await expect(archive).toHaveAttribute('aria-pressed', 'true');
  await expect(archiveHeading).toBeVisible();
  await expect(list.getByRole('heading', { name: 'Folders' })).toHaveCount(0);
  await expect(item).toBeVisible();
  await page.reload();
  await expect(archive).toHaveAttribute('aria-pressed', 'false');
  await expect(item).toHaveCount(0);
  await archive.click();
  await expect(item).toBeVisible();
  // An archived conversation still opens.
  await item.click();
  await expect(page.getByRole('log')).toContainText('Echo 1: Vieux projet');

  await openMenu(page, 'Vieux projet');
  await page.getByRole('menuitem', { name: 'Unarchive' }).click();
  await expect(item).toHaveCount(0);
  await expect(list.getByText('No archived conversations.')).toBeVisible();
  await page.getByRole('button', { name: 'Back to conversations' }).click();
  await expect(item).toBeVisible();
  await expect(page.getByRole('button', { name: /^Archived \(/ })).toHaveCount(0);
  await page.reload();
  await expect(item).toBeVisible();
  await expect(page.getByRole('button', { name: /^Archived \(/ })).toHaveCount(0);

  // Delete from the archive: it goes to the trash like any other.
  await openMenu(page, 'Vieux projet');
  await page.getByRole('menuitem', { name: 'Archive', exact: true }).click();
  await archive.click();
  await openMenu(page, 'Vieux projet');
  await page.getByRole('menuitem', { name: 'Delete' }).click();
  await expect(item).toHaveCount(0);
  await expect(list.getByText('No archived conversations.')).toBeVisible();
  await page.getByRole('button', { name: 'Trash' }).click();
  await expect(page.getByRole('dialog', { name: 'Trash' })).toContainText('Vieux projet');
  await page.keyboard.press('Escape');

  // A new chat goes back to the conversations, where it appears.
  await page.getByRole('button', { name: 'New chat' }).first().click();
  await expect(archiveHeading).toHaveCount(0);
  await expect(list.getByRole('heading', { name: 'Folders' })).toBeVisible();
});

test('pin and unpin, also inside a folder', async ({ page }) => {
  await page.goto(shared.host.url);
  await chat(page, 'À garder sous la main');
  const list = sidebarList(page);
  const pinned = list.getByRole('heading', { name: 'Pinned' });

  await openMenu(page, 'À garder sous la main');
  await page.getByRole('menuitem', { name: 'Pin', exact: true }).click();
  await expect(pinned).toBeVisible();
  await page.reload();
  await expect(pinned).toBeVisible();

  // In a folder it heads the folder instead, marked with a pin.
  await page.getByRole('button', { name: 'New folder' }).click();
  await page.getByRole('textbox', { name: 'Folder name' }).fill('Essentiels');
  await page.getByRole('textbox', { name: 'Folder name' }).press('Enter');
  await openMenu(page, 'À garder sous la main');
  await page.getByRole('menuitem', { name: 'Move to folder' }).click();
  await page.getByRole('menuitemradio', { name: 'Essentiels' }).click();
  await expect(list.getByRole('button', { name: 'Essentiels (1)' })).toBeVisible();
  await expect(pinned).toHaveCount(0);
  await expect(list.locator('.conversation-row.in-folder .icon-pin')).toHaveCount(1);

  await openMenu(page, 'À garder sous la main');
  await page.getByRole('menuitem', { name: 'Unpin' }).click();
  await expect(list.locator('.conversation-row.in-folder .icon-pin')).toHaveCount(0);
  await page.reload();
  await expect(list.getByRole('button', { name: 'Essentiels (1)' })).toBeVisible();
  await expect(list.locator('.icon-pin')).toHaveCount(0);
});

test('drag a conversation onto a folder, and onto a date heading to take it out', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await chat(page, 'À glisser');
  const list = sidebarList(page);
  await page.getByRole('button', { name: 'New folder' }).click();
  await page.getByRole('textbox', { name: 'Folder name' }).fill('Cible');
  await page.getByRole('textbox', { name: 'Folder name' }).press('Enter');
  const folder = list.getByRole('button', { name: 'Cible (0)' });
  await conversationButton(page, 'À glisser').dragTo(folder);
  await expect(list.getByRole('button', { name: 'Cible (1)' })).toBeVisible();
  const filed = list.locator('.conversation-row.in-folder', { hasText: 'À glisser' });
  await expect(filed).toHaveCount(1);
  await conversationButton(page, 'À glisser').dragTo(list.getByRole('heading', { name: 'Today' }));
  await expect(list.getByRole('button', { name: 'Cible (0)' })).toBeVisible();
  await expect(filed).toHaveCount(0);
  await page.reload();
  await expect(list.getByRole('button', { name: 'Cible (0)' })).toBeVisible();
  await expect(conversationButton(page, 'À glisser')).toBeVisible();
});

test('search filters: author, model, date, this conversation and a folder', async ({ page }) => {
  await page.goto(shared.host.url);
  // Long enough to be clearly French: a shorter message would take the English interface's rule
  // under Auto, and the French echo would then be corrected into a second version.
  await chat(page, 'Clafoutis aux cerises, comme chez ma grand-mère');
  await newChat(page);
  await page
    .getByRole('combobox', { name: 'Model' })
    .selectOption({ label: 'mistral-large-latest' });
  await page
    .getByRole('textbox', { name: 'Message' })
    .fill('Clafoutis aux poires, comme chez ma grand-mère');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(page.getByRole('log')).toContainText('Echo 1: Clafoutis aux poires');

  // An old conversation, filed in a folder, comes in through an import.
  const twoYearsAgo = Date.now() - 2 * 365 * 86_400_000;
  const message = (
    id: string,
    role: 'user' | 'assistant',
    content: string,
    parentId: string | null,
  ) => ({
    id,
    parentId,
    role,
    content,
    status: 'complete',
    model: role === 'assistant' ? { provider: 'mistral', model: 'mistral-small-latest' } : null,
    usage: null,
    error: null,
    createdAt: twoYearsAgo,
    updatedAt: twoYearsAgo,
  });
  const file = {
    format: 'causerie-export',
    version: 1,
    exportedAt: twoYearsAgo,
    folders: [{ id: 'old-folder', name: 'Pâtisserie', createdAt: twoYearsAgo }],
    conversations: [
      {
        id: 'old',
        title: 'Clafoutis d’antan',
        model: { provider: 'mistral', model: 'mistral-small-latest' },
        folderId: 'old-folder',
        activeLeafId: 'old-2',
        createdAt: twoYearsAgo,
        updatedAt: twoYearsAgo,
        messages: [
          message('old-1', 'user', 'Le clafoutis de grand-mère', null),
          message('old-2', 'assistant', 'Son clafoutis était aux prunes', 'old-1'),
        ],
      },
    ],
  };
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Import conversations').setInputFiles({
    name: 'old.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(file)),
  });
  await expect(page.getByRole('dialog').getByRole('status')).toContainText('Imported 1');
  await page.keyboard.press('Escape');
  // The imported folder shows at once, without a reload.
  await expect(sidebarList(page).getByRole('button', { name: 'Pâtisserie (1)' })).toBeVisible();

  const search = page.getByRole('searchbox', { name: 'Search conversations' });
  await page.keyboard.press('Control+k');
  await expect(search).toBeFocused();
  await page.keyboard.type('clafoutis');
  const results = page.getByRole('list', { name: 'Search results' });
  const hits = results.getByRole('button');
  await expect(hits).toHaveCount(6);
  const filters = page.getByRole('group', { name: 'Search filters' });

  const author = filters.getByRole('combobox', { name: 'Filter by author' });
  await author.selectOption('user');
  await expect(hits).toHaveCount(3);
  await expect(results.locator('.search-hit-meta')).toHaveText([/^You · /, /^You · /, /^You · /]);
  await author.selectOption('assistant');
  await expect(hits).toHaveCount(3);
  await author.selectOption('any');

  const model = filters.getByRole('combobox', { name: 'Filter by model' });
  await model.selectOption('mistral-large-latest');
  await expect(hits).toHaveCount(2);
  await expect(results.locator('mark').first()).toHaveText(/clafoutis/i);
  await page.screenshot({ path: test.info().outputPath('search-filters-light-en.png') });
  await model.selectOption('');

  const date = filters.getByRole('combobox', { name: 'Filter by date' });
  await date.selectOption('year');
  await expect(hits).toHaveCount(4);
  await expect(results).not.toContainText('antan');
  await date.selectOption('any');
  await expect(hits).toHaveCount(6);

  const scope = filters.getByRole('combobox', { name: 'Search in' });
  await scope.selectOption({ label: 'This conversation' });
  await expect(hits).toHaveCount(2);
  await expect(results).toContainText('Clafoutis aux poires');
  await expect(results).not.toContainText('cerises');
  await scope.selectOption({ label: 'Folder: Pâtisserie' });
  await expect(hits).toHaveCount(2);
  await expect(results).toContainText('Clafoutis d’antan');

  // Filters that exclude everything say so and offer a way out.
  await date.selectOption('week');
  await expect(page.getByText('Nothing found with these filters.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(hits).toHaveCount(6);
  await expect(scope).toHaveValue('all');

  // ↓ from the search box walks the hits; a hit opens its conversation at the message.
  await search.focus();
  await page.keyboard.press('ArrowDown');
  await expect(hits.first()).toBeFocused();
  await scope.selectOption({ label: 'Folder: Pâtisserie' });
  await author.selectOption('assistant');
  await expect(hits).toHaveCount(1);
  await hits.first().click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Clafoutis d’antan');
  await expect(page.locator('.message-focused')).toContainText('aux prunes');
});

test('light and dark, English and Chinese: folders, archive, menus and filters', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await chat(page, 'Archivée pour la capture');
  await openMenu(page, 'Archivée pour la capture');
  await page.getByRole('menuitem', { name: 'Archive', exact: true }).click();
  await chat(page, 'Capture d’écran');
  await openMenu(page, 'Capture d’écran');
  await page.getByRole('menuitem', { name: 'Move to folder' }).click();
  await expect(page.getByRole('menu', { name: 'Move to folder' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('move-menu-light-en.png') });
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');

  const settings = async (language: string, theme: string) => {
    await page.getByRole('button', { name: /^(Settings|设置)$/ }).click();
    const dialog = page.getByRole('dialog');
    await dialog
      .getByRole('combobox', { name: /^(Interface language|界面语言)$/ })
      .selectOption(language);
    await dialog.getByRole('combobox', { name: /^(Theme|主题)$/ }).selectOption(theme);
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  };

  await settings('en', 'dark');
  await openMenu(page, 'Capture d’écran');
  await page.screenshot({ path: test.info().outputPath('menu-dark-en.png') });
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: /^Archived \(\d+\)$/ }).click();
  await expect(conversationButton(page, 'Archivée pour la capture')).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('archive-dark-en.png') });
  await page.getByRole('button', { name: 'Back to conversations' }).click();

  await settings('zh-Hans', 'dark');
  const list = page.getByRole('list', { name: '对话列表' });
  await expect(list.getByRole('heading', { name: '文件夹' })).toBeVisible();
  await expect(page.getByRole('button', { name: '新建文件夹' })).toBeVisible();
  await page.getByRole('button', { name: 'Capture d’écran 的操作' }).click();
  await expect(page.getByRole('menuitem', { name: '移动到文件夹' })).toBeVisible();
  await expect(page.getByRole('menuitem', { name: '归档' })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('menu-dark-zh.png') });
  await page.keyboard.press('Escape');
  await page.screenshot({ path: test.info().outputPath('sidebar-dark-zh.png') });

  await page.getByRole('searchbox', { name: '搜索对话' }).fill('clafoutis');
  const filters = page.getByRole('group', { name: '搜索筛选' });
  await expect(filters.getByRole('combobox', { name: '按发送者筛选' })).toBeVisible();
  await expect(filters.getByRole('combobox', { name: '按日期筛选' })).toHaveValue('any');
  await page.screenshot({ path: test.info().outputPath('search-dark-zh.png') });

  await settings('zh-Hans', 'light');
  await page.getByRole('searchbox', { name: '搜索对话' }).fill('');
  await expect(list.getByRole('heading', { name: '文件夹' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
  await page.screenshot({ path: test.info().outputPath('sidebar-light-zh.png') });
  await page.getByRole('button', { name: /^已归档（\d+）$/ }).click();
  await expect(list.getByRole('heading', { name: '已归档' })).toBeVisible();
  await expect(
    list.getByRole('button', { name: 'Archivée pour la capture', exact: true }),
  ).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('archive-light-zh.png') });
});

test.describe('10,000 conversations', () => {
  const big = useSharedHost('e2e-key-sidebar-10k-0000');

  test('the sidebar stays virtualized with folders, the archive and search', async ({ page }) => {
    test.setTimeout(180_000);
    const now = Date.now();
    const DAY = 86_400_000;
    // Spread over two years: 500 in one folder, 100 archived, 10 pinned.
    const conversations = Array.from({ length: 10_000 }, (_, i) => {
      const at = now - Math.floor((i / 10_000) * 700 * DAY);
      return {
        id: `c${i}`,
        title: `Conversation numéro ${i}`,
        model: { provider: 'mistral', model: 'mistral-small-latest' },
        folderId: i % 20 === 0 ? 'big' : null,
        archived: i % 100 === 7,
        pinned: i % 1000 === 3,
        createdAt: at,
        updatedAt: at,
        messages: [
          {
            id: `m${i}`,
            parentId: null,
            role: 'user',
            content: `Bonjour numéro ${i}`,
            status: 'complete',
            model: null,
            usage: null,
            error: null,
            createdAt: at,
            updatedAt: at,
          },
        ],
      };
    });
    const file = {
      format: 'causerie-export',
      version: 1,
      exportedAt: now,
      folders: [{ id: 'big', name: 'Grand dossier', createdAt: now }],
      conversations,
    };
    await page.goto(big.host.url);
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    await page.getByLabel('Import conversations').setInputFiles({
      name: 'big.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(file)),
    });
    await expect(page.getByRole('dialog').getByRole('status')).toContainText(
      'Imported 10,000 conversations',
      { timeout: 120_000 },
    );
    await page.keyboard.press('Escape');

    const list = sidebarList(page);
    const rows = list.getByRole('listitem');
    const folder = list.getByRole('button', { name: 'Grand dossier (500)' });
    await expect(folder).toHaveAttribute('aria-expanded', 'true');
    expect(await rows.count()).toBeLessThan(60);
    await folder.click();
    await expect(folder).toHaveAttribute('aria-expanded', 'false');
    await expect(list.getByRole('heading', { name: 'Pinned' })).toBeVisible();

    // The oldest conversation is at the very end of one list of rows, loaded page by page as the
    // end of the list comes near: keep scrolling to the bottom until it is there.
    await expect(async () => {
      await list.evaluate((element) => {
        const scroller = element.parentElement;
        if (scroller) scroller.scrollTop = scroller.scrollHeight;
      });
      await expect(conversationButton(page, 'Conversation numéro 9999')).toBeVisible({
        timeout: 250,
      });
    }).toPass({ timeout: 90_000, intervals: [50] });
    expect(await rows.count()).toBeLessThan(60);

    const archive = page.getByRole('button', { name: 'Archived (100)' });
    await archive.click();
    await expect(conversationButton(page, 'Conversation numéro 7')).toBeVisible();
    expect(await rows.count()).toBeLessThan(60);
    await archive.click();

    const search = page.getByRole('searchbox', { name: 'Search conversations' });
    await search.fill('numéro');
    const hits = page.getByRole('list', { name: 'Search results' }).getByRole('button');
    await expect(hits).toHaveCount(50);
    const filters = page.getByRole('group', { name: 'Search filters' });
    await filters.getByRole('combobox', { name: 'Search in' }).selectOption({
      label: 'Folder: Grand dossier',
    });
    await filters.getByRole('combobox', { name: 'Filter by date' }).selectOption('week');
    // The past week holds conversations 0 to 99; those filed are 0, 20, 40, 60 and 80.
    await expect(hits).toHaveCount(5);
    const titles = await hits.locator('.search-hit-title').allTextContents();
    expect(titles.sort()).toEqual([0, 20, 40, 60, 80].map((i) => `Conversation numéro ${i}`));
    await page.screenshot({ path: test.info().outputPath('10k-search-light-en.png') });
  });
});

test.describe('sidebar paging', () => {
  const paged = useSharedHost('e2e-key-sidebar-paging-00');
  const DAY = 86_400_000;

  /** Calls a contract method over `POST /rpc/<method>` (as another client would) and returns its value. */
  async function rpc<T>(method: string, input: unknown): Promise<T> {
    const url = new URL(paged.host.url);
    const target = new URL(`/rpc/${method}`, url);
    // The host takes its token only as a header (see e2e/hostToken.spec.ts).
    const response = await fetch(target, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [HOST_TOKEN_HEADER]: url.searchParams.get('token') ?? '',
      },
      body: JSON.stringify(input),
    });
    const result = (await response.json()) as { ok: boolean; value?: T; error?: unknown };
    if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
    return result.value as T;
  }

  /** The contract calls the page makes over its WebSocket, by method name, and the events it gets. */
  function watchSocket(page: Page) {
    const calls: { method: string; input: unknown }[] = [];
    const events: { name: string; payload: unknown }[] = [];
    page.on('websocket', (ws) => {
      ws.on('framesent', (frame) => {
        const sent = JSON.parse(String(frame.payload)) as { method?: string; input?: unknown };
        if (sent.method) calls.push({ method: sent.method, input: sent.input });
      });
      ws.on('framereceived', (frame) => {
        const got = JSON.parse(String(frame.payload)) as {
          type?: string;
          event?: { name: string; payload: unknown };
        };
        if (got.type === 'event' && got.event) events.push(got.event);
      });
    });
    const count = (method: string) => calls.filter((call) => call.method === method).length;
    return { calls, events, count };
  }

  test.beforeAll(async () => {
    // 600 conversations, one a day back from now, and one folder of 150: the start-up page
    // holds 100 of the unfiled ones.
    const now = Date.now();
    const conversations = Array.from({ length: 600 }, (_, i) => {
      const at = now - i * DAY;
      return {
        id: `p${i}`,
        title: `Fil ${i}`,
        model: { provider: 'mistral', model: 'mistral-small-latest' },
        folderId: i % 4 === 1 ? 'many' : null,
        archived: false,
        pinned: false,
        createdAt: at,
        updatedAt: at,
        messages: [],
      };
    });
    const json = JSON.stringify({
      format: 'causerie-export',
      version: 1,
      exportedAt: now,
      folders: [{ id: 'many', name: 'Beaucoup', createdAt: now }],
      conversations,
    });
    await rpc('import.json', { json });
  });

  test('the first page shows at once; scrolling to the end of a list loads the next', async ({
    page,
  }) => {
    const socket = watchSocket(page);
    await page.goto(paged.host.url);
    const list = sidebarList(page);
    await expect(list.getByRole('button', { name: 'Beaucoup (150)' })).toBeVisible();
    await expect(conversationButton(page, 'Fil 1')).toBeVisible();
    // Nothing asks for the whole list any more; start-up reads one page of the unfiled list
    // (and the folder's first page, its rows being in view).
    expect(socket.count('conversations.list')).toBe(0);
    await expect.poll(() => socket.count('conversations.page')).toBeGreaterThanOrEqual(1);
    const startPages = socket.calls.filter((call) => call.method === 'conversations.page');
    expect(startPages[0]?.input).toMatchObject({ list: { kind: 'unfiled' }, before: null });

    // Fold the folder, so the unfiled list is the end of the sidebar, and scroll to the end:
    // every unfiled conversation arrives, 100 at a time.
    await list.getByRole('button', { name: 'Beaucoup (150)' }).click();
    const oldest = conversationButton(page, 'Fil 599');
    await expect(oldest).toBeHidden();
    await expect(async () => {
      await list.evaluate((element) => {
        const scroller = element.parentElement;
        if (scroller) scroller.scrollTop = scroller.scrollHeight;
      });
      await expect(oldest).toBeVisible({ timeout: 250 });
    }).toPass({ timeout: 30_000, intervals: [50] });
    const unfiledPages = () =>
      socket.calls.filter(
        (call) =>
          call.method === 'conversations.page' &&
          (call.input as { list: { kind: string } }).list.kind === 'unfiled',
      );
    // 450 unfiled: five pages, each from where the last ended, none asked for twice.
    expect(unfiledPages()).toHaveLength(5);
    const cursors = unfiledPages().map((call) =>
      JSON.stringify((call.input as { before: unknown }).before),
    );
    expect(new Set(cursors).size).toBe(5);
    expect(await list.getByRole('listitem').count()).toBeLessThan(60);
    await expect(list.getByText('Loading more conversations…')).toHaveCount(0);

    // A folder shows all of its conversations too, page after page.
    await list.evaluate((element) => {
      const scroller = element.parentElement;
      if (scroller) scroller.scrollTop = 0;
    });
    await list.getByRole('button', { name: 'Beaucoup (150)' }).click();
    await expect(conversationButton(page, 'Fil 1')).toBeVisible();
    // Down through the folder a little at a time, as a person scrolls: its second page loads
    // when the end of its first nears the viewport.
    const lastInFolder = conversationButton(page, 'Fil 597');
    await expect(async () => {
      await list.evaluate((element) => {
        const scroller = element.parentElement;
        if (scroller) scroller.scrollTop += 300;
      });
      await expect(lastInFolder).toBeVisible({ timeout: 100 });
    }).toPass({ timeout: 30_000, intervals: [50] });
    const folderPages = socket.calls.filter(
      (call) =>
        call.method === 'conversations.page' &&
        (call.input as { list: { kind: string } }).list.kind === 'folder',
    );
    expect(folderPages).toHaveLength(2);
  });

  test('a rename elsewhere patches the loaded row, without reading the lists again', async ({
    page,
  }) => {
    const socket = watchSocket(page);
    await page.goto(paged.host.url);
    // The folder folded, the unfiled list shows from its top.
    await sidebarList(page).getByRole('button', { name: 'Beaucoup (150)' }).click();
    await expect(conversationButton(page, 'Fil 2')).toBeVisible();
    await expect.poll(() => socket.count('conversations.counts')).toBe(1);
    const pagesBefore = socket.count('conversations.page');

    // Another client renames a conversation and pins another: this page is told, with the rows.
    await rpc('conversations.rename', { conversationId: 'p2', title: 'Renommé ailleurs' });
    await rpc('conversations.setPinned', { conversationId: 'p598', pinned: true });
    await expect(conversationButton(page, 'Renommé ailleurs')).toBeVisible();
    await expect(conversationButton(page, 'Fil 2')).toHaveCount(0);
    // Pinned elsewhere, a conversation never loaded here heads the list.
    await expect(sidebarList(page).getByRole('heading', { name: 'Pinned' })).toBeVisible();
    await expect(conversationButton(page, 'Fil 598')).toBeVisible();
    const changed = socket.events.filter((event) => event.name === 'conversations.changed');
    expect(
      changed.map((event) => (event.payload as { conversation: { id: string } }).conversation.id),
    ).toEqual(['p2', 'p598']);

    // Trashed elsewhere: it leaves the sidebar.
    await rpc('conversations.trash', { conversationId: 'p2' });
    await expect(conversationButton(page, 'Renommé ailleurs')).toHaveCount(0);
    expect(socket.events.some((event) => event.name === 'conversations.removed')).toBe(true);

    // No list was read again: only the counts, for the conversation that changed list.
    expect(socket.count('conversations.page')).toBe(pagesBefore);
    expect(socket.count('conversations.list')).toBe(0);
    await rpc('conversations.restore', { conversationId: 'p2' });
    await rpc('conversations.setPinned', { conversationId: 'p598', pinned: false });
  });
});
