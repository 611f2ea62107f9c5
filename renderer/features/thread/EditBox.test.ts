import { describe, expect, it } from 'vitest';
import { isSaveAndSendKey } from './EditBox';

const key = (overrides: Partial<Parameters<typeof isSaveAndSendKey>[0]>) => ({
  key: 'Enter',
  ctrlKey: false,
  metaKey: false,
  isComposing: false,
  ...overrides,
});

describe('isSaveAndSendKey', () => {
  it('is Ctrl+Enter or ⌘+Enter', () => {
    expect(isSaveAndSendKey(key({ ctrlKey: true }))).toBe(true);
    expect(isSaveAndSendKey(key({ metaKey: true }))).toBe(true);
  });

  it('leaves plain Enter to the text (a newline) and never fires during an IME composition', () => {
    expect(isSaveAndSendKey(key({}))).toBe(false);
    expect(isSaveAndSendKey(key({ ctrlKey: true, isComposing: true }))).toBe(false);
    expect(isSaveAndSendKey(key({ key: 'a', ctrlKey: true }))).toBe(false);
  });
});
