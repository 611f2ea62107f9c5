import { describe, expect, it } from 'vitest';
import { isLocalHost, linkCaution, openableUrl } from './safeUrl';

const caution = (href: string) => {
  const url = openableUrl(href);
  if (!url) throw new Error(`not openable: ${href}`);
  return linkCaution(url);
};

describe('linkCaution', () => {
  it('asks before loopback in every spelling the URL parser accepts', () => {
    for (const href of [
      'http://127.0.0.1:8080/admin',
      'http://2130706433:631/',
      'http://0x7f000001/',
      'http://0x7f.1/',
      'http://0177.0.0.1/',
      'http://127.1/',
      'http://127.255.255.254/',
      'https://[::1]:3000/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::ffff:7f00:1]/',
      'http://localhost:5173/',
      'http://LOCALHOST./',
      'http://api.localhost/',
      'http://0.0.0.0:8000/',
      'http://0/',
    ]) {
      expect(caution(href), href).toBe('local');
    }
  });

  it('asks before private, link-local, CGNAT and unique-local networks', () => {
    for (const href of [
      'http://10.0.0.1/',
      'http://172.16.0.1/',
      'http://172.31.255.255/',
      'http://192.168.1.1/',
      'http://169.254.169.254/latest/meta-data/',
      'http://100.64.0.1/',
      'http://[fc00::1]/',
      'http://[fd12:3456::1]/',
      'http://[fe80::1]/',
      'http://[::ffff:192.168.0.1]/',
      'http://3232235777/',
    ]) {
      expect(caution(href), href).toBe('local');
    }
  });

  it('opens public addresses and names at once', () => {
    for (const href of [
      'https://example.org/docs',
      'http://93.184.216.34/',
      'http://172.32.0.1/',
      'http://100.128.0.1/',
      'http://[2606:4700::1111]/',
      'https://127.0.0.1.example.org/',
      'https://localhost.example.org/',
      'mailto:someone@example.org',
    ]) {
      expect(caution(href), href).toBeNull();
    }
  });

  it('asks before a mailto link that fills in more than the address', () => {
    expect(caution('mailto:boss@example.org?body=I%20resign')).toBe('mailto');
    expect(caution('mailto:a@example.org?cc=b@example.org&subject=hi')).toBe('mailto');
  });

  it('classifies hosts as new URL() normalises them', () => {
    expect(new URL('http://2130706433/').hostname).toBe('127.0.0.1');
    expect(isLocalHost('[::1]')).toBe(true);
    expect(isLocalHost('example.org')).toBe(false);
  });
});
