import { describe, expect, it } from 'vitest';
import { isSendKey } from './Composer';

describe('isSendKey', () => {
  it('sends on Enter, not on Shift+Enter', () => {
    expect(isSendKey({ key: 'Enter', shiftKey: false, isComposing: false, keyCode: 13 })).toBe(
      true,
    );
    expect(isSendKey({ key: 'Enter', shiftKey: true, isComposing: false, keyCode: 13 })).toBe(
      false,
    );
  });

  it('never sends while an IME composition is in progress', () => {
    expect(isSendKey({ key: 'Enter', shiftKey: false, isComposing: true, keyCode: 13 })).toBe(
      false,
    );
    expect(isSendKey({ key: 'Enter', shiftKey: false, isComposing: false, keyCode: 229 })).toBe(
      false,
    );
  });
});
