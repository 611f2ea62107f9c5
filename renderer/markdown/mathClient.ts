import { flushSync } from 'react-dom';
import { renderTex, type Katex } from './katexRender';
import { createMathTypesetter } from './mathTypesetter';

let pageKatex: Katex | null = null;
let loading: Promise<void> | null = null;

/** Loads KaTeX and its stylesheet into the page once; worker output needs the stylesheet too. */
export function loadKatex(): Promise<void> {
  loading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(
    ([module]) => {
      pageKatex = module.default;
    },
  );
  return loading;
}

/** True once loadKatex has finished. */
export function katexLoaded(): boolean {
  return pageKatex !== null;
}

/**
 * The page's typesetter. The worker is a file of this app (assets/mathWorker-*.js), so the CSP's
 * `worker-src 'self'` admits it; it starts with the first formula the page will not typeset itself.
 */
export const mathTypesetter = createMathTypesetter({
  createWorker: () =>
    new Worker(new URL('./mathWorker.ts', import.meta.url), {
      type: 'module',
      name: 'math',
    }),
  renderHere: (tex, display) => (pageKatex ? renderTex(pageKatex, tex, display) : null),
  // One commit per task's worth of answers: each setState alone would re-render a paragraph of
  // thousands of formulas once per formula, and React left to itself may merge several tasks.
  together: (run) => flushSync(run),
});
