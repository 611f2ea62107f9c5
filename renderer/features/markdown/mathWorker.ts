/**
 * The math worker: KaTeX, off the page's main thread, for formulas too large to typeset in the
 * page. It answers with KaTeX's markup string; the page sets it as HTML in MathView.tsx (the one
 * place it does so), and kills this worker when a formula takes too long.
 */
import katex from 'katex';
import { renderTex } from './katexRender';
import type { MathRequest, MathResponse } from './mathTypesetter';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<MathRequest>) => void) | null;
  postMessage(response: MathResponse): void;
};

scope.onmessage = (event) => {
  const { id, tex, display } = event.data;
  try {
    scope.postMessage({ id, html: renderTex(katex, tex, display) });
  } catch (error) {
    scope.postMessage({ id, error: String(error) });
  }
};
