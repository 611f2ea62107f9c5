import { describe, expect, it } from 'vitest';
import { limitNesting, normaliseMathDelimiters, parseMarkdown } from './parseMarkdown';

describe('parseMarkdown', () => {
  it('turns \\( \\) and \\[ \\] into math, but not inside code', () => {
    expect(normaliseMathDelimiters('a \\(x^2\\) b')).toBe('a $x^2$ b');
    expect(normaliseMathDelimiters('`\\(x\\)`')).toBe('`\\(x\\)`');
    const tree = parseMarkdown('\\[\\int x\\]');
    expect(tree.children[0]?.type).toBe('math');
  });

  it('caps hostile indentation and quote depth outside deep lists', () => {
    const deep = Array.from({ length: 500 }, (_, i) => `${'  '.repeat(i)}- level ${i}`).join('\n');
    expect(limitNesting(deep).split('\n').at(-1)).toBe(`${' '.repeat(64)}- level 499`);
    expect(limitNesting(`${' '.repeat(300)}- x`)).toBe(`${' '.repeat(64)}- x`);
    expect(limitNesting('>'.repeat(40) + ' quote')).toBe('>'.repeat(16) + ' quote');
    // Not only list items: flattened, and still quick to parse.
    const mixed = `${deep}\nA paragraph line.`;
    const started = performance.now();
    expect(parseMarkdown(mixed).children.length).toBeGreaterThan(0);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});
