/**
 * Drives the real Electron shell (dist/main/index.js) against the fake Mistral server. Electron's
 * binary is downloaded by its postinstall step; where that could not happen (no network beyond
 * the npm registry) this test skips and prints why, rather than passing.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { _electron as electron, type ElectronApplication } from 'playwright';
import { PRELOAD_GLOBAL, type MethodName, type PreloadBridge } from '../shared/contract';
import { startFakeMistral, type FakeMistralServer } from '../testing/fixtures/fakeMistralServer';

const MAIN_ENTRY = path.resolve('dist/main/index.js');
const KEY = 'e2e-key-1234567890abcdef';
/** `require('electron')` tries to download a missing binary; give up quickly when offline. */
const RESOLVE_TIMEOUT_MS = 20_000;

type Found = { executablePath: string } | { reason: string };

/**
 * Asks a plain Node child for `require('electron')`, the path of the binary. Done in a child
 * because a missing binary makes the require throw (after a download attempt), and because the
 * test runner should never load Electron's install logic itself.
 */
function findElectronExecutable(): Promise<Found> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-e', "process.stdout.write(require('electron'))"],
      { timeout: RESOLVE_TIMEOUT_MS, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (error) {
          // Node ends an uncaught error with its version; the last `Error: ...` line is the cause.
          const detail =
            stderr.split('\n').findLast((line) => /^\w*Error: /.test(line)) ??
            (error.killed ? `timed out after ${RESOLVE_TIMEOUT_MS} ms` : error.message);
          resolve({
            reason: `Electron binary not present: require('electron') failed (${detail})`,
          });
          return;
        }
        const executablePath = stdout.trim();
        if (!executablePath || !existsSync(executablePath)) {
          resolve({ reason: `Electron binary not present: nothing at "${executablePath}"` });
          return;
        }
        resolve({ executablePath });
      },
    );
  });
}

function skipWithReason(reason: string): void {
  // Printed as well as recorded, so a skipped run is visible in plain console output.
  console.log(`[e2e/electron.spec] SKIPPED: ${reason}`);
  test.skip(true, reason);
}

let fake: FakeMistralServer | undefined;
let app: ElectronApplication | undefined;
let userDataDir: string | undefined;

test.afterEach(async () => {
  await app?.close();
  app = undefined;
  await fake?.close();
  fake = undefined;
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  userDataDir = undefined;
});

test('the desktop window is locked down and chats through the fake Mistral server', async () => {
  test.setTimeout(90_000);
  const found = await findElectronExecutable();
  if ('reason' in found) return skipWithReason(found.reason);
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return skipWithReason('No display for Electron: run the end-to-end tests under xvfb-run.');
  }
  expect(existsSync(MAIN_ENTRY), `${MAIN_ENTRY} is missing: run "npm run build" first`).toBe(true);

  fake = await startFakeMistral({ apiKey: KEY });
  userDataDir = mkdtempSync(path.join(tmpdir(), 'causerie-electron-e2e-'));
  const args = [`--user-data-dir=${userDataDir}`, MAIN_ENTRY];
  // Chromium refuses to start its sandbox as root (CI containers); the page stays context-isolated.
  if (process.getuid?.() === 0) args.unshift('--no-sandbox');
  app = await electron.launch({
    executablePath: found.executablePath,
    args,
    env: { ...process.env, MISTRAL_API_KEY: KEY, MISTRAL_BASE_URL: fake.url },
  });

  const page = await app.firstWindow();
  await expect(page).toHaveURL('app://causerie/index.html');
  const windowTitle = await app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows()[0]?.getTitle(),
  );
  expect(windowTitle).toBe('Causerie');

  // Nothing from Node reaches the page; only the one bridge object does.
  const globals = await page.evaluate((bridgeName) => {
    const scope = globalThis as unknown as Record<string, unknown>;
    const bridge = scope[bridgeName];
    return {
      require: typeof scope.require,
      process: typeof scope.process,
      module: typeof scope.module,
      bridgeKeys: bridge && typeof bridge === 'object' ? Object.keys(bridge).sort() : null,
    };
  }, PRELOAD_GLOBAL);
  expect(globals).toEqual({
    require: 'undefined',
    process: 'undefined',
    module: 'undefined',
    bridgeKeys: ['invoke', 'onEvent'],
  });

  // The bridge refuses names outside the contract without asking the main process.
  const refused = await page.evaluate((bridgeName) => {
    const scope = globalThis as unknown as Record<string, PreloadBridge>;
    return scope[bridgeName]?.invoke('settings.__proto__' as MethodName, {});
  }, PRELOAD_GLOBAL);
  expect(refused).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

  const message = page.getByRole('textbox', { name: 'Message' });
  await expect(message).toBeVisible();
  await page.getByRole('button', { name: 'New chat' }).click();
  await message.fill('Bonjour Causerie');
  await message.press('Enter');
  await expect(page.getByRole('log', { name: 'Messages' })).toContainText(
    'Echo 1: Bonjour Causerie',
  );
  expect(fake.requests).toHaveLength(1);
});
