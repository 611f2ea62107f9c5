/**
 * The page's Content-Security-Policy, sent by the Electron app scheme and the browser host alike:
 * scripts only from the app itself (no inline, no eval), nothing remote. Workers (the code
 * highlighter) only from the app's own files: not blob:, data: or another origin. Inline styles
 * stay allowed because syntax highlighting sets them; they cannot run code.
 */
export const RENDERER_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
