import { describe, expect, it } from 'vitest';
import {
  OPEN_BUTTON,
  confirmationDialog,
  decideExternalLink,
  dialogLanguage,
  isLocalHost,
} from './externalLinks';

describe('decideExternalLink', () => {
  it.each([
    'http://127.0.0.1/',
    'http://127.8.9.10:8080/admin',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0x7f.0.0.1/',
    'http://017700000001/',
    'http://127.1/',
    'http://localhost:3000/',
    'http://LOCALHOST./',
    'http://api.localhost/',
    'http://printer.local/',
    'http://router/',
    'http://10.0.0.1/',
    'http://172.16.0.1/',
    'http://172.31.255.254/',
    'http://192.168.1.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.64.0.1/',
    'http://0.0.0.0/',
    'http://[::1]/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    'http://[fe80::1]/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:192.168.0.1]/',
    'https://user:pass@192.168.0.1/',
  ])('asks before opening %s, which is this machine or the local network', (url) => {
    const decision = decideExternalLink(url);
    expect(decision).toMatchObject({ action: 'confirm', reason: 'local-address' });
  });

  it.each([
    'https://docs.mistral.ai/',
    'http://example.org/x?q=1',
    'https://8.8.8.8/',
    'https://172.32.0.1/',
    'https://100.128.0.1/',
    'https://[2001:4860:4860::8888]/',
    'mailto:someone@example.org',
  ])('opens %s without asking', (url) => {
    expect(decideExternalLink(url)).toEqual({ action: 'open', url: new URL(url).href });
  });

  it.each([
    'mailto:someone@example.org?body=hello',
    'mailto:someone@example.org?cc=boss@example.org',
    'mailto:a@example.org?subject=x&bcc=c@example.org',
    'mailto:a@example.org?attach=/etc/passwd',
  ])('asks before opening %s, which fills in more than the recipient', (url) => {
    expect(decideExternalLink(url)).toMatchObject({ action: 'confirm', reason: 'mailto-fields' });
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://x/y',
    'app://causerie/',
    'mailto:?to=a@example.org',
    '',
  ])('refuses %s outright', (url) => {
    expect(decideExternalLink(url)).toEqual({ action: 'refuse' });
  });

  it('hands on the parsed address, the one the dialog shows', () => {
    const decision = decideExternalLink('http://2130706433/a b');
    expect(decision).toEqual({
      action: 'confirm',
      url: 'http://127.0.0.1/a%20b',
      host: '127.0.0.1',
      reason: 'local-address',
    });
  });
});

describe('isLocalHost', () => {
  it('tells local names and addresses from public ones', () => {
    expect(isLocalHost('[::1]')).toBe(true);
    expect(isLocalHost('10.1.2.3')).toBe(true);
    expect(isLocalHost('nas.home.arpa')).toBe(true);
    expect(isLocalHost('example.com')).toBe(false);
    expect(isLocalHost('1.1.1.1')).toBe(false);
  });
});

describe('confirmationDialog', () => {
  it('shows the whole address, with Cancel as the default', () => {
    const url = 'mailto:a@example.org?cc=b@example.org&body=' + 'x'.repeat(300);
    const decision = decideExternalLink(url);
    if (decision.action !== 'confirm') throw new Error('expected a confirmation');
    const options = confirmationDialog(decision, 'en-US');
    expect(options.detail).toContain(new URL(url).href);
    expect(options.buttons).toEqual(['Open', 'Cancel']);
    expect(OPEN_BUTTON).toBe(0);
    expect(options.defaultId).toBe(1);
    expect(options.cancelId).toBe(1);
  });

  it('names the host and speaks the system language', () => {
    const decision = decideExternalLink('http://192.168.1.1/setup');
    if (decision.action !== 'confirm') throw new Error('expected a confirmation');
    const fr = confirmationDialog(decision, 'fr-FR');
    expect(fr.buttons).toEqual(['Ouvrir', 'Annuler']);
    expect(fr.detail).toContain('192.168.1.1');
    expect(fr.detail).toContain('http://192.168.1.1/setup');
    expect(confirmationDialog(decision, 'zh-CN').buttons).toEqual(['打开', '取消']);
    expect(dialogLanguage('de-DE')).toBe('en');
  });
});
