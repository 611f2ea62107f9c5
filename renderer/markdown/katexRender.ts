import type KatexModule from 'katex';

/** The KaTeX module, in the page or in the math worker. */
export type Katex = typeof KatexModule;

/**
 * TeX to KaTeX markup, with the same options in the page and in the worker. `trust: false` makes
 * KaTeX refuse \href, \url, \htmlClass and friends, so model output cannot reach the DOM as HTML;
 * the size and expansion limits bound what one macro can make. Throws on what KaTeX cannot
 * handle itself (a RangeError when the nesting overflows the stack, say): callers catch.
 */
export function renderTex(katex: Katex, tex: string, display: boolean): string {
  return katex.renderToString(tex, {
    displayMode: display,
    throwOnError: false,
    trust: false,
    strict: 'ignore',
    maxSize: 50,
    maxExpand: 500,
    output: 'htmlAndMathml',
  });
}
