import { describe, expect, it } from 'vitest';
import {
  MAIN_WINDOW_MIN_HEIGHT,
  MAIN_WINDOW_MIN_WIDTH,
  createMainWindowOptions,
} from './windowOptions';

describe('createMainWindowOptions', () => {
  const options = createMainWindowOptions('/app/dist/preload/index.cjs', { isPackaged: true });

  it('isolates the page from Node and from the preload', () => {
    expect(options.webPreferences).toMatchObject({
      preload: '/app/dist/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
    });
  });

  it('keeps every web security default explicitly on', () => {
    expect(options.webPreferences).toMatchObject({
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
    });
  });

  it('spell-checks, stays hidden until the first paint, and has a usable minimum size', () => {
    expect(options.webPreferences?.spellcheck).toBe(true);
    expect(options.show).toBe(false);
    expect(options.title).toBe('Causerie');
    expect(options.minWidth).toBe(MAIN_WINDOW_MIN_WIDTH);
    expect(options.minHeight).toBe(MAIN_WINDOW_MIN_HEIGHT);
    expect(options.width).toBeGreaterThanOrEqual(MAIN_WINDOW_MIN_WIDTH);
    expect(options.height).toBeGreaterThanOrEqual(MAIN_WINDOW_MIN_HEIGHT);
  });

  it('opens no developer tools in a packaged build, and keeps them in a checkout', () => {
    expect(options.webPreferences?.devTools).toBe(false);
    const development = createMainWindowOptions('/p', { isPackaged: false });
    expect(development.webPreferences?.devTools).toBe(true);
  });

  it('returns a fresh object each time, so no caller can change another window', () => {
    expect(createMainWindowOptions('/p', { isPackaged: true })).not.toBe(
      createMainWindowOptions('/p', { isPackaged: true }),
    );
    expect(createMainWindowOptions('/p', { isPackaged: true }).webPreferences).not.toBe(
      createMainWindowOptions('/p', { isPackaged: true }).webPreferences,
    );
  });
});
