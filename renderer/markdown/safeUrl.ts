import { isPublicAddress } from '../../shared/publicAddress';

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

/**
 * Why a click on this openable link must ask first, or null to open it at once:
 * - `local`: it points at this machine or a private network (loopback in any spelling the URL
 *   parser normalises, such as http://2130706433/, http://0x7f000001/ or http://127.1/;
 *   localhost and *.localhost; private, link-local, CGNAT, unique-local and IPv4-mapped
 *   addresses; 0.0.0.0), where a page can reach the user's router, printer or local servers;
 * - `mailto`: an email link that fills in more than the address (?body=, ?cc=, ?subject=…).
 * Names are not resolved here (the page has no resolver), so only what the address says counts.
 */
export function linkCaution(url: URL): 'local' | 'mailto' | null {
  if (url.protocol === 'mailto:') return url.search === '' ? null : 'mailto';
  return isLocalHost(url.hostname) ? 'local' : null;
}

/** True for a URL host (as `new URL()` normalised it) on this machine or a private network. */
export function isLocalHost(hostname: string): boolean {
  let host = hostname.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (host.startsWith('[') && host.endsWith(']')) return !isPublicAddress(host.slice(1, -1));
  // A host of digits and dots is an IPv4 address by now: the URL parser normalised it.
  if (/^[\d.]+$/.test(host)) return !isPublicAddress(host);
  return false;
}
