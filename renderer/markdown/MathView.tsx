import { memo, useEffect, useMemo, useState } from 'react';
import { useT } from '../ui/useT';
import { katexLoaded, loadKatex, mathTypesetter } from './mathClient';
import type { MathFallback, MathResult } from './mathTypesetter';

/**
 * Short inline formulas are laid out as atoms (inline-block): the browser then reuses each one's
 * layout when another changes, instead of laying out a paragraph of thousands of formulas again
 * each time (a quarter of the cost, measured). Longer ones stay inline so they can wrap.
 */
const ATOM_MAX_CHARS = 80;

const NOTES: Record<
  MathFallback,
  'markdown.mathTooLarge' | 'markdown.mathTimeout' | 'markdown.mathFailed'
> = {
  tooLarge: 'markdown.mathTooLarge',
  timeout: 'markdown.mathTimeout',
  failed: 'markdown.mathFailed',
};

/**
 * TeX typeset by KaTeX within a budget (mathTypesetter.ts): small formulas in the page, large
 * ones in a worker, and the oversized or the too slow shown as their TeX source with a note.
 * KaTeX builds its own markup from the TeX source with `trust: false` (katexRender.ts), so model
 * output cannot reach the DOM as HTML: this is the one place HTML is set from a string.
 */
export const MathView = memo(function MathView({
  tex,
  display,
}: {
  tex: string;
  display: boolean;
}) {
  const [ready, setReady] = useState(katexLoaded);
  useEffect(() => {
    if (ready) return;
    let live = true;
    void loadKatex().then(() => live && setReady(true));
    return () => {
      live = false;
    };
  }, [ready]);

  // Typeset once per formula: the streaming block around it renders again with every commit.
  // Before KaTeX is loaded this only checks the budget, so an oversized formula shows as source.
  const immediate = useMemo(
    () => (ready ? mathTypesetter.now(tex, display) : mathTypesetter.known(tex, display)),
    [ready, tex, display],
  );
  const [later, setLater] = useState<{ key: string; result: MathResult } | null>(null);
  const key = `${display}:${tex}`;
  useEffect(() => {
    if (!ready || immediate) return;
    return mathTypesetter.later(tex, display, (result) => setLater({ key, result }));
  }, [ready, immediate, tex, display, key]);

  const result = immediate ?? (later?.key === key ? later.result : null);
  const Tag = display ? 'div' : 'span';
  if (result === null) {
    const atom = !display && tex.length <= ATOM_MAX_CHARS;
    return <Tag className={atom ? 'math math-pending math-atom' : 'math math-pending'}>{tex}</Tag>;
  }
  if ('fallback' in result) return <MathSource tex={tex} display={display} why={result.fallback} />;
  return (
    <Tag
      className={
        display ? 'math math-display' : tex.length <= ATOM_MAX_CHARS ? 'math math-atom' : 'math'
      }
      // KaTeX output with trust:false: generated markup only (see the comment above).
      dangerouslySetInnerHTML={{ __html: result.html }}
    />
  );
});

/** A formula shown as its TeX source, with why (its own component: most formulas need no `t`). */
function MathSource({ tex, display, why }: { tex: string; display: boolean; why: MathFallback }) {
  const { t } = useT();
  const Tag = display ? 'div' : 'span';
  return (
    <Tag className={display ? 'math math-source math-display' : 'math math-source'}>
      <code className="math-tex">{tex}</code>
      <span className="math-note">{t(NOTES[why])}</span>
    </Tag>
  );
}
