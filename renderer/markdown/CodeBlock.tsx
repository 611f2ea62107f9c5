import type { Root } from 'hast';
import { memo, useEffect, useMemo, useState } from 'react';
import { stripBidiControls } from '../../shared/bidiControls';
import { useT } from '../ui/useT';
import { ChoiceDialog } from '../ui/ChoiceDialog';
import { countBidiControls, markBidiInTree, withBidiMarkers } from './bidiMarkers';
import { grammarFor, highlightIfReady, MAX_HIGHLIGHT_CHARS } from './highlight';
import { highlighter } from './highlightClient';
import { WORKER_MIN_CHARS } from './highlighter';
import { renderHighlighted } from './safeHast';

/**
 * A fenced code block with a Copy button. While a reply streams, its open block shows as plain
 * text; once finished it is highlighted: a small block at once in the page, a large one in a
 * worker (shown plain until its colours arrive). Highlighting yields a syntax tree that becomes
 * React elements (spans with class names only), so no HTML string is ever injected.
 * Bidirectional controls show as ⟪U+202E⟫ markers instead of reordering the code, and copying
 * code that has them asks first: copy without them, or as it is.
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
  const [asking, setAsking] = useState(false);
  const controls = useMemo(() => countBidiControls(code), [code]);
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

  const highlighted = immediate ?? (later?.code === code ? later.tree : null);
  const tree = useMemo(
    () => (highlighted && controls > 0 ? markBidiInTree(highlighted) : highlighted),
    [highlighted, controls],
  );

  async function copy(text: string) {
    setAsking(false);
    try {
      await navigator.clipboard.writeText(text);
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
        <button
          type="button"
          className="code-copy"
          onClick={() => (controls > 0 ? setAsking(true) : void copy(code))}
        >
          {copied ? t('markdown.copied') : t('markdown.copyCode')}
        </button>
      </figcaption>
      <pre>
        <code className={grammar ? `hljs language-${grammar}` : undefined}>
          {tree ? renderHighlighted(tree) : withBidiMarkers(code)}
        </code>
      </pre>
      {asking ? (
        <ChoiceDialog
          title={t('markdown.bidiTitle')}
          message={t('markdown.bidiMessage', { count: controls })}
          cancelLabel={t('markdown.cancel')}
          choices={[
            {
              label: t('markdown.bidiCopyWithout'),
              onChoose: () => void copy(stripBidiControls(code)),
            },
            { label: t('markdown.bidiCopyAnyway'), onChoose: () => void copy(code) },
          ]}
          onCancel={() => setAsking(false)}
        />
      ) : null}
    </figure>
  );
});
