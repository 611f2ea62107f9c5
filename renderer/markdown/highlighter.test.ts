import type { Root } from 'hast';
import { describe, expect, it, vi } from 'vitest';
import { highlightHere } from './highlight';
import {
  createHighlighter,
  WORKER_MIN_CHARS,
  type HighlightRequest,
  type HighlightResponse,
} from './highlighter';

/** A worker in this thread: answers with `answer`, or fails as told. */
function fakeWorker(answer: (request: HighlightRequest) => HighlightResponse | 'crash' | 'hang') {
  const listeners: Record<string, ((event: { data: HighlightResponse }) => void)[]> = {};
  const worker = {
    requests: [] as HighlightRequest[],
    terminated: false,
    postMessage(request: HighlightRequest) {
      worker.requests.push(request);
      const result = answer(request);
      if (result === 'hang') return;
      queueMicrotask(() => {
        if (result === 'crash') for (const listener of listeners.error ?? []) listener({} as never);
        else for (const listener of listeners.message ?? []) listener({ data: result });
      });
    },
    addEventListener(type: string, listener: (event: { data: HighlightResponse }) => void) {
      (listeners[type] ??= []).push(listener);
    },
    terminate() {
      worker.terminated = true;
    },
  };
  return worker;
}

const BIG = `const x = 1;\n`.repeat(Math.ceil(WORKER_MIN_CHARS / 13) + 1);
const tree = (label: string): Root => ({
  type: 'root',
  children: [{ type: 'text', value: label }],
});

describe('createHighlighter', () => {
  it('sends large blocks to the worker and keeps small ones in the page', async () => {
    const worker = fakeWorker(({ id }) => ({ id, tree: tree('from worker') }));
    const here = vi.fn(async () => tree('here'));
    const highlighter = createHighlighter({ createWorker: () => worker, highlightHere: here });
    expect(await highlighter.highlight(BIG, 'typescript')).toEqual(tree('from worker'));
    expect(await highlighter.highlight('let a = 1;', 'typescript')).toEqual(tree('here'));
    expect(worker.requests).toHaveLength(1);
    expect(worker.requests[0]).toMatchObject({ code: BIG, grammar: 'typescript' });
    expect(here).toHaveBeenCalledTimes(1);
  });

  it('starts no worker until a large block needs one', async () => {
    const createWorker = vi.fn(() => fakeWorker(({ id }) => ({ id, tree: null })));
    const highlighter = createHighlighter({ createWorker, highlightHere: async () => null });
    await highlighter.highlight('x', 'bash');
    expect(createWorker).not.toHaveBeenCalled();
    await highlighter.highlight(BIG, 'bash');
    await highlighter.highlight(BIG, 'bash');
    expect(createWorker).toHaveBeenCalledTimes(1);
  });

  it('highlights in the page when the worker cannot start', async () => {
    const highlighter = createHighlighter({
      createWorker: () => {
        throw new Error('refused by the CSP');
      },
      highlightHere,
    });
    const result = await highlighter.highlight(BIG, 'typescript');
    expect(result).toEqual(await highlightHere(BIG, 'typescript'));
    expect(JSON.stringify(result)).toContain('hljs-keyword');
  });

  it('when the worker fails, answers waiting and later requests in the page', async () => {
    let calls = 0;
    const worker = fakeWorker(() => (++calls === 1 ? 'hang' : 'crash'));
    const here = vi.fn(async (code: string) => tree(`here ${code.length}`));
    const highlighter = createHighlighter({ createWorker: () => worker, highlightHere: here });
    const first = highlighter.highlight(BIG, 'typescript');
    const second = highlighter.highlight(`${BIG}\n`, 'typescript');
    expect(await second).toEqual(tree(`here ${BIG.length + 1}`));
    // The one the worker never answered is not lost either.
    expect(await first).toEqual(tree(`here ${BIG.length}`));
    expect(worker.terminated).toBe(true);
    expect(await highlighter.highlight(`${BIG}\n\n`, 'typescript')).toEqual(
      tree(`here ${BIG.length + 2}`),
    );
    expect(worker.requests).toHaveLength(2);
  });

  it('falls back for one block the worker reports an error for, and never rejects', async () => {
    const worker = fakeWorker(({ id }) => ({ id, error: 'grammar chunk failed to load' }));
    const highlighter = createHighlighter({
      createWorker: () => worker,
      highlightHere: async () => {
        throw new Error('no grammar here either');
      },
    });
    await expect(highlighter.highlight(BIG, 'typescript')).resolves.toBeNull();
    expect(worker.terminated).toBe(false);
  });
});
