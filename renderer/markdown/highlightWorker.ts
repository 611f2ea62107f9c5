/**
 * The highlighting worker: lowlight, off the page's main thread, for large code blocks. It gets
 * code and a grammar name and answers with lowlight's syntax tree, which the page turns into
 * elements itself (safeHast.tsx), allowing only spans with class names.
 */
import { highlightHere } from './highlight';
import type { HighlightRequest, HighlightResponse } from './highlighter';

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<HighlightRequest>) => void) | null;
  postMessage(response: HighlightResponse): void;
};

scope.onmessage = (event) => {
  const { id, code, grammar } = event.data;
  highlightHere(code, grammar).then(
    (tree) => scope.postMessage({ id, tree }),
    (error: unknown) => scope.postMessage({ id, error: String(error) }),
  );
};
