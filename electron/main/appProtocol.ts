import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { RENDERER_CSP } from '../../shared/contentSecurityPolicy';
import { isAppUrl } from './navigation';

/** Sent with every response of the app scheme; the same policy the browser host sends. */
export const CONTENT_SECURITY_POLICY = RENDERER_CSP;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** The content type for a file name; unknown kinds are served as opaque bytes (with `nosniff`). */
export function contentTypeFor(filePath: string): string {
  const extension = path.extname(filePath).toLowerCase();
  return (
    (Object.hasOwn(CONTENT_TYPES, extension) && CONTENT_TYPES[extension]) ||
    'application/octet-stream'
  );
}

/** Where an app-scheme request leads: a file inside the renderer folder, or a refusal. */
export type AppRequestTarget =
  | { kind: 'file'; filePath: string; contentType: string }
  | { kind: 'refused'; status: 400 | 403 | 404 };

/**
 * Maps `app://causerie/<path>` to a file under `rendererRoot`. The decoded path is resolved and
 * must stay inside the root: percent-encoded `..`, absolute paths and drive letters end up outside
 * it and are refused, and back-slashes are refused outright, whatever the platform's path rules.
 */
export function resolveAppRequest(url: string, rendererRoot: string): AppRequestTarget {
  if (!isAppUrl(url)) return { kind: 'refused', status: 403 };
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(url).pathname);
  } catch {
    return { kind: 'refused', status: 400 };
  }
  // No asset name has a NUL or a back-slash; Windows would read the latter as a separator.
  if (pathname.includes('\0') || pathname.includes('\\')) return { kind: 'refused', status: 400 };
  if (pathname === '' || pathname === '/') pathname = '/index.html';

  const root = path.resolve(rendererRoot);
  const filePath = path.resolve(root, pathname.slice(1));
  if (!filePath.startsWith(root + path.sep)) return { kind: 'refused', status: 403 };
  return { kind: 'file', filePath, contentType: contentTypeFor(filePath) };
}

/** Reads a file's bytes; injectable so tests can simulate read failures. */
export type ReadAppFile = (filePath: string) => Promise<Uint8Array<ArrayBuffer>>;

/**
 * The handler for `protocol.handle('app', ...)`: only GET and HEAD, only files under
 * `rendererRoot`, every response with the CSP. Uses the web `Request`/`Response`, so it runs
 * under plain Node as well as in Electron.
 */
export function createAppProtocolHandler(
  rendererRoot: string,
  read: ReadAppFile = readFile,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refusal(405, { allow: 'GET, HEAD' });
    }
    const target = resolveAppRequest(request.url, rendererRoot);
    if (target.kind === 'refused') return refusal(target.status);
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await read(target.filePath);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException | null)?.code;
      return refusal(code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR' ? 404 : 500);
    }
    return new Response(request.method === 'HEAD' ? null : body, {
      status: 200,
      headers: { ...securityHeaders(), 'content-type': target.contentType },
    });
  };
}

function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy': CONTENT_SECURITY_POLICY,
    'x-content-type-options': 'nosniff',
  };
}

function refusal(status: number, extra: Record<string, string> = {}): Response {
  return new Response(null, { status, headers: { ...securityHeaders(), ...extra } });
}
