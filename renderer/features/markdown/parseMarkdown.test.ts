import { describe, expect, it } from 'vitest';
import { limitNesting, normaliseMathDelimiters, parseMarkdown } from './parseMarkdown';

describe('parseMarkdown', () => {
  it('turns \\( \\) and \\[ \\] into math, but not inside code', () => {
    expect(normaliseMathDelimiters('a \\(x^2\\) b')).toBe('a $x^2$ b');
    expect(normaliseMathDelimiters('`\\(x\\)`')).toBe('`\\(x\\)`');
    const tree = parseMarkdown('\\[\\int x\\]');
    expect(tree.children[0]?.type).toBe('math');
  });

  it('flattens hostile nesting so a 500-deep list parses quickly', () => {
    const deep = Array.from({ length: 500 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    const tree = parseMarkdown(deep);
    expect(tree.children.length).toBeGreaterThan(0);
    expect(limitNesting(deep).split('\n').at(-1)).toBe(`${' '.repeat(64)}- level 499`);
    expect(limitNesting(`${' '.repeat(300)}- x`)).toBe(`${' '.repeat(64)}- x`);
    expect(limitNesting('>'.repeat(40) + ' quote')).toBe('>'.repeat(16) + ' quote');
  });
});
