import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { loadKatex } from './mathClient';
import { MathView } from './MathView';

const render = (tex: string, display: boolean) =>
  renderToStaticMarkup(<MathView tex={tex} display={display} />);

describe('MathView', () => {
  it('shows a formula over the budget as its TeX source with a note, without KaTeX', async () => {
    await loadKatex();
    const nested = `${'{'.repeat(20_000)}x${'}'.repeat(20_000)}`;
    const html = render(nested, true);
    expect(html).toMatch(
      /^<div class="math math-source math-display"><code class="math-tex">\{{20000}x/,
    );
    expect(html).toContain(
      '<span class="math-note">Formula too large to typeset: shown as TeX source.</span>',
    );
    expect(html).not.toContain('katex');
  });

  it('typesets a small formula at once, in the page', async () => {
    await loadKatex();
    expect(render('e^{i\\pi} + 1 = 0', false)).toMatch(
      /^<span class="math math-atom"><span class="katex">/,
    );
  });
});
