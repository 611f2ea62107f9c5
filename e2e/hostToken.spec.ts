/**
 * The browser host's token stays in the page (security review [N] #21): it is read from ?token=,
 * kept in the tab's sessionStorage, removed from the address bar, and sent only as a header or a
 * WebSocket subprotocol. Never a cookie: cookies are shared by every port of 127.0.0.1, so a
 * cookie would reach any other server on this machine that the browser visits.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test, type Page } from '@playwright/test';
import { useSharedHost } from '../testing/fixtures/sharedHost';

const KEY = 'e2e-key-host-token-00000';
const shared = useSharedHost(KEY);

const token = () => new URL(shared.host.url).searchParams.get('token')!;
const origin = () => new URL(shared.host.url).origin;

async function chat(page: Page, text: string) {
  await page.getByRole('button', { name: 'New chat' }).first().click();
  await page.getByRole('textbox', { name: 'Message' }).fill(text);
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(page.getByRole('log')).toContainText(`Echo 1: ${text}`);
}

/** Another server on loopback, as any other local app or dev server would be, recording requests. */
interface Bystander {
  port: number;
  requests: { url: string; headers: IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

async function startBystander(): Promise<Bystander> {
  const requests: Bystander['requests'] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (part: Buffer) => (body += part.toString()));
    req.on('end', () => {
      requests.push({ url: req.url ?? '', headers: req.headers, body });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Another local server</title><p>hello</p>');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

test('the token leaves the address bar, survives a reload, and is never a cookie', async ({
  page,
  context,
}) => {
  await page.goto(shared.host.url);
  await chat(page, 'Jeton dans la page');
  expect(page.url()).not.toContain('token');
  expect(page.url()).not.toContain(token());

  await page.reload();
  expect(page.url()).not.toContain(token());
  // Still authorized: the history loads, and a new reply streams over the WebSocket.
  const sidebar = page.getByRole('list', { name: 'Conversations' });
  await expect(
    sidebar.getByRole('button', { name: 'Jeton dans la page', exact: true }),
  ).toBeVisible();
  await chat(page, 'Après le rechargement');
  await expect(page.getByText('no valid access token')).toHaveCount(0);

  expect(await page.evaluate(() => document.cookie)).toBe('');
  expect(await context.cookies()).toEqual([]);
  expect(await context.cookies(origin())).toEqual([]);
});

test('another server on 127.0.0.1 receives no token, whether the page or the browser goes there', async ({
  page,
}) => {
  const bystander = await startBystander();
  try {
    await page.goto(shared.host.url);
    await chat(page, 'Avant la visite');
    const elsewhere = `http://127.0.0.1:${bystander.port}`;
    // The page itself navigates away (a link, a redirect), then the browser goes there directly.
    await page.evaluate((url) => {
      location.href = `${url}/from-the-page`;
    }, elsewhere);
    await expect(page).toHaveTitle('Another local server');
    await page.goto(`${elsewhere}/typed-in`);
    // Playwright's request context shares the browser context's cookies.
    await page.request.get(`${elsewhere}/api-context`);
    // The other origin cannot read the tab's storage either (sessionStorage is per origin).
    const storage = await page.evaluate(() => JSON.stringify({ ...sessionStorage }));
    expect(storage).not.toContain(token());

    expect(bystander.requests.map((request) => request.url)).toEqual(
      expect.arrayContaining(['/from-the-page', '/typed-in', '/api-context']),
    );
    for (const request of bystander.requests) {
      expect(request.headers.cookie, request.url).toBeUndefined();
      expect(JSON.stringify(request), request.url).not.toContain(token());
    }
  } finally {
    await bystander.close();
  }
});

test('a wrong or missing token gets a page that says how to get in', async ({ page }) => {
  await page.goto(`${origin()}/?token=${'x'.repeat(token().length)}`);
  expect(page.url()).not.toContain('token');
  await expect(page.getByRole('alert')).toContainText('no valid access token');
  await expect(page.getByRole('alert')).toContainText('?token=');
});

test('an export larger than one call (6 MB) imports through the upload route', async ({ page }) => {
  const chunk = 'Une longue conversation exportée. '.repeat(30_000);
  const messages = Array.from({ length: 6 }, (_, index) => ({
    id: `big-${index}`,
    parentId: index === 0 ? null : `big-${index - 1}`,
    role: index % 2 === 0 ? 'user' : 'assistant',
    content: chunk,
    status: 'complete',
    model: null,
    usage: null,
    error: null,
    createdAt: Date.UTC(2026, 0, 5) + index,
    updatedAt: Date.UTC(2026, 0, 5) + index,
  }));
  const file = Buffer.from(
    JSON.stringify({
      format: 'causerie-export',
      version: 1,
      exportedAt: Date.UTC(2026, 0, 6),
      folders: [],
      conversations: [
        {
          id: 'big-upload',
          title: 'Grande importation',
          model: { provider: 'mistral', model: 'mistral-small-latest' },
          createdAt: Date.UTC(2026, 0, 5),
          updatedAt: Date.UTC(2026, 0, 5),
          messages,
        },
      ],
    }),
  );
  expect(file.length).toBeGreaterThan(6 * 1024 * 1024);

  await page.goto(shared.host.url);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Import conversations').setInputFiles({
    name: 'grande.causerie.json',
    mimeType: 'application/json',
    buffer: file,
  });
  await expect(page.getByRole('dialog').getByRole('status')).toContainText(
    'Imported 1 conversations (6 messages)',
  );
  await page.keyboard.press('Escape');
  const sidebar = page.getByRole('list', { name: 'Conversations' });
  await expect(
    sidebar.getByRole('button', { name: 'Grande importation', exact: true }),
  ).toBeVisible();
});
