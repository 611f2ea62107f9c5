import katex from 'katex';
import { describe, expect, it, vi } from 'vitest';
import { renderTex } from './katexRender';
import {
  createMathTypesetter,
  DELIVER_HTML_CHARS,
  HERE_MAX_CHARS,
  HERE_TASK_CHARS,
  MAX_DEPTH,
  MAX_HTML_CHARS,
  MAX_TEX_CHARS,
  overBudget,
  STARTUP_MS,
  texDepth,
  TIMEOUT_MS,
  type MathAnswer,
  type MathRequest,
  type MathResponse,
  type MathResult,
} from './mathTypesetter';

type Formula = MathRequest['formulas'][number];

/**
 * A worker in this thread: answers each formula with `answer`, all in one message, stopping at
 * one it hangs on (after sending those before it) or crashes on.
 */
function fakeWorker(answer: (formula: Formula) => MathAnswer | 'crash' | 'hang') {
  const listeners: Record<string, ((event: { data: MathResponse }) => void)[]> = {};
  const worker = {
    requests: [] as Formula[][],
    terminated: false,
    postMessage(request: MathRequest) {
      worker.requests.push(request.formulas);
      const answers: MathAnswer[] = [];
      let ending: 'crash' | 'hang' | null = null;
      for (const formula of request.formulas) {
        const result = answer(formula);
        if (result === 'crash' || result === 'hang') {
          ending = result;
          break;
        }
        answers.push(result);
      }
      queueMicrotask(() => {
        if (answers.length > 0) {
          for (const listener of listeners.message ?? []) listener({ data: { answers } });
        }
        if (ending === 'crash') for (const listener of listeners.error ?? []) listener({} as never);
      });
    },
    addEventListener(type: string, listener: (event: { data: MathResponse }) => void) {
      (listeners[type] ??= []).push(listener);
    },
    terminate() {
      worker.terminated = true;
    },
  };
  return worker;
}

/** Timers and later tasks the test runs by hand. */
function manualClock() {
  const timers = new Map<number, () => void>();
  let tasks: (() => void)[] = [];
  let next = 1;
  const delays: number[] = [];
  return {
    delays,
    setTimer: (run: () => void, ms: number) => {
      timers.set(next, run);
      delays.push(ms);
      return next++;
    },
    clearTimer: (timer: unknown) => void timers.delete(timer as number),
    nextTask: (run: () => void) => void tasks.push(run),
    fireTimers() {
      const due = [...timers.values()];
      timers.clear();
      for (const run of due) run();
    },
    /** Runs the tasks queued so far (not those they queue): one turn of the event loop. */
    runTasks() {
      const due = tasks;
      tasks = [];
      for (const run of due) run();
      return due.length;
    },
    /** Lets the fake worker answer and runs tasks until none are left. */
    async settle() {
      for (;;) {
        await new Promise((resolve) => setImmediate(resolve));
        if (this.runTasks() === 0) return;
      }
    },
    pending: () => timers.size,
  };
}

const later = (typesetter: ReturnType<typeof createMathTypesetter>, tex: string, display = false) =>
  new Promise<MathResult>((resolve) => typesetter.later(tex, display, resolve));

const matrix = (cells: number) =>
  `\\begin{pmatrix}${Array.from({ length: cells / 100 }, () =>
    Array.from({ length: 100 }, (_, i) => `a_{${i}}`).join(' & '),
  ).join('\\\\')}\\end{pmatrix}`;
const MEDIUM = `x_{1}${' + x_{1}'.repeat(Math.ceil(HERE_MAX_CHARS / 8))}`;

describe('the math budget', () => {
  it('measures nesting across braces, brackets, parentheses and environments', () => {
    expect(texDepth('x^2')).toBe(0);
    expect(texDepth('\\frac{a}{(b+[c])}')).toBe(3);
    expect(texDepth('\\begin{pmatrix} {a} \\end{pmatrix}')).toBe(2);
    // Escaped braces are characters, and a stray closer never makes the depth negative.
    expect(texDepth('\\{\\{\\{ x')).toBe(0);
    expect(texDepth(')))(({x}')).toBe(3);
    expect(texDepth(`${'{'.repeat(20_000)}x${'}'.repeat(20_000)}`)).toBe(MAX_DEPTH + 1);
  });

  it('refuses what would freeze the page: huge matrices, deep nesting, long formulas', () => {
    expect(overBudget(matrix(8_000))).toBe(true);
    expect(overBudget(`${'{'.repeat(20_000)}x${'}'.repeat(20_000)}`)).toBe(true);
    expect(overBudget(`${'('.repeat(MAX_DEPTH + 1)}x`)).toBe(true);
    expect(overBudget('x+'.repeat(MAX_TEX_CHARS / 2 + 1))).toBe(true);
    expect(overBudget(matrix(100))).toBe(false);
    expect(overBudget(`${'{'.repeat(MAX_DEPTH)}x${'}'.repeat(MAX_DEPTH)}`)).toBe(false);
  });
});

describe('createMathTypesetter', () => {
  it('never calls KaTeX, here or in the worker, on a formula over the budget', async () => {
    const worker = fakeWorker(({ id }) => ({ id, html: 'worker' }));
    const renderHere = vi.fn(() => 'here');
    const typesetter = createMathTypesetter({ createWorker: () => worker, renderHere });
    for (const tex of [matrix(8_000), `${'{'.repeat(20_000)}x${'}'.repeat(20_000)}`]) {
      expect(typesetter.now(tex, true)).toEqual({ fallback: 'tooLarge' });
      expect(await later(typesetter, tex, true)).toEqual({ fallback: 'tooLarge' });
    }
    expect(renderHere).not.toHaveBeenCalled();
    expect(worker.requests).toEqual([]);
  });

  it('typesets small formulas in the page, within a budget per task', () => {
    const clock = manualClock();
    const renderHere = vi.fn((tex: string) => `<b>${tex}</b>`);
    const typesetter = createMathTypesetter({
      createWorker: () => fakeWorker(() => 'hang'),
      renderHere,
      ...clock,
    });
    const formulas = Array.from({ length: 4_000 }, (_, i) => `x_{${i}}`);
    const here = formulas.map((tex) => typesetter.now(tex, false));
    const typesetHere = here.filter((result) => result !== null);
    expect(typesetHere[0]).toEqual({ html: '<b>x_{0}</b>' });
    // The rest wait for the worker: one task never spends more than the budget.
    const spent = formulas.slice(0, typesetHere.length).join('').length;
    expect(spent).toBeLessThanOrEqual(HERE_TASK_CHARS);
    expect(typesetHere.length).toBeLessThan(formulas.length / 10);
    expect(here.slice(typesetHere.length).every((result) => result === null)).toBe(true);
    // A new task has a new budget; what was typeset comes from the cache.
    clock.runTasks();
    expect(typesetter.now(formulas[typesetHere.length]!, false)).toEqual({
      html: `<b>${formulas[typesetHere.length]}</b>`,
    });
    const calls = renderHere.mock.calls.length;
    expect(typesetter.now('x_{0}', false)).toEqual({ html: '<b>x_{0}</b>' });
    expect(renderHere).toHaveBeenCalledTimes(calls);
  });

  it('sends larger formulas to the worker, not to the page', async () => {
    const worker = fakeWorker(({ id, tex, display }) => ({
      id,
      html: `${display}:${tex.length}`,
    }));
    const renderHere = vi.fn(() => 'here');
    const typesetter = createMathTypesetter({ createWorker: () => worker, renderHere });
    expect(typesetter.now(MEDIUM, true)).toBeNull();
    expect(await later(typesetter, MEDIUM, true)).toEqual({ html: `true:${MEDIUM.length}` });
    expect(renderHere).not.toHaveBeenCalled();
    // Answered once: the same formula again comes from the cache.
    expect(typesetter.now(MEDIUM, true)).toEqual({ html: `true:${MEDIUM.length}` });
    expect(worker.requests).toHaveLength(1);
  });

  it('sends waiting formulas in batches, so thousands make a few requests', async () => {
    const worker = fakeWorker(({ id }) => ({ id, html: 'ok' }));
    const typesetter = createMathTypesetter({ createWorker: () => worker, renderHere: () => null });
    const formulas = Array.from({ length: 4_000 }, (_, i) => `x_{${i}}^2`);
    const results = await Promise.all(formulas.map((tex) => later(typesetter, tex)));
    expect(results.every((result) => 'html' in result)).toBe(true);
    expect(worker.requests.flat()).toHaveLength(4_000);
    expect(worker.requests.length).toBeLessThanOrEqual(10);
  });

  it('hands the answers to the page a task’s worth of markup at a time', async () => {
    const clock = manualClock();
    const html = 'm'.repeat(1_200);
    const typesetter = createMathTypesetter({
      createWorker: () => fakeWorker(({ id }) => ({ id, html })),
      renderHere: () => null,
      ...clock,
    });
    let delivered = 0;
    for (let i = 0; i < 4_000; i++) typesetter.later(`x_{${i}}`, false, () => (delivered += 1));
    // Let the worker answer everything, then run one task at a time.
    for (let round = 0; round < 20; round++) {
      await new Promise((resolve) => setImmediate(resolve));
      if (delivered > 0) break;
      clock.runTasks();
    }
    const perTask = Math.ceil(DELIVER_HTML_CHARS / html.length);
    expect(delivered).toBe(perTask);
    clock.runTasks();
    expect(delivered).toBe(2 * perTask);
    await clock.settle();
    expect(delivered).toBe(4_000);
  });

  it('hands cached markup to one render only up to a task’s budget', async () => {
    const clock = manualClock();
    const html = 'm'.repeat(1_200);
    const typesetter = createMathTypesetter({
      createWorker: () => fakeWorker(({ id }) => ({ id, html })),
      renderHere: () => null,
      ...clock,
    });
    const formulas = Array.from({ length: 4_000 }, (_, i) => `x_{${i}}`);
    for (const tex of formulas) typesetter.later(tex, false, () => undefined);
    await clock.settle();
    // Every formula is cached now; a conversation showing them all opens in slices.
    const first = formulas.map((tex) => typesetter.now(tex, false)).filter(Boolean);
    expect(first).toHaveLength(Math.ceil(DELIVER_HTML_CHARS / html.length));
    clock.runTasks();
    expect(typesetter.now(formulas.at(-1)!, false)).toEqual({ html });
  });

  it('on a timeout shows the source, kills the worker and starts a new one for the next', async () => {
    const clock = manualClock();
    const workers: ReturnType<typeof fakeWorker>[] = [];
    const typesetter = createMathTypesetter({
      createWorker: () => {
        const worker = fakeWorker(({ id, tex }) =>
          tex.startsWith('\\slow') ? 'hang' : { id, html: 'ok' },
        );
        workers.push(worker);
        return worker;
      },
      renderHere: () => 'here',
      ...clock,
    });
    const first = later(typesetter, `\\first ${MEDIUM}`);
    await clock.settle();
    await first;
    const before = later(typesetter, `\\before ${MEDIUM}`);
    const slow = later(typesetter, `\\slow ${MEDIUM}`);
    const after = later(typesetter, `\\after ${MEDIUM}`);
    expect(workers).toHaveLength(1);
    // What came before the slow one is answered; the silence after it is the slow one's.
    await clock.settle();
    expect(await before).toEqual({ html: 'ok' });
    clock.fireTimers();
    await clock.settle();
    expect(await slow).toEqual({ fallback: 'timeout' });
    expect(workers[0]!.terminated).toBe(true);
    expect(await after).toEqual({ html: 'ok' });
    expect(workers).toHaveLength(2);
    expect(workers[1]!.requests.flat().map((formula) => formula.tex)).toEqual([
      `\\after ${MEDIUM}`,
    ]);
    // A new worker loads KaTeX before its first answer, and is given the time to.
    expect(clock.delays).toEqual([
      TIMEOUT_MS + STARTUP_MS,
      TIMEOUT_MS,
      TIMEOUT_MS,
      TIMEOUT_MS + STARTUP_MS,
    ]);
    expect(clock.pending()).toBe(0);
    // The slow one is remembered as too slow, not tried again on the next render.
    expect(typesetter.now(`\\slow ${MEDIUM}`, false)).toEqual({ fallback: 'timeout' });
  });

  it('catches what KaTeX throws in the page (a stack overflow) and shows the source', () => {
    const typesetter = createMathTypesetter({
      createWorker: () => fakeWorker(() => 'hang'),
      renderHere: () => {
        throw new RangeError('Maximum call stack size exceeded');
      },
    });
    expect(typesetter.now('x^2', false)).toEqual({ fallback: 'failed' });
  });

  it('a crashing or unstartable worker leaves formulas as source, never typeset in the page', async () => {
    const renderHere = vi.fn(() => 'here');
    const crashing = createMathTypesetter({
      createWorker: () => fakeWorker(() => 'crash'),
      renderHere,
    });
    expect(await later(crashing, MEDIUM)).toEqual({ fallback: 'failed' });
    const refused = createMathTypesetter({
      createWorker: () => {
        throw new Error('refused by the CSP');
      },
      renderHere,
    });
    expect(await later(refused, MEDIUM)).toEqual({ fallback: 'failed' });
    expect(renderHere).not.toHaveBeenCalled();
  });

  it('refuses worker markup too large to set, and reports KaTeX errors as failures', async () => {
    const typesetter = createMathTypesetter({
      createWorker: () =>
        fakeWorker(({ id, tex }) =>
          tex.startsWith('\\huge')
            ? { id, html: 'x'.repeat(MAX_HTML_CHARS + 1) }
            : { id, error: 'RangeError' },
        ),
      renderHere: () => 'here',
    });
    expect(await later(typesetter, `\\huge ${MEDIUM}`)).toEqual({ fallback: 'tooLarge' });
    expect(await later(typesetter, MEDIUM)).toEqual({ fallback: 'failed' });
  });

  it('drops a queued formula nobody waits for, and asks once for one many wait for', async () => {
    const clock = manualClock();
    const worker = fakeWorker(({ id, tex }) =>
      tex.startsWith('\\first') ? 'hang' : { id, html: tex },
    );
    const typesetter = createMathTypesetter({
      createWorker: () => worker,
      renderHere: () => 'here',
      ...clock,
    });
    typesetter.later(`\\first ${MEDIUM}`, false, () => undefined);
    const cancel = typesetter.later(`\\dropped ${MEDIUM}`, false, () => {
      throw new Error('called after cancel');
    });
    const one = later(typesetter, `\\kept ${MEDIUM}`);
    const two = later(typesetter, `\\kept ${MEDIUM}`);
    cancel();
    clock.fireTimers();
    await clock.settle();
    expect(await one).toEqual({ html: `\\kept ${MEDIUM}` });
    expect(await two).toEqual({ html: `\\kept ${MEDIUM}` });
    expect(worker.requests.map((formulas) => formulas.map((f) => f.tex.split(' ')[0]))).toEqual([
      ['\\first'],
      ['\\kept'],
    ]);
  });
});

describe('renderTex', () => {
  it('keeps trust off: links and HTML extensions in TeX stay inert', () => {
    const html = renderTex(
      katex,
      '\\href{javascript:alert(1)}{x} \\url{https://evil.example} \\htmlClass{pwn}{y}',
      false,
    );
    // (The TeX source itself stays in the MathML annotation, as text.)
    expect(html).not.toMatch(/<a[\s>]/);
    expect(html).not.toContain('href=');
    expect(html).not.toContain('class="pwn"');
  });
});
