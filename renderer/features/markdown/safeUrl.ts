/** Link schemes that may be opened: everything else (javascript:, data:, file:, smb:, ms-msdt:, …) is inert. */
const OPENABLE_PROTOCOLS = new Set(['http:', 'https:', 'mailto:']);

/** The URL if a click may open it, else null. */
export function openableUrl(href: string | null | undefined): URL | null {
  if (!href) return null;
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  return OPENABLE_PROTOCOLS.has(url.protocol) ? url : null;
}

/** The host a remote image would be fetched from, for its placeholder. */
export function imageHost(src: string | null | undefined): string | null {
  const url = openableUrl(src);
  return url && url.protocol !== 'mailto:' ? url.host : null;
}
