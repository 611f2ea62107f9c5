import { describe, expect, it } from 'vitest';
import { checkIpcSender, type IpcSenderInfo } from './ipcSender';

const trusted = new Set([7]);
const good: IpcSenderInfo = {
  frameUrl: 'app://causerie/index.html',
  isMainFrame: true,
  webContentsId: 7,
};

describe('checkIpcSender', () => {
  it('trusts the top frame of a window we created, showing our origin', () => {
    expect(checkIpcSender(good, trusted)).toBeNull();
    expect(checkIpcSender({ ...good, frameUrl: 'app://causerie/?c=1#x' }, trusted)).toBeNull();
  });

  it.each<[string, Partial<IpcSenderInfo>]>([
    ['a webContents we did not create', { webContentsId: 8 }],
    ['a sub-frame', { isMainFrame: false }],
    ['a frame that is gone', { frameUrl: null }],
    ['another origin', { frameUrl: 'https://evil.example/' }],
    ['another app host', { frameUrl: 'app://other/index.html' }],
    ['a file page', { frameUrl: 'file:///tmp/index.html' }],
    ['a blank page', { frameUrl: 'about:blank' }],
  ])('refuses %s with a VALIDATION error', (_label, change) => {
    expect(checkIpcSender({ ...good, ...change }, trusted)).toEqual({
      code: 'VALIDATION',
      message: expect.any(String) as string,
      retryable: false,
    });
  });

  it('refuses everyone when no window is trusted', () => {
    expect(checkIpcSender(good, new Set())).not.toBeNull();
  });
});
