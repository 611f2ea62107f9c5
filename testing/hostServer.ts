// Helpers for the browser host's tests only (imported by *.test.ts, never by app code).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { HOST_TOKEN_HEADER } from '../shared/hostProtocol';
import { createCore, type Core } from '../electron/core/createCore';
import { createMemoryLogger } from '../electron/core/logger';
import { startHostServer, type HostServer } from '../electron/host/hostServer';

/** A response as the raw HTTP client saw it. */
export interface RawResponse {
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
}

export interface RequestInit {
  method?: string;
  headers?: Record<string, string | number>;
  body?: Buffer | string;
  /** Write the body but never end the request: the answer must come before the body ends. */
  keepOpen?: boolean;
}

/** A browser host over a real core in a temp folder, with raw clients for its tests. */
export interface TestHost {
  host: HostServer;
  core: Core;
  base: string;
  dir: string;
  dataDir: string;
  /** Every response header the host sent, to check that no cookie was ever set. */
  seenHeaders: IncomingHttpHeaders[];
  send(pathAndQuery: string, init?: RequestInit): Promise<RawResponse>;
  /** The token header, plus `headers`. */
  authorized(headers?: Record<string, string | number>): Record<string, string | number>;
  rpc(
    method: string,
    body: string,
    headers?: Record<string, string | number>,
  ): Promise<RawResponse>;
  openSocket(options?: {
    origin?: string;
    protocols?: string[];
    query?: string;
  }): Promise<{ ws: WebSocket; protocolHeader: string | undefined }>;
  /** The subprotocols the page offers, token included. */
  goodProtocols(): string[];
  close(): Promise<void>;
}

export async function startTestHost(): Promise<TestHost> {
  const dir = mkdtempSync(path.join(tmpdir(), 'causerie-host-'));
  const dataDir = path.join(dir, 'data');
  const rendererDir = path.join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Causerie</title>');
  writeFileSync(path.join(dir, 'secret.txt'), 'outside the renderer');
  const core = createCore({
    dataDir,
    keyVault: { get: () => null, set: () => undefined },
    logger: createMemoryLogger(),
    mistralBaseUrl: 'http://127.0.0.1:9',
    defaultModel: { provider: 'mistral', model: 'mistral-small-latest' },
    // Uploads never start the runtime; a test that did would fail here.
    spawnLocalWorker: () => {
      throw new Error('the local runtime is not started by these tests');
    },
  });
  const host = await startHostServer({
    core,
    rendererDir,
    host: '127.0.0.1',
    port: 0,
    logger: createMemoryLogger(),
  });
  const base = `http://127.0.0.1:${host.port}`;
  const seenHeaders: IncomingHttpHeaders[] = [];

  const send = (pathAndQuery: string, init: RequestInit = {}): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const req = request(
        `${base}${pathAndQuery}`,
        { method: init.method ?? 'GET', headers: init.headers ?? {} },
        (res) => {
          seenHeaders.push(res.headers);
          let body = '';
          res.on('data', (part: Buffer) => (body += part.toString()));
          res.on('end', () => {
            if (init.keepOpen) req.destroy();
            resolve({ status: res.statusCode ?? 0, body, headers: res.headers });
          });
        },
      );
      req.on('error', (error) => {
        if (!init.keepOpen) reject(error);
      });
      if (init.body !== undefined) req.write(init.body);
      if (!init.keepOpen) req.end();
    });

  const authorized = (headers: Record<string, string | number> = {}) => ({
    [HOST_TOKEN_HEADER]: host.token,
    ...headers,
  });

  return {
    host,
    core,
    base,
    dir,
    dataDir,
    seenHeaders,
    send,
    authorized,
    rpc: (method, body, headers = authorized()) =>
      send(`/rpc/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      }),
    openSocket: (options = {}) =>
      new Promise((resolve, reject) => {
        let protocolHeader: string | undefined;
        const ws = new WebSocket(
          `ws://127.0.0.1:${host.port}/ws${options.query ?? ''}`,
          options.protocols ?? [],
          options.origin ? { origin: options.origin } : {},
        );
        ws.once('upgrade', (res) => {
          seenHeaders.push(res.headers);
          protocolHeader = res.headers['sec-websocket-protocol'];
        });
        ws.once('open', () => resolve({ ws, protocolHeader }));
        ws.once('unexpected-response', (_req, res) => {
          seenHeaders.push(res.headers);
          reject(new Error(`HTTP ${res.statusCode}`));
        });
        ws.once('error', reject);
      }),
    goodProtocols: () => ['causerie', `causerie.token.${host.token}`],
    async close() {
      await host.close();
      await core.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The next frame the socket receives, parsed. */
export function nextFrame(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) =>
    ws.once('message', (data) => resolve(JSON.parse((data as Buffer).toString('utf8')))),
  );
}
