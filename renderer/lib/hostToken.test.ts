import { describe, expect, it } from 'vitest';
import {
  adoptHostToken,
  hostAuthHeaders,
  hostSocketProtocols,
  type TokenWindow,
} from './hostToken';

/** A window whose address, history and sessionStorage are plain values the test can read. */
function fakeWindow(href: string, stored: Record<string, string> = {}) {
  const storage = new Map(Object.entries(stored));
  const win = {
    location: { href },
    history: {
      state: { kept: true },
      replaceState(_state: unknown, _title: string, url?: string | URL | null) {
        win.location.href = new URL(String(url), win.location.href).href;
      },
    },
    sessionStorage: {
      getItem: (key: string) => storage.get(key) ?? null,
      setItem: (key: string, value: string) => void storage.set(key, value),
    },
  } satisfies TokenWindow;
  return { win, storage };
}

describe('adoptHostToken', () => {
  it('takes ?token=, keeps it for the tab and removes it from the address, hash and other parameters kept', () => {
    const { win, storage } = fakeWindow('http://127.0.0.1:4000/?lang=fr&token=abc123#/c/42');
    expect(adoptHostToken(win)).toBe('abc123');
    expect(win.location.href).toBe('http://127.0.0.1:4000/?lang=fr#/c/42');
    expect([...storage.values()]).toEqual(['abc123']);
    expect(hostAuthHeaders()).toEqual({ 'x-causerie-token': 'abc123' });
    expect(hostSocketProtocols()).toEqual(['causerie', 'causerie.token.abc123']);
  });

  it('uses the stored token after a reload, when the address has none', () => {
    const first = fakeWindow('http://127.0.0.1:4000/?token=t0k3n');
    adoptHostToken(first.win);
    const reloaded = fakeWindow('http://127.0.0.1:4000/', Object.fromEntries(first.storage));
    expect(adoptHostToken(reloaded.win)).toBe('t0k3n');
    expect(reloaded.win.location.href).toBe('http://127.0.0.1:4000/');
  });

  it('has no token, and offers none, in a tab that never had one', () => {
    const { win } = fakeWindow('http://127.0.0.1:4000/');
    expect(adoptHostToken(win)).toBeNull();
    expect(hostAuthHeaders()).toEqual({});
    expect(hostSocketProtocols()).toEqual(['causerie']);
  });
});
