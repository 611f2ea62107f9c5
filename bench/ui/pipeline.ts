/**
 * bench:ui scenario `pipeline`: the provider sends 50,000 tokens flat out; tokens per second
 * from the provider's start to the whole reply in the DOM, and that every token arrived.
 */
import type { Browser } from 'playwright';
import type { RunningHost } from '../../testing/fixtures/causerieHost';
import { openApp, providerStart, storedReply } from './app';
import type { RendererProbe } from './profiling';
import { collectGarbage, mainThreadDelta, openSession, readMetrics } from './session';

export interface PipelineRun {
  pipelineTokPerSec: number;
  tokensSent: number;
  tokensFound: number;
  tokensLost: number;
  domTextExact: boolean;
  storedTextExact: boolean;
  providerToDomMs: number;
  mainThreadMs: number;
}

/** The provider sends flat out; tokens per second until the whole reply is in the DOM. */
export async function pipeline(
  browser: Browser,
  host: RunningHost,
  marker: string,
  expected: string,
  probe?: RendererProbe,
): Promise<PipelineRun> {
  const session = await openSession(browser);
  try {
    const { page, cdp } = session;
    await openApp(session, host);
    await page.getByRole('button', { name: 'New chat' }).click();
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill(marker);
    await collectGarbage(cdp);
    if (probe) await probe.start(page, cdp);
    const before = await readMetrics(cdp);
    await box.press('Enter');
    const result = (await (
      await page.waitForFunction(
        () => {
          const reply = document.querySelector('li.message-assistant');
          const status = reply?.getAttribute('data-status');
          if (!status || status === 'streaming') return false;
          return { status, at: Date.now() };
        },
        null,
        { polling: 'raf', timeout: 180_000 },
      )
    ).jsonValue()) as { status: string; at: number };
    const after = await readMetrics(cdp);
    if (probe) await probe.stop(cdp);
    if (result.status !== 'complete') throw new Error(`reply ended as ${result.status}`);
    const started = providerStart.get(marker);
    if (started === undefined) throw new Error('the provider never saw the request');
    // Parts of a long reply far from view are in the DOM but not laid out (content-visibility:
    // auto; hidden="until-found" for text not parsed yet), and innerText leaves out what is not
    // rendered. The count reads a copy laid out in full, off screen (the timing is over).
    const domText = await page.evaluate(() => {
      const body = document.querySelector('li.message-assistant .message-body') as HTMLElement;
      const copy = body.cloneNode(true) as HTMLElement;
      for (const element of copy.querySelectorAll('[hidden]')) element.removeAttribute('hidden');
      for (const element of copy.querySelectorAll<HTMLElement>('*')) {
        element.style.contentVisibility = 'visible';
      }
      const holder = document.createElement('div');
      holder.style.cssText = 'position:absolute;left:-100000px;top:0;width:800px';
      holder.append(copy);
      document.body.append(holder);
      const text = copy.innerText;
      holder.remove();
      return text;
    });
    const sent = expected.split(/\s+/).filter(Boolean);
    const shown = domText.split(/\s+/).filter(Boolean);
    const shownSet = new Set(shown);
    const found = sent.filter((token) => shownSet.has(token)).length;
    const providerToDomMs = result.at - started;
    return {
      pipelineTokPerSec: Math.round(sent.length / (providerToDomMs / 1000)),
      tokensSent: sent.length,
      tokensFound: found,
      tokensLost: sent.length - found,
      domTextExact: shown.length === sent.length && shown.every((token, i) => token === sent[i]),
      storedTextExact: (await storedReply(host, page)) === expected,
      providerToDomMs,
      mainThreadMs: mainThreadDelta(before, after).mainThreadMs,
    };
  } finally {
    await session.close();
  }
}
