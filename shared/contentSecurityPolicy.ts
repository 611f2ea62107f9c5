/**
 * The page's Content-Security-Policy, sent by the Electron app scheme and the browser host alike
 * (both import this constant; `renderer/index.html` repeats it in a meta tag, which a test keeps
 * equal): scripts only from the app itself (no inline, no eval), nothing remote. Workers (the
 * code highlighter) only from the app's own files: not blob:, data: or another origin.
 *
 * Styles: style sheets and `<style>` elements only from the app's own files (`style-src 'self'`),
 * so nothing can inject a style sheet — the way CSS reads a page (attribute selectors that fetch
 * a URL per guessed character) or restyles all of it. Inline `style=""` attributes stay allowed
 * (`style-src-attr 'unsafe-inline'`) for one reason: KaTeX lays formulas out with them (strut
 * heights, vertical offsets, sizes) in the markup MathView sets from its string, and without them
 * every formula collapses; its DOM builder (`katex.render`) would not help, as it sets the width
 * of tall delimiters' SVGs with `setAttribute('style', ...)`. An attribute styles only its own element and cannot fetch anything
 * here (img-src and font-src are 'self'); model text never reaches one, since markdown is built
 * into elements without attributes from the text and KaTeX runs with `trust: false`. React's
 * `style={...}` props are written through the CSSOM, which CSP does not govern.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self'",
  "style-src-attr 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');

/**
 * The policy as a `<meta http-equiv>` tag may carry it: browsers ignore `frame-ancestors` there
 * (and say so in the console), so it is left out; the HTTP header carries it.
 */
export const RENDERER_META_CSP = RENDERER_CSP.split('; ')
  .filter((directive) => !directive.startsWith('frame-ancestors'))
  .join('; ');
