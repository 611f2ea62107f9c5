import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rejectedCoreError as refusal } from '../coreErrorTesting';
import { fetchWithTrustedRedirects } from './downloadRedirects';

/** Two real servers on loopback: the catalogue's origin, and another port it may redirect to. */
let origin: Server;
let other: Server;
let originUrl: string;
let otherUrl: string;
const otherHits: string[] = [];

function listen(server: Server): Promise<string> {
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
}

beforeAll(async () => {
  other = createServer((req, res) => {
    otherHits.push(req.url ?? '');
    res.end('elsewhere');
  });
  otherUrl = await listen(other);
  origin = createServer((req, res) => {
    const to: Record<string, string> = {
      '/same': '/file.gguf',
      '/other-port': `${otherUrl}/file.gguf`,
      '/unknown-host': 'https://files.example.net/file.gguf',
      '/loop': '/loop',
    };
    const location = to[req.url ?? ''];
    if (location) res.writeHead(302, { location }).end();
    else res.end('GGUF-bytes');
  });
  originUrl = await listen(origin);
});
afterAll(() => {
  origin.close();
  other.close();
});

describe('fetchWithTrustedRedirects', () => {
  it('follows a redirect within the same origin', async () => {
    const response = await fetchWithTrustedRedirects(fetch, `${originUrl}/same`, {});
    expect(await response.text()).toBe('GGUF-bytes');
  });

  it('refuses a redirect to another port or an unknown host, without requesting it', async () => {
    const toPort = await refusal(fetchWithTrustedRedirects(fetch, `${originUrl}/other-port`, {}));
    expect(toPort.message).toMatch(/redirected to 127\.0\.0\.1:\d+/);
    const toHost = await refusal(fetchWithTrustedRedirects(fetch, `${originUrl}/unknown-host`, {}));
    expect(toHost.message).toMatch(/files\.example\.net/);
    expect(otherHits).toEqual([]);
  });

  it('stops a redirect loop', async () => {
    const error = await refusal(fetchWithTrustedRedirects(fetch, `${originUrl}/loop`, {}));
    expect(error.message).toMatch(/redirected too often/);
  });

  it("follows https redirects to Hugging Face's CDN and refuses a downgrade to http", async () => {
    // A stand-in for the public internet, which tests cannot reach: a fetch that answers with
    // the redirects Hugging Face really sends (resolve/main → its CDN).
    const fake = vi.fn(async (url: string | URL | Request) => {
      const href = url instanceof Request ? url.url : url.toString();
      if (href.includes('/resolve/')) {
        return new Response(null, {
          status: 302,
          headers: { location: 'https://cas-bridge.xethub.hf.co/xet-bridge/abc?sig=1' },
        });
      }
      if (href.includes('/downgrade')) {
        return new Response(null, {
          status: 302,
          headers: { location: 'http://cdn-lfs.huggingface.co/file' },
        });
      }
      return new Response('GGUF');
    });
    const ok = await fetchWithTrustedRedirects(
      fake,
      'https://huggingface.co/org/repo/resolve/main/model.gguf',
      {},
    );
    expect(await ok.text()).toBe('GGUF');
    const second = fake.mock.calls[1]?.[0];
    expect(second instanceof Request ? second.url : second?.toString()).toMatch(
      /^https:\/\/cas-bridge\.xethub\.hf\.co\//,
    );
    const downgrade = await refusal(
      fetchWithTrustedRedirects(fake, 'https://huggingface.co/downgrade', {}),
    );
    expect(downgrade.message).toMatch(/cdn-lfs\.huggingface\.co/);
  });
});
