import { describe, expect, it } from 'vitest';
import { matchShortcut } from './shortcuts';

const key = (
  k: string,
  mods: Partial<Record<'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey', boolean>> = {},
) => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('matchShortcut', () => {
  it('uses Ctrl off Mac and ⌘ on Mac', () => {
    expect(matchShortcut(key('n', { ctrlKey: true }), false)).toBe('newChat');
    expect(matchShortcut(key('n', { ctrlKey: true }), true)).toBeNull();
    expect(matchShortcut(key('n', { metaKey: true }), true)).toBe('newChat');
    expect(matchShortcut(key('K', { ctrlKey: true }), false)).toBe('search');
  });

  it('tells copy-last-reply from plain copy', () => {
    expect(matchShortcut(key('C', { ctrlKey: true, shiftKey: true }), false)).toBe('copyLastReply');
    expect(matchShortcut(key('c', { ctrlKey: true }), false)).toBeNull();
  });

  it('knows Esc and ↑', () => {
    expect(matchShortcut(key('Escape'), false)).toBe('stop');
    expect(matchShortcut(key('ArrowUp'), false)).toBe('editLast');
    expect(matchShortcut(key('ArrowUp', { shiftKey: true }), false)).toBeNull();
  });
});
