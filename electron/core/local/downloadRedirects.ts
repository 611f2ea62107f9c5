import { CoreError } from '../coreError';

/** Hosts a model download may be redirected to: Hugging Face and its file CDNs. */
export const TRUSTED_DOWNLOAD_DOMAINS = ['huggingface.co', 'hf.co'] as const;

const MAX_REDIRECTS = 5;

/**
 * Fetches a model file, following redirects only to places the download may go: https on
 * {@link TRUSTED_DOWNLOAD_DOMAINS} (or a subdomain), or the very same origin as the catalogue URL
 * (which is how loopback test servers and self-hosted mirrors work). Anything else — another
 * host, a downgrade to http, a loopback address behind a public name — is refused before a
 * request is made to it. fetch's own redirect handling would follow any host.
 */
export async function fetchWithTrustedRedirects(
  doFetch: typeof fetch,
  url: string,
  init: RequestInit,
): Promise<Response> {
  const origin = new URL(url).origin;
  let current = url;
  for (let hop = 0; ; hop++) {
    const response = await doFetch(current, { ...init, redirect: 'manual' });
    if (response.status < 300 || response.status >= 400 || response.status === 304) return response;
    await response.body?.cancel();
    const location = response.headers.get('location');
    if (!location || hop >= MAX_REDIRECTS) {
      throw new CoreError('NETWORK', 'The download server redirected too often, or nowhere.');
    }
    const next = new URL(location, current);
    if (!isTrustedTarget(next, origin)) {
      throw new CoreError(
        'NETWORK',
        `The download was redirected to ${next.host}, which is not where this model is published, so it was stopped.`,
      );
    }
    current = next.href;
  }
}

function isTrustedTarget(target: URL, origin: string): boolean {
  if (target.origin === origin) return true;
  if (target.protocol !== 'https:') return false;
  const host = target.hostname.toLowerCase();
  return TRUSTED_DOWNLOAD_DOMAINS.some((domain) => host === domain || host.endsWith(`.${domain}`));
}
