import type { Nodes } from 'mdast';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ISSUE_21_REPLIES, NESTING_SHAPES } from '../../testing/fixtures/hostileCorpusNesting';
import { MarkdownView } from './MarkdownView';
import { findNestingExcess, MAX_INLINE_MARKS, MAX_NESTING, mathDepth } from './nestingScan';
import { MAX_TREE_DEPTH, parseMarkdown, treeDepth } from './parseMarkdown';

const DEPTHS = [100, 1_000, 5_000, 20_000, 50_000];

/** Ordinary replies: none of them may be touched by the caps. */
const ORDINARY = [
  '# Title\n\nSome *emphasis*, **strong**, ~~gone~~, ***both*** and `code with * and _`.',
  'snake_case_names and 2 * 3 * 4 = 24, a_b_c, **bold _inside_ bold**, [link](https://a.org/x_y_z)',
  '| a | **b** | [c](https://c.org) |\n|---|---|---|\n' +
    Array.from(
      { length: 600 },
      (_, i) => `| *${i}* | **${i}** | [${i}](https://x.org/${i}) |`,
    ).join('\n'),
  '$$\n\\frac{\\sqrt{x^{2}+y_{i}^{2}}}{\\left(\\begin{matrix} a & b \\\\ c & d \\end{matrix}\\right)}\n$$',
  'Inline $e^{i\\pi} + 1 = 0$ and $\\{x \\mid x > 0\\}$, prices from $5 to $10.',
  '> quote\n> > nested *quote*\n> - item\n>   - sub [![img](https://i.org/a.png)](https://l.org)',
  Array.from({ length: 10 }, (_, i) => `${'  '.repeat(i)}- level *${i}* [x](y)`).join('\n'),
  '- [ ] task\n- [x] done\n1. one\n2. two\n\n* * *\n\n- - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -',
  'Footnote[^1] and [[wiki]] and [a [nested] bracket](https://n.org).\n\n[^1]: The note.',
];

function hasSourceText(node: Nodes): boolean {
  return node.type === 'sourceText' || ('children' in node && node.children.some(hasSourceText));
}

describe('nesting caps', () => {
  it('leaves ordinary markdown alone', () => {
    for (const text of ORDINARY) {
      expect(findNestingExcess(text), text.slice(0, 60)).toBeNull();
      expect(hasSourceText(parseMarkdown(text)), text.slice(0, 60)).toBe(false);
    }
  });

  it('parses nesting up to the cap and shows the block as text past it', () => {
    const emphasis = (n: number) => `${'*a '.repeat(n)}x${' b*'.repeat(n)}`;
    const links = (n: number) => `${'['.repeat(n)}x${'](u)'.repeat(n)}`;
    const math = (n: number) => `$${'{'.repeat(n)}x${'}'.repeat(n)}$`;
    const containers = (n: number) => `${'> - '.repeat(n / 2)}x`;
    for (const make of [emphasis, links, math, containers]) {
      expect(hasSourceText(parseMarkdown(make(MAX_NESTING))), make(2)).toBe(false);
      expect(parseMarkdown(make(MAX_NESTING + 2)).children[0]?.type, make(2)).toBe('sourceText');
    }
  });

  it('counts only openers that close, and long runs as every level they close', () => {
    expect(findNestingExcess('*a '.repeat(MAX_NESTING + 10))).toBeNull();
    expect(findNestingExcess('['.repeat(MAX_NESTING + 10))).toBeNull();
    expect(findNestingExcess(`${'*a '.repeat(40)}x${'*'.repeat(40)}`)).toEqual({
      kind: 'emphasis',
      amount: 40,
    });
    expect(findNestingExcess(`${'*'.repeat(80)}x${'*'.repeat(80)}`)?.kind).toBe('emphasis');
  });

  it('measures TeX groups: braces, \\left, \\begin and chains of commands', () => {
    expect(mathDepth('\\frac{a}{b} + \\{x\\}')).toBe(1);
    expect(mathDepth('\\left( \\left. x \\right| \\right)')).toBe(2);
    expect(mathDepth('\\begin{matrix}{x}\\end{matrix}')).toBe(2);
    expect(mathDepth('\\sqrt\\sqrt\\sqrt x')).toBe(3);
  });

  it('shows a paragraph with too much inline markup to match in good time as text', () => {
    const flat = '*a* '.repeat(MAX_INLINE_MARKS);
    expect(findNestingExcess(flat)?.kind).toBe('marks');
    // The same marks spread over list items are matched item by item: no cap.
    const items = Array.from({ length: MAX_INLINE_MARKS }, (_, i) => `- *${i}*`).join('\n');
    expect(findNestingExcess(items)).toBeNull();
  });

  it('skips fenced code', () => {
    const fenced = `\`\`\`\n${'['.repeat(5_000)}${']'.repeat(5_000)}\n\`\`\``;
    expect(findNestingExcess(fenced)).toBeNull();
    expect(parseMarkdown(fenced).children[0]?.type).toBe('code');
  });

  it('bounds the depth of every tree, whatever nests in what', () => {
    for (const shape of NESTING_SHAPES) {
      for (const depth of DEPTHS.filter((d) => d <= (shape.maxDepth ?? Infinity))) {
        const text = shape.build(depth);
        expect(treeDepth(parseMarkdown(text)), `${shape.id} at ${depth}`).toBeLessThanOrEqual(
          MAX_TREE_DEPTH,
        );
      }
    }
    // Containers on each line of a list nested by indentation: each part under its cap.
    const combined = Array.from(
      { length: 40 },
      (_, i) => `${'  '.repeat(i)}- ${'> - '.repeat(15)}*a [b **c ~~d~~** e](u) f*`,
    ).join('\n');
    expect(treeDepth(parseMarkdown(combined))).toBeLessThanOrEqual(MAX_TREE_DEPTH);
  });

  it('renders every hostile shape without overflowing the stack, its text kept', () => {
    const replies = [
      ...ISSUE_21_REPLIES,
      ...NESTING_SHAPES.map((shape) => ({
        id: shape.id,
        reply: shape.build(Math.min(20_000, shape.maxDepth ?? 20_000)),
      })),
    ];
    for (const { id, reply } of replies) {
      const html = renderToStaticMarkup(
        <MarkdownView text={`${reply}\n\nend`} streaming={false} />,
      );
      expect(html, id).toContain('<p dir="auto">end</p>');
    }
  });
});
