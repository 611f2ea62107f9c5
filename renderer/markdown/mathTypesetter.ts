/**
 * Budgets for KaTeX. Its cost grows with a formula's size (an 8,000-cell matrix took 3 s) and its
 * parser recurses once per group (20,000 nested braces overflow the stack), and one reply may
 * hold thousands of formulas. So: a formula over MAX_TEX_CHARS or nested deeper than MAX_DEPTH is
 * never given to KaTeX at all; a small one is typeset in the page, at most HERE_TASK_CHARS worth
 * per task; everything else goes to a worker that is killed if one formula takes TIMEOUT_MS.
 * Setting KaTeX's markup costs the page too (about a millisecond per small formula, for parsing,
 * style and layout), so the worker's answers are handed out DELIVER_HTML_CHARS worth per task.
 */

/** Longer formulas are shown as TeX source: KaTeX is never called on them. */
export const MAX_TEX_CHARS = 10_000;
/** Deeper nesting (braces, brackets, parentheses, \begin…\end) is shown as TeX source. */
export const MAX_DEPTH = 50;
/** Formulas up to this size may be typeset in the page (a few milliseconds each). */
export const HERE_MAX_CHARS = 150;
/** How many characters of TeX the page typesets in one task before sending the rest to the worker. */
export const HERE_TASK_CHARS = 300;
/** A formula the worker has not answered by then is shown as source, and the worker restarted. */
export const TIMEOUT_MS = 2_000;
/** A new worker's first answer may take this much longer: it loads KaTeX first. */
export const STARTUP_MS = 5_000;
/** Markup larger than this takes the page a few hundred milliseconds to set: shown as source. */
export const MAX_HTML_CHARS = 250_000;
/** How much of the worker's markup is handed to the page in one task (about 50 ms of work). */
export const DELIVER_HTML_CHARS = 60_000;
/** Typeset formulas kept for remounts and re-renders, by characters of markup. */
const CACHE_CHARS = 8_000_000;
/** After this many worker crashes in a row, no new worker is started. */
const MAX_WORKER_FAILURES = 3;
/** How much one request to the worker carries. */
const BATCH_FORMULAS = 500;
const BATCH_CHARS = 20_000;

/** Why a formula is shown as its source. */
export type MathFallback = 'tooLarge' | 'timeout' | 'failed';

/** A typeset formula's markup, or why it is shown as TeX source. */
export type MathResult = { html: string } | { fallback: MathFallback };

/** What the page asks the math worker: formulas to typeset, in order. */
export interface MathRequest {
  formulas: { id: number; tex: string; display: boolean }[];
}

/** One formula's markup, or why KaTeX failed on it. */
export type MathAnswer = { id: number; html: string } | { id: number; error: string };

/**
 * The worker's answers so far, in the order asked. It sends what it has every few tens of
 * milliseconds, so the page sets many formulas in one render (one layout), and a silence longer
 * than the timeout means the formula after the last answer is the slow one.
 */
export interface MathResponse {
  answers: MathAnswer[];
}

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
  /** Runs `run` in a later task (a new task gets a fresh page budget, and the next answers). */
  nextTask?: (run: () => void) => void;
  /** Hands out one task's answers together (the page renders them in one commit). */
  together?: (run: () => void) => void;
}): MathTypesetter {
  const timeoutMs = options.timeoutMs ?? TIMEOUT_MS;
  const setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
  const clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer as number));
  const nextTask = options.nextTask ?? ((run) => void setTimeout(run, 0));
  const together = options.together ?? ((run) => run());

  const cache = new Map<string, MathResult>();
  let cacheChars = 0;
  /** What this task has spent in the page: TeX typeset here, and markup handed to render. */
  let texThisTask = 0;
  let htmlThisTask = 0;
  const queue: Job[] = [];
  const jobs = new Map<string, Job>();
  /** The formulas the worker has been sent and not answered yet, in order. */
  const batch = new Map<number, Job>();
  let timer: unknown = null;
  let worker: MathWorker | null = null;
  let failures = 0;
  /** Whether the current worker has answered yet (loaded KaTeX). */
  let warm = false;
  let nextId = 1;

  const keyOf = (tex: string, display: boolean) => `${display ? 'D' : 'I'}${tex}`;

  const sizeOf = (key: string, result: MathResult) =>
    key.length + ('html' in result ? result.html.length : 0);

  /** Caches a result, dropping the oldest past CACHE_CHARS. */
  function remember(key: string, result: MathResult): void {
    const size = sizeOf(key, result);
    if (size > CACHE_CHARS / 4) return;
    const previous = cache.get(key);
    if (previous) {
      cache.delete(key);
      cacheChars -= sizeOf(key, previous);
    }
    cache.set(key, result);
    cacheChars += size;
    for (const [oldKey, old] of cache) {
      if (cacheChars <= CACHE_CHARS) break;
      cache.delete(oldKey);
      cacheChars -= sizeOf(oldKey, old);
    }
  }

  /** Results waiting to be handed to their listeners, a task's worth at a time. */
  const deliveries: { job: Job; result: MathResult }[] = [];
  let delivering = false;

  function deliver(): void {
    let chars = 0;
    const now: typeof deliveries = [];
    while (deliveries.length > 0 && chars < DELIVER_HTML_CHARS) {
      const delivery = deliveries.shift()!;
      chars += 'html' in delivery.result ? delivery.result.html.length : delivery.job.tex.length;
      now.push(delivery);
    }
    together(() => {
      for (const { job, result } of now) for (const listener of job.listeners) listener(result);
    });
    if (deliveries.length > 0) nextTask(deliver);
    else delivering = false;
  }

  function finish(job: Job, result: MathResult): void {
    jobs.delete(job.key);
    // Cached at once: a view mounted meanwhile gets it in its first render.
    remember(job.key, result);
    deliveries.push({ job, result });
    scheduleDelivery();
  }

  function scheduleDelivery(): void {
    if (delivering) return;
    delivering = true;
    nextTask(deliver);
  }

  /**
   * The worker crashed, or went silent past the timeout: the formula it was on is shown as
   * source, the worker is killed, and the rest of its batch goes to a new one.
   */
  function abandon(fallback: MathFallback): void {
    clearTimer(timer);
    timer = null;
    worker?.terminate();
    worker = null;
    const [stuck, ...rest] = batch.values();
    batch.clear();
    if (fallback === 'failed') failures += 1;
    queue.unshift(...rest);
    if (stuck) finish(stuck, { fallback });
    pump();
  }

  function startWorker(): MathWorker | null {
    if (worker) return worker;
    if (failures >= MAX_WORKER_FAILURES) return null;
    try {
      worker = options.createWorker();
      warm = false;
    } catch {
      failures = MAX_WORKER_FAILURES;
      return null;
    }
    const current = worker;
    current.addEventListener('message', ({ data }) => {
      if (current !== worker) return;
      clearTimer(timer);
      failures = 0;
      warm = true;
      for (const answer of data.answers) {
        const job = batch.get(answer.id);
        if (!job) continue;
        batch.delete(answer.id);
        if ('error' in answer) finish(job, { fallback: 'failed' });
        else if (answer.html.length > MAX_HTML_CHARS) finish(job, { fallback: 'tooLarge' });
        else finish(job, { html: answer.html });
      }
      timer = batch.size > 0 ? setTimer(() => abandon('timeout'), timeoutMs) : null;
      pump();
    });
    const onError = () => current === worker && abandon('failed');
    current.addEventListener('error', onError);
    current.addEventListener('messageerror', onError);
    return current;
  }

  function pump(): void {
    while (batch.size === 0 && queue.length > 0) {
      const target = startWorker();
      // No worker: the page must not take these formulas on instead, so they stay source.
      if (!target) {
        for (const job of queue.splice(0)) finish(job, { fallback: 'failed' });
        return;
      }
      let chars = 0;
      while (queue.length > 0 && batch.size < BATCH_FORMULAS) {
        const job = queue[0]!;
        if (batch.size > 0 && chars + job.tex.length > BATCH_CHARS) break;
        queue.shift();
        batch.set(job.id, job);
        chars += job.tex.length;
      }
      timer = setTimer(() => abandon('timeout'), warm ? timeoutMs : timeoutMs + STARTUP_MS);
      target.postMessage({
        formulas: [...batch.values()].map(({ id, tex, display }) => ({ id, tex, display })),
      });
    }
  }

  const lookup = (tex: string, display: boolean): MathResult | null =>
    overBudget(tex) ? { fallback: 'tooLarge' } : (cache.get(keyOf(tex, display)) ?? null);

  function spend(tex: number, html: number): void {
    if (texThisTask === 0 && htmlThisTask === 0) {
      nextTask(() => {
        texThisTask = 0;
        htmlThisTask = 0;
      });
    }
    texThisTask += tex;
    htmlThisTask += html;
  }

  /**
   * A result for this render if it fits this task's budget: cached markup counts too, or opening
   * a conversation of thousands of cached formulas would set them all in one task.
   */
  function known(tex: string, display: boolean): MathResult | null {
    const result = lookup(tex, display);
    if (!result || !('html' in result)) return result;
    const size = result.html.length;
    if (htmlThisTask > 0 && htmlThisTask + size > DELIVER_HTML_CHARS) return null;
    spend(0, size);
    return result;
  }

  return {
    known,

    now(tex, display) {
      const result = known(tex, display);
      if (result) return result;
      // Cached but over this task's budget: the worker path hands it out in a later task.
      if (lookup(tex, display)) return null;
      const key = keyOf(tex, display);
      if (tex.length > HERE_MAX_CHARS || texThisTask + tex.length > HERE_TASK_CHARS) return null;
      if (htmlThisTask >= DELIVER_HTML_CHARS) return null;
      let html: string | null;
      try {
        html = options.renderHere(tex, display);
      } catch {
        // KaTeX's own errors are drawn in red; this is what it cannot survive (stack overflow).
        remember(key, { fallback: 'failed' });
        return { fallback: 'failed' };
      }
      if (html === null) return null;
      spend(tex.length, html.length);
      remember(key, { html });
      return { html };
    },

    later(tex, display, done) {
      const key = keyOf(tex, display);
      const listener = (result: MathResult) => done(result);
      const result = lookup(tex, display);
      if (result) {
        // Handed out in a later task like any other answer, never inside the caller's.
        const settled: Job = { id: 0, key, tex, display, listeners: new Set([listener]) };
        deliveries.push({ job: settled, result });
        scheduleDelivery();
        return () => void settled.listeners.delete(listener);
      }
      let job = jobs.get(key);
      if (!job) {
        job = { id: nextId++, key, tex, display, listeners: new Set() };
        jobs.set(key, job);
        queue.push(job);
      }
      job.listeners.add(listener);
      const mine = job;
      pump();
      return () => {
        mine.listeners.delete(listener);
        if (mine.listeners.size > 0 || batch.has(mine.id)) return;
        // Nobody waits for it any more (the streaming formula grew, or scrolled away): drop it.
        const index = queue.indexOf(mine);
        if (index >= 0) queue.splice(index, 1);
        jobs.delete(mine.key);
      };
    },
  };
}
