/**
 * The Electron shell: lifecycle, the one window, the app scheme, and the IPC adapter over the
 * core. Everything that decides something lives in a pure module beside this one, with tests.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  protocol,
  safeStorage,
  session,
  shell,
  type IpcMainInvokeEvent,
  type Session,
  type WebContents,
} from 'electron';
import { IPC_INVOKE_CHANNEL } from '../../shared/contract';
import { appError, fail, type Result } from '../../shared/errors';
import { readEnvironmentConfig } from '../core/config';
import { createCore, type Core } from '../core/createCore';
import { createAppLogger } from '../core/logging/rotatingLog';
import { buildMenuTemplate } from './applicationMenu';
import { createAppProtocolHandler } from './appProtocol';
import { createClientRegistry, type ClientRegistry } from './clientRegistry';
import {
  OPEN_BUTTON,
  confirmationDialog,
  decideExternalLink,
  type ExternalLinkDecision,
} from './externalLinks';
import { checkIpcSender } from './ipcSender';
import { APP_ENTRY_URL, APP_SCHEME, isAppUrl } from './navigation';
import { createSafeStorageKeyVault } from './safeStorageKeyVault';
import { utilityWorker } from './utilityWorker';
import { createMainWindowOptions } from './windowOptions';

// Built to dist/main/index.js, beside dist/preload/index.cjs and dist/renderer/.
const here = path.dirname(fileURLToPath(import.meta.url));
const RENDERER_ROOT = path.join(here, '..', 'renderer');
const PRELOAD_PATH = path.join(here, '..', 'preload', 'index.cjs');
const LOCAL_WORKER_PATH = path.join(here, '..', 'local', 'localWorker.js');

/** How long quitting waits for streams to be cancelled and saved before giving up. */
const CLOSE_TIMEOUT_MS = 5_000;

// JSON lines to stderr and <userData>/logs/causerie.log, opened at the first line, by which time
// `--user-data-dir` has been applied.
const logger = createAppLogger({ dataDir: () => app.getPath('userData') });

// Must run before `ready`: the scheme's privileges are fixed when Chromium starts.
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

// Tests and portable setups pass `--user-data-dir`; honour it explicitly, before the
// single-instance lock (which is scoped to the data folder) and before anything is stored.
const userDataSwitch = app.commandLine.getSwitchValue('user-data-dir');
if (userDataSwitch) app.setPath('userData', path.resolve(userDataSwitch));

if (app.requestSingleInstanceLock()) {
  start();
} else {
  // Another instance owns this data folder; it has been asked to focus its window.
  app.quit();
}

function start(): void {
  const trustedWebContents = new Set<number>();
  let mainWindow: BrowserWindow | null = null;
  let core: Core | null = null;
  let clients: ClientRegistry | null = null;
  let shutdown: 'running' | 'closing' | 'closed' = 'running';

  if (process.platform === 'win32') app.setAppUserModelId('com.causerie.app');

  app.on('second-instance', () => {
    if (!mainWindow) {
      if (app.isReady() && core) mainWindow = createMainWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  // Applies to every webContents, including ones we did not expect to exist.
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (app.isReady() && core && !mainWindow) mainWindow = createMainWindow();
  });

  app.on('before-quit', (event) => {
    if (!core || shutdown === 'closed') return;
    // Quitting waits for the core to cancel streams and save partial replies, then resumes.
    event.preventDefault();
    if (shutdown === 'closing') return;
    shutdown = 'closing';
    void closeCore(core).finally(() => {
      shutdown = 'closed';
      app.quit();
    });
  });

  app
    .whenReady()
    .then(onReady)
    .catch((error: unknown) => {
      logger.error('app.start_failed', { error });
      dialog.showErrorBox(
        'Causerie could not start',
        error instanceof Error ? error.message : String(error),
      );
      app.exit(1);
    });

  function onReady(): void {
    const dataDir = app.getPath('userData');
    const keyVault = createSafeStorageKeyVault({
      dataDir,
      encryptor: safeStorage,
      env: process.env,
      logger,
    });
    // Asked after `ready`: before it, safeStorage on Linux has not chosen its backend yet.
    const keyStorage = keyVault.protection();
    if (keyStorage !== 'os-keychain') logger.warn('keyvault.weak_protection', { keyStorage });
    core = createCore({
      spawnLocalWorker: utilityWorker(LOCAL_WORKER_PATH),
      dataDir,
      keyVault,
      keyStorage,
      logger,
      ...readEnvironmentConfig(process.env),
    });
    clients = createClientRegistry(core);

    denyAllPermissions(session.defaultSession);
    protocol.handle(APP_SCHEME, createAppProtocolHandler(RENDERER_ROOT));
    ipcMain.handle(IPC_INVOKE_CHANNEL, handleInvoke);
    Menu.setApplicationMenu(
      Menu.buildFromTemplate(
        buildMenuTemplate({ platform: process.platform, isPackaged: app.isPackaged }),
      ),
    );
    mainWindow = createMainWindow();
    logger.info('app.ready', { version: app.getVersion(), packaged: app.isPackaged });
  }

  async function handleInvoke(
    event: IpcMainInvokeEvent,
    method: unknown,
    input: unknown,
  ): Promise<Result<unknown>> {
    const sender = event.sender;
    const frame = describeFrame(event);
    const refusal = checkIpcSender({ ...frame, webContentsId: sender.id }, trustedWebContents);
    if (refusal) {
      logger.warn('ipc.sender_refused', {
        webContentsId: sender.id,
        isMainFrame: frame.isMainFrame,
        origin: originOf(frame.frameUrl),
      });
      return fail(refusal);
    }
    if (!core || !clients || shutdown !== 'running') {
      return fail(appError('INTERNAL', 'Causerie is shutting down.', false));
    }
    return core.dispatch(method, input, { clientId: clients.clientFor(sender) });
  }

  function createMainWindow(): BrowserWindow {
    const options = createMainWindowOptions(PRELOAD_PATH, { isPackaged: app.isPackaged });
    const window = new BrowserWindow(options);
    const contents = window.webContents;
    const id = contents.id;
    trustedWebContents.add(id);

    contents.on('did-start-navigation', (details) => {
      // A reload or an in-app navigation replaces the page: its streams go with it. Navigations
      // away from the app are blocked in `will-navigate`, so they must not cancel anything.
      if (details.isMainFrame && !details.isSameDocument && isAppUrl(details.url)) {
        clients?.forget(id);
      }
    });
    contents.on('render-process-gone', (_event, details) => {
      logger.error('renderer.gone', { reason: details.reason, exitCode: details.exitCode });
      clients?.forget(id);
    });
    contents.once('destroyed', () => {
      trustedWebContents.delete(id);
      clients?.forget(id);
    });

    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
      // Without a page `ready-to-show` never fires; show the window so the failure is visible.
      logger.error('window.load_failed', { error });
      if (!window.isDestroyed()) window.show();
    });
    return window;
  }
}

function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    logger.warn('navigation.blocked', { origin: originOf(event.url) });
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
    logger.warn('navigation.redirect_blocked', { origin: originOf(event.url) });
  });
  contents.setWindowOpenHandler(({ url }) => {
    // Links meant for the outside world open in the user's browser; no window is ever created.
    openExternally(contents, url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    logger.warn('webview.blocked');
  });
}

/**
 * Hands a link to the operating system: public http(s) and plain mailto at once, local-network
 * addresses and mailto with fields only after the user has seen the whole address and said yes.
 */
function openExternally(contents: WebContents, url: string): void {
  const decision = decideExternalLink(url);
  if (decision.action === 'refuse') {
    logger.warn('window_open.blocked', { origin: originOf(url) });
    return;
  }
  const confirmed =
    decision.action === 'open' ? Promise.resolve(true) : askToOpen(contents, decision);
  confirmed
    .then(async (yes) => {
      if (yes) return shell.openExternal(decision.url);
      logger.info('shell.open_external_declined', { origin: originOf(decision.url) });
    })
    .catch((error: unknown) => {
      logger.error('shell.open_external_failed', { origin: originOf(decision.url), error });
    });
}

async function askToOpen(
  contents: WebContents,
  decision: Extract<ExternalLinkDecision, { action: 'confirm' }>,
): Promise<boolean> {
  const options = confirmationDialog(decision, app.getLocale());
  const owner = BrowserWindow.fromWebContents(contents);
  const { response } = owner
    ? await dialog.showMessageBox(owner, options)
    : await dialog.showMessageBox(options);
  return response === OPEN_BUTTON;
}

/** A chat app needs no camera, microphone, notifications, geolocation or devices. */
function denyAllPermissions(target: Session): void {
  target.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.warn('permission.denied', { permission });
    callback(false);
  });
  target.setPermissionCheckHandler(() => false);
  target.setDevicePermissionHandler(() => false);
}

function describeFrame(event: IpcMainInvokeEvent): {
  frameUrl: string | null;
  isMainFrame: boolean;
} {
  try {
    const frame = event.senderFrame;
    if (!frame) return { frameUrl: null, isMainFrame: false };
    return { frameUrl: frame.url, isMainFrame: frame.parent === null };
  } catch {
    // A frame disposed mid-call throws on access; such a caller is not trusted.
    return { frameUrl: null, isMainFrame: false };
  }
}

/** Only the scheme and host reach the log: full URLs may carry tokens or personal data. */
function originOf(url: string | null): string {
  if (!url) return 'none';
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return 'unparsable';
  }
}

async function closeCore(core: Core): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), CLOSE_TIMEOUT_MS);
  });
  try {
    const outcome = await Promise.race([core.close().then(() => 'closed' as const), timeout]);
    if (outcome === 'timeout') logger.warn('core.close_timed_out', { ms: CLOSE_TIMEOUT_MS });
  } catch (error) {
    logger.error('core.close_failed', { error });
  } finally {
    clearTimeout(timer);
  }
}
