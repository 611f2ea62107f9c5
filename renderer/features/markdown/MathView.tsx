import { memo, useEffect, useMemo, useState } from 'react';
import { useT } from '../../i18n/useT';
import { katexLoaded, loadKatex, mathTypesetter } from './mathClient';
import type { MathFallback, MathResult } from './mathTypesetter';

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
  const { t } = useT();
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
  if (result === null) return <Tag className="math math-pending">{tex}</Tag>;
  if ('fallback' in result) {
    return (
      <Tag className={display ? 'math math-source math-display' : 'math math-source'}>
        <code className="math-tex">{tex}</code>
        <span className="math-note">{t(NOTES[result.fallback])}</span>
      </Tag>
    );
  }
  return (
    <Tag
      className={display ? 'math math-display' : 'math'}
      // KaTeX output with trust:false: generated markup only (see the comment above).
      dangerouslySetInnerHTML={{ __html: result.html }}
    />
  );
});
