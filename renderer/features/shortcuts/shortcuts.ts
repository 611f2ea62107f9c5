import type { MessageKey } from '../../i18n/locales/en';

/** What a keyboard shortcut does. */
export type ShortcutAction = 'newChat' | 'search' | 'stop' | 'editLast' | 'copyLastReply' | 'help';

/** One shortcut: keys as shown, and a matcher for a keydown event. */
export interface Shortcut {
  action: ShortcutAction;
  label: MessageKey;
  keys: (mac: boolean) => string;
  matches(event: ShortcutEvent, mac: boolean): boolean;
}

/** The parts of a KeyboardEvent the shortcuts look at. */
export interface ShortcutEvent {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

const primary = (event: ShortcutEvent, mac: boolean) => (mac ? event.metaKey : event.ctrlKey);
const mod = (mac: boolean) => (mac ? '⌘' : 'Ctrl');

/** Every shortcut, in the order the help panel lists them. */
export const SHORTCUTS: readonly Shortcut[] = [
  {
    action: 'newChat',
    label: 'shortcuts.newChat',
    keys: (mac) => `${mod(mac)}+N`,
    matches: (e, mac) => primary(e, mac) && !e.shiftKey && e.key.toLowerCase() === 'n',
  },
  {
    action: 'search',
    label: 'shortcuts.search',
    keys: (mac) => `${mod(mac)}+K`,
    matches: (e, mac) => primary(e, mac) && !e.shiftKey && e.key.toLowerCase() === 'k',
  },
  {
    action: 'stop',
    label: 'shortcuts.stop',
    keys: () => 'Esc',
    matches: (e) => e.key === 'Escape',
  },
  {
    action: 'editLast',
    label: 'shortcuts.editLast',
    keys: () => '↑',
    matches: (e) => e.key === 'ArrowUp' && !e.ctrlKey && !e.metaKey && !e.altKey && !e.shiftKey,
  },
  {
    action: 'copyLastReply',
    label: 'shortcuts.copyLastReply',
    keys: (mac) => `${mod(mac)}+Shift+C`,
    matches: (e, mac) => primary(e, mac) && e.shiftKey && e.key.toLowerCase() === 'c',
  },
  {
    action: 'help',
    label: 'shortcuts.help',
    keys: (mac) => `${mod(mac)}+/`,
    matches: (e, mac) => primary(e, mac) && e.key === '/',
  },
];

/** The shortcut a keydown event triggers, if any. */
export function matchShortcut(event: ShortcutEvent, mac: boolean): ShortcutAction | null {
  return SHORTCUTS.find((shortcut) => shortcut.matches(event, mac))?.action ?? null;
}
