import type { List, Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { describe, expect, it } from 'vitest';
import { buildDeepList, DEEP_LIST_LEVELS, FLATTEN_LIST_LEVELS, MAX_LIST_LEVELS } from './deepList';
import { parseMarkdown } from './parseMarkdown';

/** A bullet list nested `depth` levels, two spaces a level, as the hostile corpus has it. */
function nested(depth: number, indent = 2): string {
  return Array.from({ length: depth }, (_, i) => `${' '.repeat(indent * i)}- level ${i}`).join(
    '\n',
  );
}

/** How many lists deep the tree goes. */
function listDepth(node: Nodes): number {
  const own = node.type === 'list' ? 1 : 0;
  const children = 'children' in node ? (node.children as Nodes[]) : [];
  return own + Math.max(0, ...children.map(listDepth));
}

/** The shape of a tree without positions, for comparing with micromark's. */
function shape(node: Nodes): unknown {
  if (node.type === 'text') return node.value;
  const children = 'children' in node ? (node.children as Nodes[]).map(shape) : [];
  if (node.type === 'list') return { list: node.ordered ? `ol${node.start}` : 'ul', children };
  return { [node.type]: children };
}

describe('buildDeepList', () => {
  it('nests a list 500 deep down to MAX_LIST_LEVELS, the deeper items kept at that level', () => {
    const tree = parseMarkdown(nested(500));
    expect(listDepth(tree)).toBe(MAX_LIST_LEVELS);
    let node: Nodes = tree;
    for (let level = 0; level < MAX_LIST_LEVELS; level++) {
      const list = node.children.find((c) => c.type === 'list') as List;
      expect(list.data?.flattened ?? false).toBe(level + 1 > FLATTEN_LIST_LEVELS);
      const item = list.children[0]!;
      expect(shape(item.children[0]!)).toEqual({ paragraph: [`level ${level}`] });
      if (level === MAX_LIST_LEVELS - 1) {
        // The last level holds every deeper item, in order.
        expect(list.children.map((child) => shape(child.children[0]!))).toEqual(
          Array.from({ length: 500 - level }, (_, i) => ({ paragraph: [`level ${level + i}`] })),
        );
      }
      node = item;
    }
  });

  it('goes back out of a capped list as the indentation does', () => {
    const lines = `${nested(MAX_LIST_LEVELS + 5)}\n  - back to level 1\n- back to level 0`;
    const tree = buildDeepList(lines, (text) => fromMarkdown(text))!;
    const top = tree.children[0] as List;
    expect(top.children).toHaveLength(2);
    expect(shape(top.children[1]!.children[0]!)).toEqual({ paragraph: ['back to level 0'] });
    const second = top.children[0]!.children[1] as List;
    expect(shape(second.children.at(-1)!.children[0]!)).toEqual({ paragraph: ['back to level 1'] });
  });

  it('builds the same tree as micromark for a well-formed nested list', () => {
    const depth = DEEP_LIST_LEVELS + 2;
    const lines = [
      ...nested(depth).split('\n'),
      '  - back to level 1',
      '- back to level 0, *emphasis*',
      '    1. ordered under it',
      '    2. second',
      '- last',
    ].join('\n');
    const ours = buildDeepList(lines, (text) => fromMarkdown(text));
    expect(ours).not.toBeNull();
    expect(shape(ours!)).toEqual(shape(fromMarkdown(lines)));
  });

  it('handles four-space indentation and tabs', () => {
    const tabs = Array.from({ length: 20 }, (_, i) => `${'\t'.repeat(i)}* t${i}`).join('\n');
    expect(listDepth(buildDeepList(tabs, (text) => fromMarkdown(text))!)).toBe(20);
    const four = nested(20, 4);
    expect(listDepth(buildDeepList(four, (text) => fromMarkdown(text))!)).toBe(20);
  });

  it('leaves shallow lists and blocks that are no list to micromark', () => {
    const parse = (text: string) => fromMarkdown(text);
    expect(buildDeepList(nested(DEEP_LIST_LEVELS), parse)).toBeNull();
    expect(buildDeepList(`Intro\n${nested(40)}`, parse)).toBeNull();
    expect(buildDeepList(`${nested(40)}\n${' '.repeat(80)}- - -`, parse)).toBeNull();
    expect(buildDeepList('plain text', parse)).toBeNull();
  });

  it('continues an item with the lines that start none, as micromark does', () => {
    const lines = `${nested(DEEP_LIST_LEVELS + 2)}\nmore *text*\n      still more\n- next`;
    const ours = buildDeepList(lines, (text) => fromMarkdown(text));
    expect(shape(ours!)).toEqual(shape(fromMarkdown(lines)));
  });

  it('accepts a last line that is still arriving', () => {
    const parse = (text: string) => fromMarkdown(text);
    expect(listDepth(buildDeepList(`${nested(30)}\n${' '.repeat(60)}`, parse)!)).toBe(30);
    expect(listDepth(buildDeepList(`${nested(30)}\n${' '.repeat(60)}1`, parse)!)).toBe(30);
  });
});
