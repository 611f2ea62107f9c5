import { describe, expect, it } from 'vitest';
import { APP_ENTRY_URL, isAllowedExternalUrl, isAppUrl } from './navigation';

describe('isAllowedExternalUrl', () => {
  it.each([
    'https://docs.mistral.ai/',
    'http://example.com/page?q=1#top',
    'mailto:someone@example.com',
    'HTTPS://EXAMPLE.COM/',
  ])('hands %s to the operating system', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(true);
  });

  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    'file:///etc/passwd',
    'file://server/share/evil.exe',
    'data:text/html,<script>alert(1)</script>',
    'smb://attacker.example/share',
    'ms-msdt:/id PCWDiagnostic',
    'vbscript:msgbox',
    'app://causerie/index.html',
    'ftp://example.com/',
    'mailto:',
    'https://',
    'not a url',
    '',
  ])('refuses %s', (url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
});

describe('isAppUrl', () => {
  it.each([
    APP_ENTRY_URL,
    'app://causerie/',
    'app://causerie/assets/index-abc.js',
    'app://CAUSERIE/x',
  ])('accepts our origin: %s', (url) => {
    expect(isAppUrl(url)).toBe(true);
  });

  it.each([
    'app://evil/index.html',
    'app://causerie.evil.example/index.html',
    'app://causerie:8080/index.html',
    'app://user@causerie/index.html',
    'https://causerie/index.html',
    'file:///app/dist/renderer/index.html',
    'javascript:alert(1)',
    'about:blank',
    'garbage',
  ])('refuses %s', (url) => {
    expect(isAppUrl(url)).toBe(false);
  });
});
