import { describe, expect, it } from 'vitest';
import { RENDERER_CSP } from './contentSecurityPolicy';

describe('RENDERER_CSP', () => {
  it("admits workers from the app's own files only", () => {
    const directives = RENDERER_CSP.split('; ');
    expect(directives).toContain("worker-src 'self'");
    const workers = directives.find((d) => d.startsWith('worker-src'));
    expect(workers).not.toMatch(/blob:|data:|\*|https?:/);
    expect(directives).toContain("script-src 'self'");
  });
});
