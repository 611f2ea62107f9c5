import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { makeDataDir, startHost, type RunningHost } from '../testing/fixtures/causerieHost';
import { writeTinyGguf } from '../testing/fixtures/tinyGguf';

let host: RunningHost;
let files: Server;
let cleanup: () => void;
let tinyPath: string;

/** Serves the tiny model with Range support, slowly enough that progress is visible. */
function serveModel(bytes: Buffer): Promise<Server> {
  const server = createServer((req, res) => {
    const range = /bytes=(\d+)-/.exec(req.headers.range ?? '');
    const start = range ? Number(range[1]) : 0;
    res.writeHead(range ? 206 : 200, {
      'content-type': 'application/octet-stream',
      'content-length': String(bytes.length - start),
      'accept-ranges': 'bytes',
      ...(range ? { 'content-range': `bytes ${start}-${bytes.length - 1}/${bytes.length}` } : {}),
    });
    let offset = start;
    const step = Math.ceil(bytes.length / 40);
    const timer = setInterval(() => {
      if (res.destroyed || offset >= bytes.length) {
        clearInterval(timer);
        res.end();
        return;
      }
      res.write(bytes.subarray(offset, offset + step));
      offset += step;
    }, 50);
    res.on('close', () => clearInterval(timer));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

test.beforeAll(async () => {
  const dir = makeDataDir();
  cleanup = dir.cleanup;
  tinyPath = path.join(dir.dataDir, 'tiny-import.gguf');
  writeTinyGguf(tinyPath, { name: 'Tiny Causerie', seed: 7 });
  const downloadable = path.join(dir.dataDir, 'tiny-download.gguf');
  writeTinyGguf(downloadable, { name: 'Tiny Download', seed: 8 });
  const bytes = readFileSync(downloadable);
  files = await serveModel(bytes);
  const { port } = files.address() as AddressInfo;
  const catalogue = path.join(dir.dataDir, 'extra-catalogue.json');
  writeFileSync(
    catalogue,
    JSON.stringify({
      models: [
        {
          id: 'tiny-download',
          name: 'Tiny Download',
          fileName: 'tiny-download.gguf',
          url: `http://127.0.0.1:${port}/tiny-download.gguf`,
          sizeBytes: bytes.length,
          approximateSizeBytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          licence: 'MIT',
          contextLength: 2048,
          parameterCount: 1000,
          quantization: 'F32',
          verified: true,
        },
      ],
    }),
  );
  host = await startHost({
    dataDir: path.join(dir.dataDir, 'data'),
    env: {
      MISTRAL_API_KEY: undefined,
      CAUSERIE_EXTRA_CATALOGUE: catalogue,
      CAUSERIE_LOCAL_GPU: 'off',
    },
  });
});
test.afterAll(async () => {
  await host.stop();
  await new Promise((resolve) => files.close(resolve));
  cleanup();
});

test('import a GGUF, download another with progress, and chat with a local model', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto(host.url);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });

  // A catalogue entry without a published checksum says so; one with a checksum does not.
  const catalogueList = settings.getByRole('list', { name: 'Models to download' });
  const entry = (name: string) => catalogueList.getByRole('listitem').filter({ hasText: name });
  await expect(entry('Mistral 7B Instruct v0.2')).toContainText('Unverified');
  await expect(entry('Mistral 7B Instruct v0.3')).not.toContainText('Unverified');
  await expect(entry('Tiny Download')).not.toContainText('Unverified');

  await settings.getByLabel('Import a GGUF file').setInputFiles(tinyPath);
  await expect(settings.getByText('Imported tiny-import.gguf.')).toBeVisible();
  const onDisk = settings.getByRole('list', { name: 'Models on this computer' });
  await expect(onDisk).toContainText('tiny-import.gguf');
  await expect(onDisk).toContainText('llama');

  // A file that is not a GGUF is refused with a clear message.
  await settings.getByLabel('Import a GGUF file').setInputFiles({
    name: 'notes.gguf',
    mimeType: 'application/octet-stream',
    buffer: Buffer.from('this is not a model at all, just text'),
  });
  await expect(page.getByRole('alert')).toContainText(/GGUF/);

  const catalogue = settings.getByRole('list', { name: 'Models to download' });
  await catalogue.getByRole('button', { name: 'Download Tiny Download' }).click();
  await expect(catalogue.getByRole('progressbar', { name: 'Download progress' })).toBeVisible();
  await expect(catalogue).toContainText('Downloaded', { timeout: 30_000 });
  await page.getByRole('button', { name: 'Close' }).click();

  await page.getByRole('button', { name: 'New chat' }).first().click();
  await page.getByRole('combobox', { name: 'Model' }).selectOption({ label: 'Tiny Causerie' });
  await page.getByRole('textbox', { name: 'Message' }).fill('Bonjour petit modèle');
  await page.getByRole('textbox', { name: 'Message' }).press('Enter');
  const reply = page.getByRole('log').locator('li.message-assistant').last();
  await expect(reply.locator('.badge-model')).toHaveText('tiny-import.gguf');
  // The random-weight model never says it is done: stream a little, then Stop keeps the text.
  await expect
    .poll(async () => (await reply.locator('.message-body').innerText()).trim().length, {
      timeout: 60_000,
    })
    .toBeGreaterThan(10);
  await page.getByRole('button', { name: 'Stop' }).click();
  await expect(reply).toHaveAttribute('data-status', 'cancelled');
  const kept = (await reply.locator('.message-body').innerText()).trim();
  expect(kept.length).toBeGreaterThan(10);
  await page.reload();
  await expect(page.getByRole('log').locator('li.message-assistant').last()).toContainText(
    kept.slice(0, 10),
  );
});
