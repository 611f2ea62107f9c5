import type KatexModule from 'katex';
import { memo, useEffect, useMemo, useState } from 'react';

type Katex = typeof KatexModule;
let katexModule: Katex | null = null;
let katexLoading: Promise<Katex> | null = null;

function loadKatex(): Promise<Katex> {
  katexLoading ??= Promise.all([import('katex'), import('katex/dist/katex.min.css')]).then(
    ([module]) => (katexModule = module.default),
  );
  return katexLoading;
}

/**
 * TeX rendered by KaTeX. KaTeX builds its own markup from the TeX source; with `trust: false` it
 * refuses \href, \url, \htmlClass and friends, so model output cannot reach the DOM as HTML.
 * This is the one place HTML is set from a string.
 */
export const MathView = memo(function MathView({
  tex,
  display,
}: {
  tex: string;
  display: boolean;
}) {
  const [katex, setKatex] = useState<Katex | null>(katexModule);
  useEffect(() => {
    if (katex) return;
    let live = true;
    void loadKatex().then((module) => live && setKatex(() => module));
    return () => {
      live = false;
    };
  }, [katex]);

  // Typeset once per formula: the streaming block around it renders again with every commit.
  const html = useMemo(
    () =>
      katex?.renderToString(tex, {
        displayMode: display,
        throwOnError: false,
        trust: false,
        strict: 'ignore',
        maxSize: 50,
        maxExpand: 500,
        output: 'htmlAndMathml',
      }) ?? null,
    [katex, tex, display],
  );
  const Tag = display ? 'div' : 'span';
  if (html === null) return <Tag className="math math-pending">{tex}</Tag>;
  return (
    <Tag
      className={display ? 'math math-display' : 'math'}
      // KaTeX output with trust:false: generated markup only (see the comment above).
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
});
