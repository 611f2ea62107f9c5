import type { MenuItemConstructorOptions } from 'electron';

export interface MenuContext {
  platform: NodeJS.Platform;
  /** `app.isPackaged`: an installed build, as opposed to `npm start` from a checkout. */
  isPackaged: boolean;
}

/**
 * The application menu's template. Electron's `viewMenu` role carries Reload, Force Reload and
 * Toggle Developer Tools (with their accelerators); an installed app offers none of them: the
 * developer tools are a console into the page, and a reload drops the page's streams. A
 * development run keeps the stock menu.
 */
export function buildMenuTemplate({
  platform,
  isPackaged,
}: MenuContext): MenuItemConstructorOptions[] {
  const viewMenu: MenuItemConstructorOptions = isPackaged
    ? {
        label: 'View',
        submenu: [
          { role: 'resetZoom' },
          { role: 'zoomIn' },
          { role: 'zoomOut' },
          { type: 'separator' },
          { role: 'togglefullscreen' },
        ],
      }
    : { role: 'viewMenu' };
  return [
    ...(platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    viewMenu,
    { role: 'windowMenu' },
  ];
}
