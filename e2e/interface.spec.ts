import { expect, test } from '@playwright/test';
import { useSharedHost } from '../testing/fixtures/sharedHost';

const KEY = 'e2e-key-interface-0000';
const shared = useSharedHost(KEY);

test('the interface switches to French and Chinese, and to dark, from settings', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill('Bonjour 你好');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('log')).toContainText('Echo 1: Bonjour 你好');
  await page.screenshot({ path: test.info().outputPath('light-en.png') });

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.getByRole('combobox', { name: 'Interface language' }).selectOption('fr');
  await expect(page.getByRole('dialog', { name: 'Réglages' })).toBeVisible();
  await page.getByRole('button', { name: 'Fermer' }).click();
  await expect(page.getByRole('button', { name: 'Nouvelle discussion' })).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Message' })).toHaveAttribute(
    'placeholder',
    'Écrire à Causerie…',
  );
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('fr');

  await page.getByRole('button', { name: 'Réglages' }).click();
  await page.getByRole('combobox', { name: 'Langue de l’interface' }).selectOption('zh-Hans');
  await page.getByRole('combobox', { name: '主题' }).selectOption('dark');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await expect(page.getByRole('button', { name: '新对话' })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(background).not.toBe('rgb(255, 255, 255)');
  await page.screenshot({ path: test.info().outputPath('dark-zh.png') });

  // The choice survives a reload.
  await page.reload();
  await expect(page.getByRole('button', { name: '新对话' })).toBeVisible();
});

test('keyboard: the shortcuts panel, Esc stops a reply, ↑ edits the last message', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'New chat' }).click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.fill('Une longue histoire #slow');
  await box.press('Enter');
  await expect(page.getByRole('log')).toContainText('word3');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('log')).toContainText('Stopped');

  await box.focus();
  await box.press('ArrowUp');
  const editField = page.getByRole('textbox', { name: 'Edit message' });
  await expect(editField).toHaveValue('Une longue histoire #slow');
  await editField.press('Escape');
  await expect(editField).toHaveCount(0);

  await page.keyboard.press('Control+/');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Ctrl+Shift+C');
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);

  await page.keyboard.press('Control+k');
  // Nothing to search in yet is fine; the new-chat shortcut must work from anywhere.
  await page.keyboard.press('Control+n');
  await expect(page.getByRole('log').getByRole('listitem')).toHaveCount(0);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
});

test('Enter during an IME composition does not send', async ({ page }) => {
  await page.goto(shared.host.url);
  // The first "New chat" is the sidebar's button; untitled conversations below share the name.
  await page.getByRole('button', { name: 'New chat' }).first().click();
  const box = page.getByRole('textbox', { name: 'Message' });
  await box.focus();
  const session = await page.context().newCDPSession(page);
  // A real composition through Chromium's input pipeline, as a pinyin IME produces it.
  await session.send('Input.imeSetComposition', { text: 'ni', selectionStart: 2, selectionEnd: 2 });
  await page.keyboard.press('Enter');
  await session.send('Input.insertText', { text: '你' });
  await expect(box).toHaveValue(/你/);
  await expect(page.getByRole('log').getByRole('listitem')).toHaveCount(0);
  await box.press('Enter');
  await expect(page.getByRole('log')).toContainText('Echo 1: 你');
});

test('the page loads and chats without any Content Security Policy violation', async ({ page }) => {
  // Recorded from before the app's first script: zod, for one, used to probe `new Function`.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}`),
    );
  });
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|unsafe-eval/i.test(message.text()))
      consoleErrors.push(message.text());
  });
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'New chat' }).first().click();
  await page.getByRole('textbox', { name: 'Message' }).fill('CSP');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('log')).toContainText('Echo 1: CSP');
  const violations = await page.evaluate(
    () => (window as unknown as { __cspViolations: string[] }).__cspViolations,
  );
  expect(violations).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

test('defaults from Settings: new chats start with that model, language and temperature', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const defaults = page.getByRole('region', { name: 'Defaults for new chats' });
  await defaults
    .getByRole('combobox', { name: 'Default model' })
    .selectOption({ label: 'mistral-large-latest' });
  await defaults
    .getByRole('combobox', { name: 'Default reply language' })
    .selectOption({ label: 'Français' });
  const temperature = defaults.getByRole('textbox', { name: 'Temperature' });
  // Out of range: refused with a reason, nothing saved.
  await temperature.fill('5');
  await temperature.press('Enter');
  await expect(defaults.getByRole('alert')).toContainText('from 0 to 2');
  await temperature.fill('0.3');
  await temperature.press('Enter');
  await expect(defaults.getByRole('alert')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('settings-defaults.png') });
  await page.keyboard.press('Escape');

  await page.getByRole('button', { name: 'New chat' }).first().click();
  await expect(page.getByRole('combobox', { name: 'Model' })).toHaveValue(
    JSON.stringify(['mistral', 'mistral-large-latest']),
  );
  await expect(page.getByRole('combobox', { name: 'Reply language' })).toHaveValue('fr');
  const asked = shared.fake.requests.length;
  await page.getByRole('textbox', { name: 'Message' }).fill('Quel temps fait-il ?');
  await page.getByRole('button', { name: 'Send' }).click();
  await expect(page.getByRole('log')).toContainText('Echo 1: Quel temps fait-il ?');
  expect(shared.fake.requests[asked]?.body).toMatchObject({
    model: 'mistral-large-latest',
    temperature: 0.3,
  });

  // Kept across a reload; the open chat shows its own temperature, which can differ.
  await page.reload();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(
    page
      .getByRole('region', { name: 'Defaults for new chats' })
      .getByRole('textbox', { name: 'Temperature' }),
  ).toHaveValue('0.3');
  await page.keyboard.press('Escape');
});
