import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate } from './applicationMenu';

/** Every role and label in a template, submenus included. */
function entries(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [
    ...(item.role ? [item.role.toLowerCase()] : []),
    ...(item.label ? [item.label] : []),
    ...(Array.isArray(item.submenu) ? entries(item.submenu) : []),
  ]);
}

// The stock roles that bring these items (and their accelerators) along.
const DEVELOPER_ROLES = ['toggledevtools', 'reload', 'forcereload', 'viewmenu'];

describe('buildMenuTemplate', () => {
  it.each(['linux', 'win32', 'darwin'] as const)(
    'offers no developer tools and no reload in a packaged build on %s',
    (platform) => {
      const items = entries(buildMenuTemplate({ platform, isPackaged: true }));
      for (const role of DEVELOPER_ROLES) expect(items, role).not.toContain(role);
      expect(items).toEqual(expect.arrayContaining(['filemenu', 'editmenu', 'windowmenu']));
      expect(items).toEqual(expect.arrayContaining(['zoomin', 'zoomout', 'resetzoom']));
    },
  );

  it('keeps the stock View menu (reload, developer tools) when run from a checkout', () => {
    const items = entries(buildMenuTemplate({ platform: 'linux', isPackaged: false }));
    expect(items).toContain('viewmenu');
  });

  it('has the macOS app menu only on macOS', () => {
    expect(entries(buildMenuTemplate({ platform: 'darwin', isPackaged: true }))).toContain(
      'appmenu',
    );
    expect(entries(buildMenuTemplate({ platform: 'linux', isPackaged: true }))).not.toContain(
      'appmenu',
    );
  });
});
