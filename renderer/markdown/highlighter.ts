import type { Root } from 'hast';

/**
 * Below this many characters a code block is highlighted in the page: it takes a millisecond or
 * two, less than a worker's round trip. Larger ones (a 2,000-line file takes 100 ms or more) are
 * highlighted in a worker, off the main thread.
 */
export const WORKER_MIN_CHARS = 2_000;

/** What the page asks the highlighting worker. */
export interface HighlightRequest {
  id: number;
  code: string;
  grammar: string;
}

/** The worker's answer: the highlighted tree (null: leave the code plain), or why it failed. */
export type HighlightResponse = { id: number; tree: Root | null } | { id: number; error: string };

/** The part of a Worker the highlighter uses (a fake one in tests). */
export interface HighlightWorker {
  postMessage(request: HighlightRequest): void;
  addEventListener(type: 'message', listener: (event: { data: HighlightResponse }) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: () => void): void;
  terminate(): void;
}

export interface Highlighter {
  /** The highlighted tree of `code`, or null to leave it plain. Never rejects. */
  highlight(code: string, grammar: string): Promise<Root | null>;
}

interface Waiting {
  code: string;
  grammar: string;
  resolve: (tree: Promise<Root | null>) => void;
}

/**
 * Highlights large blocks in a worker and small ones in the page. If the worker cannot start, or
 * fails, every block (those waiting included) is highlighted in the page from then on: slower,
 * but the code is still coloured.
 */
export function createHighlighter(options: {
  createWorker: () => HighlightWorker;
  highlightHere: (code: string, grammar: string) => Promise<Root | null>;
}): Highlighter {
  const here = (code: string, grammar: string) =>
    options.highlightHere(code, grammar).catch(() => null);
  let worker: HighlightWorker | null = null;
  let broken = false;
  let nextId = 1;
  const waiting = new Map<number, Waiting>();

  function fallBack(): void {
    broken = true;
    worker?.terminate();
    worker = null;
    const requests = [...waiting.values()];
    waiting.clear();
    for (const request of requests) request.resolve(here(request.code, request.grammar));
  }

  function startWorker(): HighlightWorker | null {
    if (broken) return null;
    if (worker) return worker;
    try {
      worker = options.createWorker();
    } catch {
      broken = true;
      return null;
    }
    worker.addEventListener('message', ({ data }) => {
      const request = waiting.get(data.id);
      if (!request) return;
      waiting.delete(data.id);
      request.resolve(
        'error' in data ? here(request.code, request.grammar) : Promise.resolve(data.tree),
      );
    });
    worker.addEventListener('error', fallBack);
    worker.addEventListener('messageerror', fallBack);
    return worker;
  }

  return {
    highlight(code, grammar) {
      const target = code.length < WORKER_MIN_CHARS ? null : startWorker();
      if (!target) return here(code, grammar);
      return new Promise<Root | null>((resolve) => {
        const id = nextId++;
        waiting.set(id, { code, grammar, resolve: (tree) => void tree.then(resolve) });
        target.postMessage({ id, code, grammar });
      });
    },
  };
}
