import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { CoreError } from '../coreError';
import { isPublicAddress, resolveWithSystem, type ResolveHost } from './imageAddresses';

/**
 * Remote images in replies are never loaded by the page: its CSP allows no remote source, and
 * an image URL can carry conversation text to a stranger's server. When the user clicks "Load
 * image" (or allows images in a conversation), the core fetches it here and hands the page a
 * `data:` URL, after checking that it is an image of reasonable size.
 *
 * It never talks to this machine or the user's network: every name is resolved here and the
 * connection goes to the address that was checked (a `lookup` on the request itself, so a name
 * that answers differently the second time — DNS rebinding — cannot slip through), and every
 * redirect is checked the same way. Node's fetch cannot pin an address without undici's own
 * Agent, hence node:http. Whatever goes wrong once a request is under way, the page gets one
 * message, so it cannot tell an open port from a closed one.
 */

/** Largest image fetched; a bigger one is refused rather than loaded into the page. */
export const MAX_IMAGE_BYTES = 8 * 1024 * 1024;
/** How long the whole fetch (redirects and body) may take. */
export const IMAGE_TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 3;

/**
 * Raster formats only. SVG is refused: it is a document that can reference other resources,
 * and nothing a reply needs is lost by showing its link instead.
 */
const IMAGE_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'image/bmp',
]);

export interface FetchedImage {
  /** `data:<type>;base64,…`, for an `<img>` under the page's CSP (`img-src data:`). */
  dataUrl: string;
  bytes: number;
}

export interface FetchImageOptions {
  /** Resolves names; tests pass one they control. */
  resolve?: ResolveHost;
  /** Names answered as given, loopback included (`CAUSERIE_TEST_HOSTS`, tests only). */
  testHosts?: ReadonlyMap<string, string>;
  timeoutMs?: number;
  maxBytes?: number;
}

/** The one message for every failure after the address checks out, whatever its cause. */
export const IMAGE_UNAVAILABLE =
  'The image could not be loaded. Open the link in your browser if you trust it.';

/** Fetches an http(s) image for the page; throws a {@link CoreError} the user can read otherwise. */
export async function fetchRemoteImage(
  url: string,
  options: FetchImageOptions = {},
): Promise<FetchedImage> {
  const maxBytes = options.maxBytes ?? MAX_IMAGE_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs ?? IMAGE_TIMEOUT_MS);
  const lookup = checkedLookup(options.resolve ?? resolveWithSystem, options.testHosts);
  let target = httpUrl(url);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await get(target, lookup, signal);
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        response.resume();
        const location = response.headers.location;
        if (!location || redirects >= MAX_REDIRECTS) throw unavailable();
        target = new URL(location, target);
        if (target.protocol !== 'http:' && target.protocol !== 'https:') throw unavailable();
        if (target.username || target.password) throw unavailable();
        continue;
      }
      const type = (response.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const declared = Number(response.headers['content-length'] ?? '0');
      if (status !== 200 || !IMAGE_TYPES.has(type) || declared > maxBytes) {
        response.destroy();
        throw unavailable();
      }
      const body = await readAtMost(response, maxBytes);
      return {
        dataUrl: `data:${type};base64,${body.toString('base64')}`,
        bytes: body.byteLength,
      };
    }
  } catch (error) {
    if (error instanceof CoreError) throw error;
    throw unavailable(error);
  }
}

function unavailable(cause?: unknown): CoreError {
  // VALIDATION: the page shows the core's words for it (NETWORK would say a reply was cut).
  return new CoreError('VALIDATION', IMAGE_UNAVAILABLE, { cause, retryable: false });
}

/** A refusal the address rule raised (kept apart from network errors only for the log). */
class AddressRefused extends Error {}

/**
 * The `lookup` every request connects through: test names as given, every other name resolved
 * and refused unless each of its addresses is public. Node calls it at connect time, for the
 * very connection, so the address checked is the address used.
 */
function checkedLookup(
  resolve: ResolveHost,
  testHosts: ReadonlyMap<string, string> | undefined,
): LookupFunction {
  return (hostname, options, callback) => {
    const answer = (address: string) => {
      const family = isIP(address);
      if (options.all) callback(null, [{ address, family }]);
      else callback(null, address, family);
    };
    const fixed = testHosts?.get(hostname.toLowerCase());
    if (fixed) return answer(fixed);
    resolve(hostname).then(
      (addresses) => {
        const first = addresses[0];
        if (!first || !addresses.every((entry) => isPublicAddress(entry.address))) {
          callback(new AddressRefused(`${hostname} is not a public address`), '', 0);
        } else answer(first.address);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

function get(url: URL, lookup: LookupFunction, signal: AbortSignal): Promise<IncomingMessage> {
  // Literal addresses never reach `lookup`: they are checked here.
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(literal) && !isPublicAddress(literal)) return Promise.reject(unavailable());
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(url, {
      lookup,
      signal,
      agent: false,
      // No cookies or referrer: the image host learns nothing about the conversation.
      headers: { accept: [...IMAGE_TYPES].join(', ') },
    });
    request.once('response', resolve);
    request.once('error', reject);
  });
}

function httpUrl(raw: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new CoreError('VALIDATION', 'That image address is not a valid link.');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CoreError('VALIDATION', 'Only http and https images can be loaded.');
  }
  if (parsed.username || parsed.password) {
    throw new CoreError('VALIDATION', 'Image links with a user name or password are not loaded.');
  }
  return parsed;
}

/** The body, stopping (and refusing) as soon as it passes `maxBytes`, whatever was declared. */
async function readAtMost(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      response.destroy();
      throw unavailable();
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}
