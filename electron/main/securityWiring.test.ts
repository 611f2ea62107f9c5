/**
 * Runs the real Electron shell (index.ts) against a stand-in for the `electron` module, so the
 * security wiring that lives in index.ts itself — permission handlers, navigation and window-open
 * guards, webview refusal, IPC sender checks, the app scheme — is exercised without the Electron
 * binary, which cannot be downloaded everywhere the tests run. The pure modules it uses have
 * their own tests; this one checks that index.ts actually applies them.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_INVOKE_CHANNEL } from '../../shared/contract';

type Listener = (...args: unknown[]) => unknown;

const fake = vi.hoisted(() => {
  /** A minimal event emitter that remembers its listeners by event name. */
  class Emitter {
    listeners = new Map<string, Listener[]>();
    on(name: string, listener: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
      return this;
    }
    once(name: string, listener: Listener) {
      return this.on(name, listener);
    }
    emit(name: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(name) ?? []) listener(...args);
    }
    handler(name: string): Listener {
      const found = this.listeners.get(name)?.[0];
      if (!found) throw new Error(`no "${name}" listener was registered`);
      return found;
    }
  }

  let nextContentsId = 1;
  class FakeWebContents extends Emitter {
    id = nextContentsId++;
    windowOpenHandler: Listener | null = null;
    setWindowOpenHandler(handler: Listener) {
      this.windowOpenHandler = handler;
    }
    isDestroyed() {
      return false;
    }
    send() {}
  }

  const windows: FakeBrowserWindow[] = [];
  class FakeBrowserWindow extends Emitter {
    webContents = new FakeWebContents();
    loaded: string[] = [];
    readonly options: Record<string, unknown>;
    constructor(options: Record<string, unknown>) {
      super();
      this.options = options;
      windows.push(this);
      // Electron announces every new webContents to the app.
      app.emit('web-contents-created', {}, this.webContents);
    }
    loadURL(url: string) {
      this.loaded.push(url);
      return Promise.resolve();
    }
    loadFile(file: string) {
      this.loaded.push(`loadFile:${file}`);
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    show() {}
    focus() {}
    restore() {}
    static getAllWindows() {
      return windows;
    }
    static fromWebContents(contents: unknown) {
      return windows.find((window) => window.webContents === contents) ?? null;
    }
  }

  const paths = new Map<string, string>();
  const app = Object.assign(new Emitter(), {
    commandLine: { getSwitchValue: () => '' },
    setPath: (name: string, value: string) => paths.set(name, value),
    getPath: (name: string) => {
      const value = paths.get(name);
      if (!value) throw new Error(`no path ${name}`);
      return value;
    },
    requestSingleInstanceLock: () => true,
    whenReady: () => Promise.resolve(),
    isReady: () => true,
    quit: vi.fn(),
    exit: vi.fn(),
    getVersion: () => '0.0.0-test',
    getLocale: () => 'en-US',
    // What users run: the security wiring that differs from a checkout (menu, devtools) is checked.
    isPackaged: true,
    setAppUserModelId: () => undefined,
  });

  const permissionHandlers: Record<string, Listener> = {};
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (handler: Listener) => (permissionHandlers.request = handler),
      setPermissionCheckHandler: (handler: Listener) => (permissionHandlers.check = handler),
      setDevicePermissionHandler: (handler: Listener) => (permissionHandlers.device = handler),
    },
  };
  const ipcHandlers = new Map<string, Listener>();
  const protocol = {
    privileged: [] as unknown[],
    handled: new Map<string, Listener>(),
    registerSchemesAsPrivileged(schemes: unknown[]) {
      this.privileged.push(...schemes);
    },
    handle(scheme: string, handler: Listener) {
      this.handled.set(scheme, handler);
    },
  };
  const shell = { openExternal: vi.fn(() => Promise.resolve()) };
  // The confirmation dialog: records what it showed and answers with `response` (0 = Open).
  const messageBox = {
    shown: [] as { message: string; detail: string }[],
    response: 1,
    show(...args: unknown[]) {
      this.shown.push(args.at(-1) as { message: string; detail: string });
      return Promise.resolve({ response: this.response, checkboxChecked: false });
    },
  };
  // A plain list rather than vi.fn(): vitest clears mock calls before each test.
  const menu = {
    set: [] as unknown[],
    setApplicationMenu(built: unknown) {
      this.set.push(built);
    },
  };
  const module = {
    app,
    BrowserWindow: FakeBrowserWindow,
    dialog: {
      showErrorBox: vi.fn(),
      showMessageBox: (...args: unknown[]) => messageBox.show(...args),
    },
    ipcMain: { handle: (channel: string, handler: Listener) => ipcHandlers.set(channel, handler) },
    Menu: {
      buildFromTemplate: (template: unknown) => ({ template }),
      setApplicationMenu: (built: unknown) => menu.setApplicationMenu(built),
    },
    protocol,
    safeStorage: {
      isEncryptionAvailable: () => true,
      getSelectedStorageBackend: () => 'gnome_libsecret',
      encryptString: (text: string) => Buffer.from(text),
      decryptString: (data: Buffer) => data.toString(),
    },
    session,
    shell,
    utilityProcess: { fork: vi.fn() },
    contextBridge: { exposeInMainWorld: vi.fn() },
    ipcRenderer: {},
  };
  return {
    module,
    app,
    paths,
    windows,
    permissionHandlers,
    ipcHandlers,
    protocol,
    shell,
    messageBox,
    menu,
    FakeWebContents,
  };
});

vi.mock('electron', () => ({ ...fake.module, default: fake.module }));

let dataDir: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  // The shell logs every refusal to stderr as well as to its file; the file is checked below.
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  dataDir = mkdtempSync(path.join(tmpdir(), 'causerie-shell-'));
  fake.paths.set('userData', dataDir);
  // No key, no remote base URL: the shell must start without reaching any provider.
  delete process.env.MISTRAL_API_KEY;
  process.env.MISTRAL_BASE_URL = 'http://127.0.0.1:9';
  await import('./index');
  await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
});

afterAll(async () => {
  // Let the start-up backup finish first: closing the store under it only makes log noise.
  await vi.waitFor(
    () =>
      expect(readdirSync(path.join(dataDir, 'backups')).some((name) => name.endsWith('.db'))).toBe(
        true,
      ),
    { timeout: 10_000 },
  );
  // Quitting closes the core (and its database) before the app exits.
  const event = { preventDefault: vi.fn() };
  fake.app.emit('before-quit', event);
  await vi.waitFor(() => expect(fake.app.quit).toHaveBeenCalled());
  process.env = savedEnv;
  vi.restoreAllMocks();
  rmSync(dataDir, { recursive: true, force: true });
});

function navigationEvent(url: string) {
  return { url, preventDefault: vi.fn() };
}

describe('the Electron shell as wired in index.ts', () => {
  it('registers app:// as a standard, secure scheme without CSP bypass, and serves it', () => {
    expect(fake.protocol.privileged).toEqual([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    expect(fake.protocol.handled.has('app')).toBe(true);
    expect(fake.protocol.handled.has('file')).toBe(false);
  });

  it('opens one window with the locked-down preferences and loads the app scheme, not file://', () => {
    const [window] = fake.windows;
    const prefs = window!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      devTools: false,
    });
    expect(prefs).not.toHaveProperty('enableBlinkFeatures');
    expect(String(prefs.preload)).toMatch(/preload[/\\]index\.cjs$/);
    expect(window!.loaded).toEqual(['app://causerie/index.html']);
  });

  it('sets a menu without developer tools or reload in the packaged app', () => {
    expect(fake.menu.set).toHaveLength(1);
    const { template } = fake.menu.set[0] as { template: unknown };
    const text = JSON.stringify(template).toLowerCase();
    expect(text).toContain('editmenu');
    for (const role of ['toggledevtools', 'forcereload', '"reload"', 'viewmenu']) {
      expect(text, role).not.toContain(role);
    }
  });

  it('denies every permission request, permission check and device request', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'hid']) {
      const callback = vi.fn();
      fake.permissionHandlers.request!({}, permission, callback, {});
      expect(callback, permission).toHaveBeenCalledWith(false);
    }
    expect(fake.permissionHandlers.check!({}, 'clipboard-read', 'app://causerie', {})).toBe(false);
    expect(fake.permissionHandlers.device!({ deviceType: 'usb' })).toBe(false);
  });

  it('blocks navigation and redirects away from the app, in every webContents', () => {
    const contents = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', {}, contents);
    for (const name of ['will-navigate', 'will-redirect']) {
      for (const url of [
        'https://evil.example/',
        'file:///etc/passwd',
        'javascript:alert(1)',
        'app://causerie.evil.example/',
        'app://other/index.html',
      ]) {
        const event = navigationEvent(url);
        contents.handler(name)(event);
        expect(event.preventDefault, `${name} ${url}`).toHaveBeenCalled();
      }
      const inApp = navigationEvent('app://causerie/index.html#/c/1');
      contents.handler(name)(inApp);
      expect(inApp.preventDefault).not.toHaveBeenCalled();
    }
  });

  it('never creates a window; only http(s) and mailto links go to the system browser', async () => {
    const contents = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', {}, contents);
    fake.shell.openExternal.mockClear();
    for (const url of [
      'https://mistral.ai/',
      'http://example.org/x',
      'mailto:someone@example.org',
      'file:///etc/passwd',
      'smb://evil.example/share',
      'ms-msdt:/id PCWDiagnostic',
      'javascript:alert(1)',
      'data:text/html,<script>1</script>',
      'app://causerie/index.html',
    ]) {
      expect(contents.windowOpenHandler!({ url }), url).toEqual({ action: 'deny' });
    }
    await vi.waitFor(() =>
      expect(fake.shell.openExternal.mock.calls.map((call) => (call as unknown[])[0])).toEqual([
        'https://mistral.ai/',
        'http://example.org/x',
        'mailto:someone@example.org',
      ]),
    );
  });

  it('opens local-network and mailto-with-fields links only after a dialog showing the address', async () => {
    const contents = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', {}, contents);
    const opened = () => fake.shell.openExternal.mock.calls.map((call) => (call as unknown[])[0]);
    const risky = [
      'http://2130706433/admin',
      'http://[::ffff:192.168.0.1]/',
      'http://localhost:8080/',
      'mailto:a@example.org?body=hello&cc=b@example.org',
    ];

    // Cancel (the default) opens nothing.
    fake.messageBox.shown.length = 0;
    fake.messageBox.response = 1;
    for (const url of risky)
      expect(contents.windowOpenHandler!({ url })).toEqual({ action: 'deny' });
    await vi.waitFor(() => expect(fake.messageBox.shown).toHaveLength(risky.length));
    expect(fake.messageBox.shown.map((options) => options.detail)).toEqual([
      expect.stringContaining('http://127.0.0.1/admin'),
      expect.stringContaining('http://[::ffff:c0a8:1]/'),
      expect.stringContaining('http://localhost:8080/'),
      expect.stringContaining('mailto:a@example.org?body=hello&cc=b@example.org'),
    ]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(opened()).toEqual([]);

    // Open hands over exactly the address that was shown.
    fake.messageBox.response = 0;
    contents.windowOpenHandler!({ url: 'http://2130706433/admin' });
    await vi.waitFor(() => expect(opened()).toEqual(['http://127.0.0.1/admin']));
  });

  it('refuses to attach any <webview>', () => {
    const contents = new fake.FakeWebContents();
    fake.app.emit('web-contents-created', {}, contents);
    const event = { preventDefault: vi.fn() };
    contents.handler('will-attach-webview')(event, { preload: '/x.js' }, { src: 'https://x' });
    expect(event.preventDefault).toHaveBeenCalled();
  });

  it('answers IPC only from the top frame of its own window showing the app', async () => {
    const invoke = fake.ipcHandlers.get(IPC_INVOKE_CHANNEL)!;
    expect(invoke).toBeTypeOf('function');
    const own = fake.windows[0]!.webContents;
    const call = (sender: unknown, senderFrame: unknown) =>
      invoke({ sender, senderFrame }, 'settings.get', {}) as Promise<{
        ok: boolean;
        error?: { code: string };
      }>;
    const top = { url: 'app://causerie/index.html', parent: null };

    expect(await call(own, top)).toMatchObject({ ok: true });
    // Another webContents (a stray window or a devtools page), a sub-frame, another origin, a
    // frame that is gone: all refused before the core sees the call.
    const stranger = new fake.FakeWebContents();
    expect(await call(stranger, top)).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(await call(own, { ...top, parent: {} })).toMatchObject({ ok: false });
    expect(await call(own, { url: 'https://evil.example/', parent: null })).toMatchObject({
      ok: false,
    });
    expect(await call(own, null)).toMatchObject({ ok: false });
    // Unknown methods are refused by the dispatcher behind it.
    const unknown = (await invoke({ sender: own, senderFrame: top }, '__proto__', {})) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(unknown).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('writes its log to the data folder', () => {
    const log = readFileSync(path.join(dataDir, 'logs', 'causerie.log'), 'utf8');
    expect(log).toContain('"event":"app.ready"');
    expect(log).toContain('"event":"navigation.blocked"');
  });
});
