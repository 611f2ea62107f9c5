/**
 * Budgets for KaTeX. Its cost grows with a formula's size (an 8,000-cell matrix took 3 s) and its
 * parser recurses once per group (20,000 nested braces overflow the stack), and one reply may
 * hold thousands of formulas. So: a formula over MAX_TEX_CHARS or nested deeper than MAX_DEPTH is
 * never given to KaTeX at all; a small one is typeset in the page, at most HERE_TASK_CHARS worth
 * per task; everything else goes to a worker that is killed if one formula takes TIMEOUT_MS.
 */

/** Longer formulas are shown as TeX source: KaTeX is never called on them. */
export const MAX_TEX_CHARS = 10_000;
/** Deeper nesting (braces, brackets, parentheses, \begin…\end) is shown as TeX source. */
export const MAX_DEPTH = 50;
/** Formulas up to this size may be typeset in the page (a few milliseconds each). */
export const HERE_MAX_CHARS = 300;
/** How many characters of TeX the page typesets in one task before sending the rest to the worker. */
export const HERE_TASK_CHARS = 1_000;
/** A formula the worker has not answered by then is shown as source, and the worker restarted. */
export const TIMEOUT_MS = 2_000;
/** Markup larger than this (about 1 MB) would freeze the page when set: shown as source instead. */
export const MAX_HTML_CHARS = 1_000_000;
/** Typeset formulas kept for remounts and re-renders, by characters of markup. */
const CACHE_CHARS = 8_000_000;
/** After this many worker failures in a row, no new worker is started. */
const MAX_WORKER_FAILURES = 3;

/** Why a formula is shown as its source. */
export type MathFallback = 'tooLarge' | 'timeout' | 'failed';

/** A typeset formula's markup, or why it is shown as TeX source. */
export type MathResult = { html: string } | { fallback: MathFallback };

/** What the page asks the math worker. */
export interface MathRequest {
  id: number;
  tex: string;
  display: boolean;
}

/** The worker's answer: KaTeX's markup, or why it failed. */
export type MathResponse = { id: number; html: string } | { id: number; error: string };

/** The part of a Worker the typesetter uses (a fake one in tests). */
export interface MathWorker {
  postMessage(request: MathRequest): void;
  addEventListener(type: 'message', listener: (event: { data: MathResponse }) => void): void;
  addEventListener(type: 'error' | 'messageerror', listener: () => void): void;
  terminate(): void;
}

export interface MathTypesetter {
  /** The result if it needs no KaTeX: over the budget (source) or cached. Else null. */
  known(tex: string, display: boolean): MathResult | null;
  /**
   * The result at once when it costs the page little: cached, over the budget (source), or small
   * enough to typeset here. Null: ask `later`.
   */
  now(tex: string, display: boolean): MathResult | null;
  /** Typesets in the worker and calls `done` once, unless the returned cancel is called first. */
  later(tex: string, display: boolean, done: (result: MathResult) => void): () => void;
}

/** The deepest nesting of groups in `tex`, counting stops once it passes `limit`. */
export function texDepth(tex: string, limit = MAX_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  for (let i = 0; i < tex.length; i++) {
    const char = tex[i];
    if (char === '{' || char === '[' || char === '(') depth += 1;
    else if (char === '}' || char === ']' || char === ')') depth = Math.max(0, depth - 1);
    else if (char === '\\') {
      if (tex.startsWith('begin', i + 1)) depth += 1;
      else if (tex.startsWith('end', i + 1)) depth = Math.max(0, depth - 1);
      // An escaped character (\{, \\) is one token: skip it.
      i += 1;
    }
    if (depth > deepest) {
      deepest = depth;
      if (deepest > limit) break;
    }
  }
  return deepest;
}

/** True when KaTeX must not see `tex` at all. */
export function overBudget(tex: string): boolean {
  return tex.length > MAX_TEX_CHARS || texDepth(tex) > MAX_DEPTH;
}

interface Job {
  id: number;
  key: string;
  tex: string;
  display: boolean;
  listeners: Set<(result: MathResult) => void>;
}

export function createMathTypesetter(options: {
  createWorker: () => MathWorker;
  /** KaTeX in the page: the markup, or null while KaTeX is not loaded. May throw. */
  renderHere: (tex: string, display: boolean) => string | null;
  timeoutMs?: number;
  setTimer?: (run: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  /** Runs `reset` once the current task is over (a new task gets a fresh page budget). */
  afterTask?: (reset: () => void) => void;
}): MathTypesetter {
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as number));
  const afterTask = options.afterTask ?? ((reset) => void setTimeout(reset, 0));

  const cache = new Map<string, MathResult>();
  let cacheChars = 0;
  let spentHere = 0;
  const queue: Job[] = [];
  const jobs = new Map<string, Job>();
  let inFlight: { job: Job; timer: unknown } | null = null;
  let worker: MathWorker | null = null;
  let failures = 0;
  let nextId = 1;

  const keyOf = (tex: string, display: boolean) => `${display ? 'D' : 'I'}${tex}`;

  function remember(key: string, result: MathResult): void {
    const size = key.length + ('html' in result ? result.html.length : 0);
    if (size > CACHE_CHARS / 4) return;
    cache.set(key, result);
    cacheChars += size;
    for (const [oldKey, old] of cache) {
      if (cacheChars <= CACHE_CHARS) break;
      cache.delete(oldKey);
      cacheChars -= oldKey.length + ('html' in old ? old.html.length : 0);
    }
  }

  function finish(job: Job, result: MathResult): void {
    jobs.delete(job.key);
    remember(job.key, result);
    for (const listener of job.listeners) listener(result);
  }

  function stopWorker(): void {
    worker?.terminate();
    worker = null;
  }

  /** The job in flight failed or timed out: restart the worker for the next one. */
  function abandon(fallback: MathFallback): void {
    if (!inFlight) return;
    const { job, timer } = inFlight;
    clearTimer(timer);
    inFlight = null;
    stopWorker();
    failures += 1;
    finish(job, { fallback });
    pump();
  }

  function startWorker(): MathWorker | null {
    if (worker) return worker;
    if (failures >= MAX_WORKER_FAILURES) return null;
    try {
      worker = options.createWorker();
    } catch {
      failures = MAX_WORKER_FAILURES;
      return null;
    }
    const current = worker;
    current.addEventListener('message', ({ data }) => {
      if (current !== worker || !inFlight || inFlight.job.id !== data.id) return;
      const { job, timer } = inFlight;
      clearTimer(timer);
      inFlight = null;
      failures = 0;
      if ('error' in data) finish(job, { fallback: 'failed' });
      else if (data.html.length > MAX_HTML_CHARS) finish(job, { fallback: 'tooLarge' });
      else finish(job, { html: data.html });
      pump();
    });
    const onError = () => current === worker && abandon('failed');
    current.addEventListener('error', onError);
    current.addEventListener('messageerror', onError);
    return current;
  }

  function pump(): void {
    while (!inFlight && queue.length > 0) {
      const job = queue.shift()!;
      const target = startWorker();
      // No worker: the page must not take the formula on instead, so it stays source.
      if (!target) {
        finish(job, { fallback: 'failed' });
        continue;
      }
      inFlight = { job, timer: setTimer(() => abandon('timeout'), timeoutMs) };
      target.postMessage({ id: job.id, tex: job.tex, display: job.display });
    }
  }

  const known = (tex: string, display: boolean): MathResult | null =>
    overBudget(tex) ? { fallback: 'tooLarge' } : (cache.get(keyOf(tex, display)) ?? null);

  return {
    known,

    now(tex, display) {
      const result = known(tex, display);
      if (result) return result;
      const key = keyOf(tex, display);
      if (tex.length > HERE_MAX_CHARS || spentHere + tex.length > HERE_TASK_CHARS) return null;
      let html: string | null;
      try {
        html = options.renderHere(tex, display);
      } catch {
        // KaTeX's own errors are drawn in red; this is what it cannot survive (stack overflow).
        remember(key, { fallback: 'failed' });
        return { fallback: 'failed' };
      }
      if (html === null) return null;
      if (spentHere === 0) afterTask(() => (spentHere = 0));
      spentHere += tex.length;
      remember(key, { html });
      return { html };
    },

    later(tex, display, done) {
      const result = known(tex, display);
      if (result) {
        done(result);
        return () => undefined;
      }
      const key = keyOf(tex, display);
      let job = jobs.get(key);
      if (!job) {
        job = { id: nextId++, key, tex, display, listeners: new Set() };
        jobs.set(key, job);
        queue.push(job);
      }
      const listener = (result: MathResult) => done(result);
      job.listeners.add(listener);
      const mine = job;
      pump();
      return () => {
        mine.listeners.delete(listener);
        if (mine.listeners.size > 0 || inFlight?.job === mine) return;
        // Nobody waits for it any more (the streaming formula grew, or scrolled away): drop it.
        const index = queue.indexOf(mine);
        if (index >= 0) queue.splice(index, 1);
        jobs.delete(mine.key);
      };
    },
  };
}
