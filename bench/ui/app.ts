/** The app and the fake provider as bench:ui's scenarios drive them. */
import type { Page } from 'playwright';
import type { RunningHost } from '../../testing/fixtures/causerieHost';
import type { Session } from './session';

let injectedCss: string | undefined;
/** CSS added to every page of the app (--inject-css: trying a fix without changing the app). */
export function injectCss(css: string | undefined): void {
  injectedCss = css;
}

/** Replies the fake provider gives, by a marker in the user's message. */
export const scripted = new Map<string, { chunks: string[]; delayMs: number }>();
/** When the provider received the request for each marker (ms since epoch). */
export const providerStart = new Map<string, number>();

/** Calls a contract method over the host's `POST /rpc/<method>`, as scripts do. */
export function hostRpc(host: RunningHost) {
  const url = new URL(host.url);
  const token = url.searchParams.get('token') ?? '';
  return async (method: string, input: unknown): Promise<unknown> => {
    // The host takes its token only as a header (never the query string or a cookie).
    const response = await fetch(`${url.origin}/rpc/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-causerie-token': token },
      body: typeof input === 'string' ? input : JSON.stringify(input),
    });
    const result = (await response.json()) as { ok: boolean; value?: unknown; error?: unknown };
    if (!result.ok) throw new Error(`${method} failed: ${JSON.stringify(result.error)}`);
    return result.value;
  };
}

/** Loads the app and waits until it is idle. */
export async function openApp(session: Session, host: RunningHost): Promise<void> {
  await session.page.goto(host.url);
  await session.page.getByRole('button', { name: 'New chat' }).waitFor();
  if (injectedCss) await session.page.addStyleTag({ content: injectedCss });
  await session.page.waitForTimeout(500);
}

/** The reply as the host stored it, for the conversation the page shows. */
export async function storedReply(host: RunningHost, page: Page): Promise<string | undefined> {
  const conversationId = decodeURIComponent(new URL(page.url()).hash.replace(/^#\/c\//, ''));
  const opened = (await hostRpc(host)('conversations.open', { conversationId })) as {
    messages: { role: string; content: string }[];
  };
  return opened.messages.findLast((m) => m.role === 'assistant')?.content;
}
