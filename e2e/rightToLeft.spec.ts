import { expect, test, type Locator } from '@playwright/test';
import { useSharedHost } from '../testing/fixtures/sharedHost';
import { toChunks } from '../testing/fixtures/fakeMistralServer';

const KEY = 'e2e-key-righttoleft-00';
const shared = useSharedHost(KEY);

const REPLY = [
  'مرحبا! لإنشاء خادم بسيط استخدم `const app = express();` ثم شغّله:',
  '',
  '```js',
  'const server = express();',
  '```',
  '',
  'The English sentence stays left to right.',
  '',
  '- عنصر أول في القائمة',
  '- عنصر ثانٍ في القائمة',
  '',
  'هذه الطريقة سهلة وسريعة، ويمكنك بعد ذلك إضافة المسارات والبرمجيات الوسيطة حسب حاجة تطبيقك.',
].join('\n');

/** Horizontal positions of the first and the last character of an element's text. */
function glyphEnds(locator: Locator) {
  return locator.evaluate((element) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    const texts: Text[] = [];
    while (walker.nextNode()) {
      const node = walker.currentNode as Text;
      if (node.data.trim()) texts.push(node);
    }
    const box = (node: Text, at: number) => {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + 1);
      return range.getBoundingClientRect().left;
    };
    const first = texts[0]!;
    const last = texts.at(-1)!;
    const lastAt = last.data.trimEnd().length - 1;
    return {
      first: box(first, first.data.length - first.data.trimStart().length),
      last: box(last, lastAt),
    };
  });
}

test('code in an Arabic reply reads left to right, and each paragraph takes its own direction', async ({
  page,
}) => {
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'New chat' }).first().click();
  await page.getByRole('combobox', { name: 'Reply language' }).selectOption('ar');
  shared.fake.queue.push({ kind: 'stream', chunks: toChunks(REPLY), delayMs: 5 });
  await page.getByRole('textbox', { name: 'Message' }).fill('كيف أنشئ خادما؟');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');

  const body = page
    .getByRole('log')
    .locator('li.message-assistant')
    .last()
    .locator('.message-body');
  await expect(page.getByRole('log').locator('li.message-assistant').last()).toHaveAttribute(
    'data-status',
    'complete',
  );
  await expect(body.locator('pre')).toContainText('const server = express();');
  // The reply stands as written: it is Arabic, not a drift to correct.
  await expect(page.getByRole('log').getByText('2/2')).toHaveCount(0);
  expect(await body.evaluate((element) => getComputedStyle(element).direction)).toBe('rtl');

  const block = body.locator('pre code');
  const inline = body.locator('p code');
  for (const code of [block, inline]) {
    expect(await code.evaluate((element) => getComputedStyle(element).direction)).toBe('ltr');
    const ends = await glyphEnds(code);
    // "c" of "const" on the left, ";" on the right: not ";()const server = express".
    expect(ends.first).toBeLessThan(ends.last);
  }

  const paragraphs = body.locator('p');
  await expect(paragraphs).toHaveCount(3);
  for (const paragraph of await paragraphs.all())
    await expect(paragraph).toHaveAttribute('dir', 'auto');
  for (const item of await body.locator('li').all())
    await expect(item).toHaveAttribute('dir', 'auto');

  const english = body.locator('p', { hasText: 'The English sentence' });
  expect(await english.evaluate((element) => getComputedStyle(element).direction)).toBe('ltr');
  const words = await glyphEnds(english);
  expect(words.first).toBeLessThan(words.last);

  await page.screenshot({ path: test.info().outputPath('arabic-code.png') });
});
