/**
 * The baseline of the UI benchmark: a chat reply rendered the way most chat clients render it —
 * `react-markdown` with GFM, math (KaTeX) and code highlighting (lowlight), given the whole reply
 * again on every streamed delta. remark-gfm, remark-math, rehype-katex and rehype-highlight are
 * replaced by the few lines below over the same micromark/mdast/KaTeX/lowlight packages they wrap,
 * so the work per render is theirs without adding four dependencies.
 *
 * The page reads the same token stream as the app, from the same fake provider (through a
 * same-origin proxy the benchmark runs), as server-sent events parsed here. `window.__bench.start`
 * starts a reply; `window.__benchDone` is set once the last delta is rendered.
 */
import { toJsxRuntime } from 'hast-util-to-jsx-runtime';
import katex from 'katex';
import 'katex/dist/katex.min.css';
import { common, createLowlight } from 'lowlight';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mathFromMarkdown } from 'mdast-util-math';
import { gfm } from 'micromark-extension-gfm';
import { math } from 'micromark-extension-math';
import { StrictMode, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { Fragment, jsx, jsxs } from 'react/jsx-runtime';
import Markdown, { type Components } from 'react-markdown';
// remark-parse declares the micromark/mdast extension lists on a processor's data.
import type {} from 'remark-parse';
import type { Processor } from 'unified';
import './baseline.css';

/** What remark-gfm does. */
function remarkGfm(this: Processor) {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(gfm());
  (data.fromMarkdownExtensions ??= []).push(gfmFromMarkdown());
}

/** What remark-math does. */
function remarkMath(this: Processor) {
  const data = this.data();
  (data.micromarkExtensions ??= []).push(math());
  (data.fromMarkdownExtensions ??= []).push(mathFromMarkdown());
}

const lowlight = createLowlight(common);

/** rehype-katex and rehype-highlight, as components: math through KaTeX, code through lowlight. */
const components: Components = {
  code({ className, children }) {
    // react-markdown hands a code element its text as one string child.
    const source = typeof children === 'string' ? children : '';
    const classes = className ?? '';
    if (classes.includes('language-math')) {
      const display = classes.includes('math-display');
      const html = katex.renderToString(source, { displayMode: display, throwOnError: false });
      return display ? (
        <div className="math-display" dangerouslySetInnerHTML={{ __html: html }} />
      ) : (
        <span dangerouslySetInnerHTML={{ __html: html }} />
      );
    }
    const language = /language-([\w-]+)/.exec(classes)?.[1];
    if (language && lowlight.registered(language)) {
      const tree = lowlight.highlight(language, source);
      return (
        <code className={`hljs ${classes}`}>{toJsxRuntime(tree, { Fragment, jsx, jsxs })}</code>
      );
    }
    return <code className={className}>{children}</code>;
  },
};

const REMARK_PLUGINS = [remarkGfm, remarkMath];

declare global {
  interface Window {
    __bench?: { start(marker: string): void };
    __benchDone?: { commits: number; deltas: number; text: string; firstDeltaAt: number };
  }
}

/** Reads the provider's server-sent events and calls `onDelta` for each text delta. */
async function readStream(marker: string, onDelta: (text: string) => void): Promise<void> {
  const response = await fetch('/stream', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ marker }),
  });
  if (!response.ok || !response.body) throw new Error(`stream failed: ${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end: number;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      for (const line of event.split('\n')) {
        if (!line.startsWith('data: ')) continue;
        const data = line.slice('data: '.length);
        if (data === '[DONE]') continue;
        const chunk = JSON.parse(data) as { choices?: { delta?: { content?: string } }[] };
        const content = chunk.choices?.[0]?.delta?.content;
        if (content) onDelta(content);
      }
    }
  }
}

function App() {
  const [text, setText] = useState('');
  const [done, setDone] = useState(false);
  const scroller = useRef<HTMLDivElement>(null);
  const stats = useRef({ commits: 0, deltas: 0, firstDeltaAt: 0 });

  useEffect(() => {
    window.__bench = {
      start(marker) {
        void readStream(marker, (delta) => {
          if (stats.current.deltas++ === 0) stats.current.firstDeltaAt = performance.now();
          // What peers do: every delta sets the whole text, and the whole reply renders again.
          setText((previous) => previous + delta);
        }).then(() => setDone(true));
      },
    };
  }, []);

  // Keep the newest text in view, as chat views do.
  useLayoutEffect(() => {
    stats.current.commits++;
    const element = scroller.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [text]);

  useEffect(() => {
    if (done) window.__benchDone = { ...stats.current, text };
  }, [done, text]);

  return (
    <div className="scroller" ref={scroller}>
      <article className="reply">
        <Markdown remarkPlugins={REMARK_PLUGINS} components={components}>
          {text}
        </Markdown>
      </article>
    </div>
  );
}

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
