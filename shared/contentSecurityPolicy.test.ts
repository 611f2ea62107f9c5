import { describe, expect, it } from 'vitest';
import { RENDERER_CSP, RENDERER_META_CSP } from './contentSecurityPolicy';

const directives = RENDERER_CSP.split('; ');
const directive = (name: string) => directives.find((d) => d.split(' ')[0] === name);

describe('RENDERER_CSP', () => {
  it("admits workers from the app's own files only", () => {
    expect(directives).toContain("worker-src 'self'");
    const workers = directive('worker-src');
    expect(workers).not.toMatch(/blob:|data:|\*|https?:/);
    expect(directives).toContain("script-src 'self'");
  });

  it('lets no inline or injected style sheet in; only style attributes (for KaTeX) stay inline', () => {
    expect(directive('style-src')).toBe("style-src 'self'");
    // Attributes only: <style> elements fall back to style-src, which is 'self'.
    expect(directive('style-src-attr')).toBe("style-src-attr 'unsafe-inline'");
    expect(directive('style-src-elem')).toBeUndefined();
    expect(RENDERER_CSP).not.toMatch(/unsafe-eval|unsafe-hashes|strict-dynamic/);
    expect(directive('script-src')).not.toContain('unsafe-inline');
  });

  it('leaves out of the meta form only what a meta tag cannot carry', () => {
    expect(RENDERER_META_CSP).not.toContain('frame-ancestors');
    expect(RENDERER_META_CSP.split('; ')).toEqual(
      directives.filter((d) => !d.startsWith('frame-ancestors')),
    );
  });
});
