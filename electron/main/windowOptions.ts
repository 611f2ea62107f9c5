import type { BrowserWindowConstructorOptions } from 'electron';

/** Below this the composer and the conversation list no longer fit side by side. */
export const MAIN_WINDOW_MIN_WIDTH = 640;
export const MAIN_WINDOW_MIN_HEIGHT = 480;

/**
 * The main window's options. Every security-relevant preference is spelled out, even where it is
 * Electron's default, so a future default change or a careless edit shows up in the tests.
 */
export function createMainWindowOptions(
  preloadPath: string,
  { isPackaged }: { isPackaged: boolean },
): BrowserWindowConstructorOptions {
  return {
    title: 'Causerie',
    width: 1120,
    height: 780,
    minWidth: MAIN_WINDOW_MIN_WIDTH,
    minHeight: MAIN_WINDOW_MIN_HEIGHT,
    // Shown on `ready-to-show`, so the first paint is the app rather than a blank frame.
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      // A file dropped on the window would otherwise replace the app with that file.
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: true,
      // An installed app has no use for a console into the page; a checkout keeps it for work.
      devTools: !isPackaged,
    },
  };
}
