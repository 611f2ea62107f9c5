import { expect, test, type Locator, type Page } from '@playwright/test';
import { useSharedHost } from '../testing/fixtures/sharedHost';

const KEY = 'e2e-key-composer-edit-00';
const shared = useSharedHost(KEY);

/** WCAG contrast ratio of two computed `rgb(…)` colours. */
function contrast(foreground: string, background: string): number {
  const luminance = (css: string) => {
    const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((part) => {
      const c = Number(part) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const [light, dark] = [luminance(foreground), luminance(background)].sort((a, b) => b - a);
  return (light! + 0.05) / (dark! + 0.05);
}

async function colours(button: Locator): Promise<{ color: string; background: string }> {
  return button.evaluate((element) => {
    const style = getComputedStyle(element);
    return { color: style.color, background: style.backgroundColor };
  });
}

async function newChat(page: Page) {
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'New chat' }).first().click();
  return page.getByRole('textbox', { name: 'Message', exact: true });
}

test('clicking Stop with the mouse stops the reply and keeps the half-written draft', async ({
  page,
}) => {
  const box = await newChat(page);
  await box.fill('Raconte #slow');
  await box.press('Enter');
  const log = page.getByRole('log');
  await expect(log).toContainText('word3');
  await box.fill('a half-written next message');
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(log).toContainText('Stopped');
  // The draft was not sent: one user turn, and the box still holds it.
  await expect(box).toHaveValue('a half-written next message');
  await expect(log.locator('.message-user')).toHaveCount(1);
  expect(
    shared.fake.requests.filter((r) => JSON.stringify(r.body).includes('half-written')),
  ).toEqual([]);
});

test('the edit box: Save and send is readable, and Ctrl+Enter saves and sends a new branch', async ({
  page,
}) => {
  const box = await newChat(page);
  await box.fill('First version');
  await box.press('Enter');
  const log = page.getByRole('log');
  await expect(log).toContainText('Echo 1: First version');

  await log.locator('.message-user').hover();
  await log.getByRole('button', { name: 'Edit' }).click();
  const editField = page.getByRole('textbox', { name: 'Edit message' });
  await expect(editField).toBeFocused();
  const save = page.getByRole('button', { name: 'Save and send' });
  // Disabled until the text changes, but still legible; enabled, at least WCAG AA for text.
  await expect(save).toBeDisabled();
  const idle = await colours(save);
  expect(contrast(idle.color, idle.background)).toBeGreaterThanOrEqual(4.5);
  await editField.fill('Second version');
  await expect(save).toBeEnabled();
  const ready = await colours(save);
  expect(contrast(ready.color, ready.background)).toBeGreaterThanOrEqual(4.5);
  await page.screenshot({ path: test.info().outputPath('edit-box.png') });

  // Enter is a newline inside the edit box; Ctrl+Enter saves and sends.
  await editField.press('Enter');
  await expect(editField).toHaveValue('Second version\n');
  await editField.press('Control+Enter');
  await expect(editField).toHaveCount(0);
  await expect(log).toContainText('Echo 1: Second version');
  await expect(log.getByText('2/2').first()).toBeVisible();
});

test('↑ in the empty message box opens the last message for editing, not a new turn', async ({
  page,
}) => {
  const box = await newChat(page);
  await box.fill('Une question');
  await box.press('Enter');
  const log = page.getByRole('log');
  await expect(log).toContainText('Echo 1: Une question');

  await box.focus();
  await box.press('ArrowUp');
  const editField = page.getByRole('textbox', { name: 'Edit message' });
  await expect(editField).toBeFocused();
  await expect(editField).toHaveValue('Une question');
  await expect(box).toHaveValue('');
  await editField.press('End');
  await editField.pressSequentially(' précise');
  await editField.press('Control+Enter');
  await expect(log).toContainText('Echo 1: Une question précise');
  // An edit is a new branch of the same turn, not a duplicate turn below it.
  await expect(log.locator('.message-user')).toHaveCount(1);
  await expect(log.getByText('2/2').first()).toBeVisible();

  // Esc closes an edit box without stopping or sending anything.
  await box.focus();
  await box.press('ArrowUp');
  await expect(editField).toBeFocused();
  await editField.press('Escape');
  await expect(editField).toHaveCount(0);
  await expect(log.locator('.message-user')).toHaveCount(1);
});

test('an Enter between compositionstart and compositionend never sends', async ({ page }) => {
  const box = await newChat(page);
  await box.fill('中');
  // A composition whose keydown the browser does not flag (no isComposing, keyCode 13): only
  // the composer's own compositionstart/compositionend guard can tell.
  await box.evaluate((element) => {
    element.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true }));
    element.dispatchEvent(
      new KeyboardEvent('keydown', { key: 'Enter', keyCode: 13, bubbles: true, cancelable: true }),
    );
  });
  await expect(box).toHaveValue('中');
  await expect(page.getByRole('log').locator('.message-user')).toHaveCount(0);
  await box.evaluate((element) =>
    element.dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '' })),
  );
  await box.press('Enter');
  await expect(page.getByRole('log')).toContainText('Echo 1: 中');
});
