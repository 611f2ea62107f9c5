/** The scheme the renderer is served from; registered as privileged before `ready`. */
export const APP_SCHEME = 'app';
/** The single host of {@link APP_SCHEME}: the app has one origin, so one host is enough. */
export const APP_HOST = 'causerie';
/** The page the main window loads. */
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

const EXTERNAL_PROTOCOLS: ReadonlySet<string> = new Set(['http:', 'https:', 'mailto:']);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether a link may be handed to the operating system. Anything else (`file:`, `smb:`,
 * `ms-msdt:`, custom handlers...) can launch local programs, so it is refused rather than filtered.
 */
export function isAllowedExternalUrl(url: string): boolean {
  const parsed = parse(url);
  if (!parsed || !EXTERNAL_PROTOCOLS.has(parsed.protocol)) return false;
  if (parsed.protocol === 'mailto:') return parsed.pathname.length > 0;
  return parsed.hostname.length > 0;
}

/** Whether a URL belongs to our own origin, `app://causerie`. */
export function isAppUrl(url: string): boolean {
  const parsed = parse(url);
  // Node gives non-special schemes an opaque origin and keeps the host's case (Chromium folds it
  // for standard schemes), so the parts are compared one by one.
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.hostname.toLowerCase() === APP_HOST &&
    parsed.port === '' &&
    parsed.username === '' &&
    parsed.password === ''
  );
}
