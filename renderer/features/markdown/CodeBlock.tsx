import type { Root } from 'hast';
import { memo, useEffect, useMemo, useState } from 'react';
import { useT } from '../../i18n/useT';
import { grammarFor, highlightIfReady, MAX_HIGHLIGHT_CHARS } from './highlight';
import { highlighter } from './highlightClient';
import { WORKER_MIN_CHARS } from './highlighter';
import { renderHighlighted } from './safeHast';

/**
 * A fenced code block with a Copy button. While a reply streams, its open block shows as plain
 * text; once finished it is highlighted: a small block at once in the page, a large one in a
 * worker (shown plain until its colours arrive). Highlighting yields a syntax tree that becomes
 * React elements (spans with class names only), so no HTML string is ever injected.
 */
export const CodeBlock = memo(function CodeBlock(props: {
  code: string;
  language: string | null;
  finished: boolean;
}) {
  const { code, language, finished } = props;
  const { t } = useT();
  const grammar = grammarFor(language);
  const [copied, setCopied] = useState(false);
  const wanted = finished && grammar !== null && code.length <= MAX_HIGHLIGHT_CHARS;
  // A small block whose grammar is loaded is highlighted in this render: no plain frame first.
  const immediate = useMemo(
    () =>
      wanted && grammar && code.length < WORKER_MIN_CHARS ? highlightIfReady(code, grammar) : null,
    [wanted, grammar, code],
  );
  const [later, setLater] = useState<{ code: string; tree: Root } | null>(null);

  useEffect(() => {
    if (!wanted || !grammar || immediate) return;
    let live = true;
    void highlighter.highlight(code, grammar).then((tree) => {
      if (live && tree) setLater({ code, tree });
    });
    return () => {
      live = false;
    };
  }, [wanted, grammar, immediate, code]);

  const tree = immediate ?? (later?.code === code ? later.tree : null);

  async function copy() {
    try {
      await navigator.clipboard.writeText(code);
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    } catch {
      setCopied(false);
    }
  }

  return (
    <figure className="code-block">
      <figcaption className="code-block-header">
        <span className="code-block-language">{language ?? ''}</span>
        <button type="button" className="code-copy" onClick={() => void copy()}>
          {copied ? t('markdown.copied') : t('markdown.copyCode')}
        </button>
      </figcaption>
      <pre>
        <code className={grammar ? `hljs language-${grammar}` : undefined}>
          {tree ? renderHighlighted(tree) : code}
        </code>
      </pre>
    </figure>
  );
});
