import { CoreError } from '../coreError';

/**
 * Remote images in replies are never loaded by the page: its CSP allows no remote source, and
 * an image URL can carry conversation text to a stranger's server. When the user clicks "Load
 * image" (or allows images in a conversation), the core fetches it here and hands the page a
 * `data:` URL, after checking that it is an image of reasonable size.
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

/** Fetches an http(s) image for the page; throws a {@link CoreError} the user can read otherwise. */
export async function fetchRemoteImage(
  url: string,
  options: { fetch?: typeof fetch; timeoutMs?: number; maxBytes?: number } = {},
): Promise<FetchedImage> {
  const fetchImpl = options.fetch ?? fetch;
  const maxBytes = options.maxBytes ?? MAX_IMAGE_BYTES;
  const signal = AbortSignal.timeout(options.timeoutMs ?? IMAGE_TIMEOUT_MS);
  let target = httpUrl(url);
  try {
    for (let redirects = 0; ; redirects++) {
      const response = await fetchImpl(target, {
        redirect: 'manual',
        signal,
        // No cookies or referrer: the image host learns nothing about the conversation.
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
        headers: { accept: [...IMAGE_TYPES].join(', ') },
      });
      if (response.status >= 300 && response.status < 400) {
        const location = response.headers.get('location');
        await response.body?.cancel();
        if (!location || redirects >= MAX_REDIRECTS) {
          throw new CoreError('NOT_FOUND', 'The image could not be loaded: too many redirects.');
        }
        target = httpUrl(new URL(location, target).href);
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new CoreError(
          response.status === 404 ? 'NOT_FOUND' : 'NETWORK',
          `The image could not be loaded: the server answered ${response.status}.`,
        );
      }
      const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!IMAGE_TYPES.has(type)) {
        await response.body?.cancel();
        throw new CoreError(
          'VALIDATION',
          `That link is not an image Causerie shows (${type || 'no type given'}). Open it in your browser instead.`,
        );
      }
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > maxBytes) {
        await response.body?.cancel();
        throw tooLarge(maxBytes);
      }
      const body = await readAtMost(response, maxBytes);
      return {
        dataUrl: `data:${type};base64,${Buffer.from(body).toString('base64')}`,
        bytes: body.byteLength,
      };
    }
  } catch (error) {
    if (error instanceof CoreError) throw error;
    if (signal.aborted) {
      throw new CoreError('TIMEOUT', 'The image took too long to load.', { cause: error });
    }
    throw new CoreError('NETWORK', 'The image could not be loaded: its server did not answer.', {
      cause: error,
    });
  }
}

function httpUrl(raw: string): string {
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
  return parsed.href;
}

function tooLarge(maxBytes: number): CoreError {
  return new CoreError(
    'VALIDATION',
    `The image is larger than ${Math.round(maxBytes / 2 ** 20)} MB; open it in your browser instead.`,
  );
}

/** The body, stopping (and refusing) as soon as it passes `maxBytes`, whatever was declared. */
async function readAtMost(response: Response, maxBytes: number): Promise<Uint8Array> {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
