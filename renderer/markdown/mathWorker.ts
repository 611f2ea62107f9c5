/**
 * The math worker: KaTeX, off the page's main thread, for formulas the page will not typeset
 * itself. It answers with KaTeX's markup strings; the page sets them as HTML in MathView.tsx (the
 * one place it does so), and kills this worker when it goes silent for too long.
 */
import katex from 'katex';
import { renderTex } from './katexRender';
import type { MathAnswer, MathRequest, MathResponse } from './mathTypesetter';

/** Answers are sent at least this often while a batch is being typeset. */
const ANSWER_EVERY_MS = 30;

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<MathRequest>) => void) | null;
  postMessage(response: MathResponse): void;
};

scope.onmessage = (event) => {
  let answers: MathAnswer[] = [];
  let sentAt = performance.now();
  for (const { id, tex, display } of event.data.formulas) {
    try {
      answers.push({ id, html: renderTex(katex, tex, display) });
    } catch (error) {
      answers.push({ id, error: String(error) });
    }
    if (performance.now() - sentAt >= ANSWER_EVERY_MS) {
      scope.postMessage({ answers });
      answers = [];
      sentAt = performance.now();
    }
  }
  if (answers.length > 0) scope.postMessage({ answers });
};
