import { highlightHere } from './highlight';
import { createHighlighter } from './highlighter';

/**
 * The page's highlighter. The worker is a file of this app (assets/highlightWorker-*.js), so the
 * CSP's `worker-src 'self'` admits it; it starts with the first large code block.
 */
export const highlighter = createHighlighter({
  createWorker: () =>
    new Worker(new URL('./highlightWorker.ts', import.meta.url), {
      type: 'module',
      name: 'highlight',
    }),
  highlightHere,
});
