import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BIDI_CONTROLS } from '../../shared/bidiControls';
import { bidiMarker, countBidiControls, markBidiInTree, withBidiMarkers } from './bidiMarkers';
import { CodeBlock } from './CodeBlock';
import { highlightHere } from './highlight';

// The classic Trojan Source line: displayed, it reads as a comment after the check.
const TROJAN = 'if (accessLevel != "user\u202E \u2066// Check if admin\u2069 \u2066") {';

const hasRawControl = (html: string) => html.search(BIDI_CONTROLS) !== -1;

describe('bidi markers', () => {
  it('names each control by its code point, in place', () => {
    expect(countBidiControls(TROJAN)).toBe(4);
    expect(countBidiControls('plain')).toBe(0);
    expect(bidiMarker('\u202E')).toBe('⟪U+202E⟫');
    expect(bidiMarker('\u061C')).toBe('⟪U+061C⟫');
    const html = renderToStaticMarkup(<code>{withBidiMarkers(TROJAN)}</code>);
    expect(hasRawControl(html)).toBe(false);
    expect(html).toBe(
      '<code>if (accessLevel != &quot;user<span class="bidi-control">⟪U+202E⟫</span> <span class="bidi-control">⟪U+2066⟫</span>// Check if admin<span class="bidi-control">⟪U+2069⟫</span> <span class="bidi-control">⟪U+2066⟫</span>&quot;) {</code>',
    );
    expect(withBidiMarkers('plain')).toBe('plain');
  });

  it('marks controls inside a highlighted tree, keeping its spans', async () => {
    const tree = await highlightHere(TROJAN, 'javascript');
    const marked = markBidiInTree(tree!);
    const text = JSON.stringify(marked);
    expect(hasRawControl(text)).toBe(false);
    expect(text).toContain('"className":["bidi-control"]');
    expect(text).toContain('hljs-');
  });

  it('shows code blocks, plain or highlighted, with markers and no raw control', async () => {
    await highlightHere('x', 'javascript');
    for (const language of [null, 'javascript']) {
      const html = renderToStaticMarkup(
        <CodeBlock code={TROJAN} language={language} finished={true} />,
      );
      expect(hasRawControl(html)).toBe(false);
      expect(html.match(/class="bidi-control"/g)).toHaveLength(4);
      if (language) expect(html).toContain('hljs-');
    }
  });
});
