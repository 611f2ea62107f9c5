import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { WsClientFrameSchema, type WsServerFrame } from '../../shared/contract';
import { RENDERER_CSP } from '../../shared/contentSecurityPolicy';
import { appError, fail } from '../../shared/errors';
import {
  MAX_IMPORT_UPLOAD_BYTES,
  MAX_MODEL_UPLOAD_BYTES,
  MAX_RPC_BODY_BYTES,
} from '../../shared/hostProtocol';
import type { Core } from '../core/createCore';
import type { Logger } from '../core/logger';
import { createTokenCheck, selectProtocol } from './hostAuth';
import { cappedBody, discardRest, readLimitedText } from './requestBody';

/** The Content-Security-Policy of the page; the same policy the Electron window uses. */
export const HOST_CSP = RENDERER_CSP;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
};

export interface HostServerOptions {
  core: Core;
  /** The built renderer (dist/renderer). */
  rendererDir: string;
  /** Address to listen on; loopback unless the user asks otherwise. */
  host: string;
  /** 0 picks any free port. */
  port: number;
  logger: Logger;
  /** Fixed token for tests; a random one per launch otherwise. */
  token?: string;
}

export interface HostServer {
  /** The URL to open, token included. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '');
  return bare === 'localhost' || bare === '::1' || /^127(\.\d{1,3}){3}$/.test(bare);
}

/**
 * Serves the built renderer and the contract (WebSocket at /ws, JSON at POST /rpc/<method>,
 * streamed uploads at POST /upload/model and /upload/import) on one port. Every call needs the
 * per-launch token (see hostAuth.ts); the static files hold no data and need none. The Host header
 * must name this server (against DNS rebinding) and WebSocket upgrades must come from its own
 * origin. JSON bodies and frames stop at 4 MB; only the upload routes stream more, to disk.
 */
export async function startHostServer(options: HostServerOptions): Promise<HostServer> {
  const { core, logger } = options;
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokens = createTokenCheck(token);
  const rendererRoot = path.resolve(options.rendererDir);
  const httpClientId = core.connectClient(() => undefined);
  let port = options.port;

  const allowedHostnames = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (!isLoopbackHost(options.host) && options.host !== '0.0.0.0' && options.host !== '::') {
    allowedHostnames.add(options.host.includes(':') ? `[${options.host}]` : options.host);
  }

  function hostHeaderAllowed(req: IncomingMessage): boolean {
    const header = req.headers.host ?? '';
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(header);
    if (!match) return false;
    const [, hostname = '', headerPort] = match;
    if (headerPort !== undefined && Number(headerPort) !== port) return false;
    // Listening on every interface: any address of this machine may be used, by explicit choice.
    if (options.host === '0.0.0.0' || options.host === '::') return true;
    return allowedHostnames.has(hostname.toLowerCase());
  }

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((error: unknown) => {
      logger.error('host.http_failed', { error });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal error');
    });
  });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    setSecurityHeaders(res);
    if (!hostHeaderAllowed(req)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Misdirected request: this Causerie host does not answer to that Host name.');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://host');
    const route = apiRoute(url.pathname);
    if (route) {
      if (!tokens.header(req)) {
        discardRest(req);
        sendJson(
          res,
          401,
          fail(
            appError(
              'VALIDATION',
              'Unauthorized. Send the token printed by `npm run serve` (the ?token=… part of its address) in the x-causerie-token header.',
            ),
          ),
        );
        return;
      }
      await route(req, res, url);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' });
      res.end();
      return;
    }
    await serveStatic(url.pathname, req, res);
  }

  async function serveStatic(pathname: string, req: IncomingMessage, res: ServerResponse) {
    const decoded = safeDecode(pathname);
    if (decoded === null) {
      res.writeHead(400).end();
      return;
    }
    const relative = pathname === '/' ? 'index.html' : decoded.slice(1);
    const file = path.resolve(rendererRoot, relative);
    if (file !== rendererRoot && !file.startsWith(rendererRoot + path.sep)) {
      res.writeHead(404).end();
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not found');
      return;
    }
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    res.writeHead(200, {
      'content-type': type,
      'cache-control': type.startsWith('text/html') ? 'no-store' : 'private, max-age=3600',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  type Route = (req: IncomingMessage, res: ServerResponse, url: URL) => Promise<void>;
  function apiRoute(pathname: string): Route | null {
    if (pathname === '/upload/model') return handleModelUpload;
    if (pathname === '/upload/import') return handleImportUpload;
    if (pathname.startsWith('/rpc/')) return handleRpc;
    // A plain GET of the socket's address: lets the page tell a wrong token from a host that is
    // down, which a failed WebSocket cannot say.
    if (pathname === '/ws') return checkSocketToken;
    return null;
  }

  function checkSocketToken(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.writeHead(426, { upgrade: 'websocket', 'content-type': 'text/plain; charset=utf-8' });
    res.end('Upgrade required: the token is right, open a WebSocket here.');
    return Promise.resolve();
  }

  async function handleRpc(req: IncomingMessage, res: ServerResponse, url: URL) {
    const method = safeDecode(url.pathname.slice('/rpc/'.length)) ?? '';
    const send = (status: number, payload: unknown) => sendJson(res, status, payload);
    // A JSON content type cannot be sent cross-site without a CORS preflight, which we never grant.
    if (req.method !== 'POST' || !/^application\/json\b/.test(req.headers['content-type'] ?? '')) {
      send(415, fail(appError('VALIDATION', 'Use POST with Content-Type: application/json.')));
      return;
    }
    const raw = await readLimitedText(req, MAX_RPC_BODY_BYTES);
    if (raw === null) {
      send(
        413,
        fail(
          appError(
            'VALIDATION',
            `The request is larger than ${MAX_RPC_BODY_BYTES / 1024 ** 2} MB, the most a call may carry. Import large exports with POST /upload/import.`,
          ),
        ),
      );
      return;
    }
    let input: unknown;
    try {
      input = raw.length === 0 ? {} : JSON.parse(raw);
    } catch {
      send(400, fail(appError('VALIDATION', 'The request body is not valid JSON.')));
      return;
    }
    send(200, await core.dispatch(method, input, { clientId: httpClientId }));
  }

  /**
   * A GGUF the user picked in the page, streamed into the models folder. Bytes only: the page
   * never names a path, and the file name is checked like any other model name.
   */
  async function handleModelUpload(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (!octetStreamPost(req, res)) return;
    const body = cappedBody(
      req,
      MAX_MODEL_UPLOAD_BYTES,
      `The file is larger than ${MAX_MODEL_UPLOAD_BYTES / 1024 ** 3} GB, the largest model file Causerie accepts.`,
    );
    const result = await core.importLocalModel(url.searchParams.get('name') ?? '', body.bytes);
    sendJson(res, body.tooLarge() ? 413 : result.ok ? 200 : 400, result);
  }

  /** An export file picked in the page, too large for one call: streamed to disk, then imported. */
  async function handleImportUpload(req: IncomingMessage, res: ServerResponse) {
    if (!octetStreamPost(req, res)) return;
    const body = cappedBody(
      req,
      MAX_IMPORT_UPLOAD_BYTES,
      `The file is larger than ${MAX_IMPORT_UPLOAD_BYTES / 1_000_000} MB, the largest export Causerie imports.`,
    );
    const result = await core.importJsonUpload(body.bytes);
    sendJson(res, body.tooLarge() ? 413 : result.ok ? 200 : 400, result);
  }

  function octetStreamPost(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method === 'POST' && req.headers['content-type'] === 'application/octet-stream') {
      return true;
    }
    sendJson(
      res,
      415,
      fail(appError('VALIDATION', 'Use POST with Content-Type: application/octet-stream.')),
    );
    return false;
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_RPC_BODY_BYTES,
    handleProtocols: selectProtocol,
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, reason: string) => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://host');
    if (url.pathname !== '/ws') return refuse(404, 'Not Found');
    if (!hostHeaderAllowed(req)) return refuse(421, 'Misdirected Request');
    if (!tokens.upgrade(req)) return refuse(401, 'Unauthorized');
    if (req.headers.origin !== `http://${req.headers.host ?? ''}`) {
      logger.warn('host.ws_foreign_origin', { origin: String(req.headers.origin ?? '') });
      return refuse(403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => attachSocket(ws));
  });

  function attachSocket(ws: WebSocket): void {
    const sendFrame = (frame: WsServerFrame) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
    };
    const clientId = core.connectClient((event) => sendFrame({ type: 'event', event }));
    ws.on('message', (data, isBinary) => {
      void (async () => {
        let frame: unknown;
        try {
          // With ws's default binaryType a message is one Buffer, fragments already joined.
          frame = isBinary ? undefined : JSON.parse((data as Buffer).toString('utf8'));
        } catch {
          frame = undefined;
        }
        const parsed = WsClientFrameSchema.safeParse(frame);
        if (!parsed.success) {
          sendFrame({
            type: 'result',
            id: null,
            result: fail(appError('VALIDATION', 'Malformed frame: expected {id, method, input}.')),
          });
          return;
        }
        const result = await core.dispatch(parsed.data.method, parsed.data.input, { clientId });
        sendFrame({ type: 'result', id: parsed.data.id, result });
      })();
    });
    ws.on('close', () => core.disconnectClient(clientId));
    ws.on('error', (error) => logger.warn('host.ws_error', { errorMessage: error.message }));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const shownHost =
    isLoopbackHost(options.host) || options.host === '0.0.0.0' || options.host === '::'
      ? '127.0.0.1'
      : options.host.includes(':')
        ? `[${options.host}]`
        : options.host;

  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    token,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      core.disconnectClient(httpClientId);
    },
  };
}

function setSecurityHeaders(res: ServerResponse): void {
  res.setHeader('content-security-policy', HOST_CSP);
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.setHeader('x-frame-options', 'DENY');
  res.setHeader('cross-origin-opener-policy', 'same-origin');
  res.setHeader('cross-origin-resource-policy', 'same-origin');
}

function sendJson(res: ServerResponse, status: number, payload: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(payload));
}

/** decodeURIComponent that answers null for a malformed escape instead of throwing. */
function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}
