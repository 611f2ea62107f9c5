import { toJsxRuntime } from 'hast-util-to-jsx-runtime';
import { memo, useEffect, useState } from 'react';
import { Fragment, jsx, jsxs } from 'react/jsx-runtime';
import { useT } from '../../i18n/useT';
import { grammarFor, highlightIfReady, loadGrammar } from './highlight';

/**
 * A fenced code block with a Copy button. While a reply streams, its open block shows as plain
 * text; once finished it is highlighted. Highlighting yields a syntax tree that becomes React
 * elements directly, so no HTML string is ever injected.
 */
export const CodeBlock = memo(function CodeBlock(props: {
  code: string;
  language: string | null;
  finished: boolean;
}) {
  const { code, language, finished } = props;
  const { t } = useT();
  const grammar = grammarFor(language);
  const [, setLoaded] = useState(0);
  const [copied, setCopied] = useState(false);

  useEffect(() => {
    if (!finished || !grammar) return;
    let live = true;
    void loadGrammar(grammar).then((ok) => {
      if (live && ok) setLoaded((n) => n + 1);
    });
    return () => {
      live = false;
    };
  }, [finished, grammar]);

  const tree = finished && grammar ? highlightIfReady(code, grammar) : null;

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
          {tree ? toJsxRuntime(tree, { Fragment, jsx, jsxs }) : code}
        </code>
      </pre>
    </figure>
  );
});
