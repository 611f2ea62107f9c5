import { expect, test, type Locator } from '@playwright/test';
import { chunkText } from './fixtures/hostileCorpus';
import { useSharedHost } from './fixtures/sharedHost';

const KEY = 'e2e-key-scroll-00000000';
const shared = useSharedHost(KEY);

/** A reply several screens long. */
const LONG_REPLY = Array.from(
  { length: 150 },
  (_, i) => `Paragraph ${i}: ${'some words of a long reply '.repeat(8)}`,
).join('\n\n');

const scrollTop = (thread: Locator) => thread.evaluate((element) => element.scrollTop);

test('a long streaming reply keeps the view at its end, and still while reading it', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'New chat' }).first().click();
  const thread = page.locator('section.thread');
  const box = page.getByRole('textbox', { name: 'Message' });
  const reply = page.getByRole('log', { name: 'Messages' }).locator('li.message-assistant');

  // At the bottom, the view follows the reply to its end.
  shared.fake.queue.push({ kind: 'stream', chunks: chunkText(LONG_REPLY, 400), delayMs: 5 });
  await box.fill('Write at length');
  await box.press('Enter');
  await expect(reply.last()).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
  await expect(reply.last()).toContainText('Paragraph 149');
  await expect
    .poll(() => thread.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight))
    .toBeLessThan(60);

  // Someone reading the middle of a streaming reply stays where they are, also when it ends
  // (the row is measured again then, and a wrong correction would jump thousands of pixels).
  shared.fake.queue.push({ kind: 'stream', chunks: chunkText(LONG_REPLY, 400), delayMs: 60 });
  await box.fill('Again');
  await box.press('Enter');
  await expect(reply).toHaveCount(2);
  await expect(reply.last()).toContainText('Paragraph 100', { timeout: 30_000 });
  const middle = await reply.last().evaluate((li) => {
    const scroller = li.closest('section.thread') as HTMLElement;
    const top = li.getBoundingClientRect().top - scroller.getBoundingClientRect().top;
    scroller.scrollTop += top + 1_500;
    return scroller.scrollTop;
  });
  await page.waitForTimeout(300);
  expect(Math.abs((await scrollTop(thread)) - middle)).toBeLessThan(5);
  await expect(reply.last()).toHaveAttribute('data-status', 'complete', { timeout: 30_000 });
  await page.waitForTimeout(300);
  expect(Math.abs((await scrollTop(thread)) - middle)).toBeLessThan(5);
});
