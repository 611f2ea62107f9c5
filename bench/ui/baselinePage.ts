/**
 * The baseline page: bench/ui/baseline bundled with Vite (a production build, like the app's) into
 * a temporary folder and served on 127.0.0.1, with `POST /stream` proxied to the fake provider so
 * the page reads the very stream the app gets, from its own origin.
 */
import { readFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { build } from 'vite';
import { readBody, sendJson, startLoopbackServer } from '../../testing/fixtures/fakeSse';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** Bundles the baseline page into `outDir`. */
export async function buildBaseline(root: string, outDir: string): Promise<void> {
  await build({
    configFile: false,
    root: path.join(root, 'bench', 'ui', 'baseline'),
    base: './',
    logLevel: 'warn',
    oxc: { jsx: { runtime: 'automatic' } },
    build: {
      outDir,
      emptyOutDir: true,
      target: 'chrome130',
      modulePreload: { polyfill: false },
      chunkSizeWarningLimit: 5_000,
      rolldownOptions: { checks: { bundlerTimings: false } },
    },
  });
}

/** Serves the built page and proxies `POST /stream {marker}` to the provider as a chat request. */
export async function serveBaseline(options: {
  dir: string;
  providerUrl: string;
  apiKey: string;
  model: string;
}): Promise<{ url: string; close(): Promise<void> }> {
  const root = path.resolve(options.dir);
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (req.method === 'POST' && pathname === '/stream') {
      const { marker } = JSON.parse(await readBody(req)) as { marker: string };
      const body = JSON.stringify({
        model: options.model,
        stream: true,
        messages: [{ role: 'user', content: marker }],
      });
      const upstream = httpRequest(`${options.providerUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.apiKey}`,
          'content-type': 'application/json',
          accept: 'text/event-stream',
        },
      });
      upstream.on('response', (answer) => {
        res.writeHead(answer.statusCode ?? 502, {
          'content-type': answer.headers['content-type'] ?? 'text/event-stream',
          'cache-control': 'no-cache',
        });
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      upstream.end(body);
      return;
    }
    const file = path.resolve(root, pathname === '/' ? 'index.html' : pathname.slice(1));
    if (!file.startsWith(root + path.sep)) return sendJson(res, 404, {});
    try {
      const content = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      });
      res.end(content);
    } catch {
      sendJson(res, 404, { message: 'not found' });
    }
  }
  return startLoopbackServer(handle);
}
