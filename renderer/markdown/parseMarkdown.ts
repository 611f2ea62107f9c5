import type { Literal, Nodes, Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mathFromMarkdown } from 'mdast-util-math';
import { gfm } from 'micromark-extension-gfm';
import { math } from 'micromark-extension-math';
import { buildDeepList } from './deepList';
import { findNestingExcess, MAX_NESTING, type NestingExcess } from './nestingScan';

declare module 'mdast' {
  interface RootContentMap {
    sourceText: SourceText;
  }
}

/** A block shown as the text it is, with a note: it nests deeper than the renderer allows. */
export interface SourceText extends Literal {
  type: 'sourceText';
  /** Which cap it went over. */
  excess: NestingExcess;
}

/**
 * How deep a parsed tree may go: each construct is capped at MAX_NESTING on its own, and they
 * can add up (quotes in list items in lists, emphasis in links); the renderer recurses once per
 * level, so this bounds its stack.
 */
export const MAX_TREE_DEPTH = 4 * MAX_NESTING;

/**
 * Rewrites `\(…\)` and `\[…\]` — the delimiters models use most and peers render least — into
 * `$…$` and `$$…$$`, leaving code spans and fenced code untouched.
 */
export function normaliseMathDelimiters(markdown: string): string {
  if (!markdown.includes('\\(') && !markdown.includes('\\[')) return markdown;
  const parts = markdown.split(/(```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)|`[^`\n]*`)/);
  return parts
    .map((part, index) => {
      if (index % 2 === 1) return part; // code: leave as written
      return part
        .replace(/\\\[([\s\S]+?)\\\]/g, (_whole, body: string) => `\n$$\n${body.trim()}\n$$\n`)
        .replace(/\\\(([\s\S]+?)\\\)/g, (_whole, body: string) => `$${body.trim()}$`);
    })
    .join('');
}

/** Deeper nesting than this is flattened: it reads no better and costs the parser superlinearly. */
const MAX_INDENT = 64;
const MAX_QUOTE_DEPTH = 16;

/**
 * Caps list indentation and quote depth. A hostile reply nested 500 levels deep takes the
 * parser seconds (measured: 5.4 s at depth 500); at this cap it takes milliseconds.
 */
export function limitNesting(markdown: string): string {
  return markdown
    .replace(new RegExp(`^[ \\t]{${MAX_INDENT + 1},}`, 'gm'), ' '.repeat(MAX_INDENT))
    .replace(new RegExp(`^((?:\\s*>){${MAX_QUOTE_DEPTH}})(?:\\s*>)+`, 'gm'), '$1');
}

// Built once: making the extensions anew for every block cost about a quarter of each parse.
const OPTIONS = {
  extensions: [gfm(), math()],
  mdastExtensions: [gfmFromMarkdown(), mathFromMarkdown()],
};

function parseFlat(markdown: string): Root {
  return fromMarkdown(normaliseMathDelimiters(limitNesting(markdown)), OPTIONS);
}

/** The depth of a tree, counted without recursion (the tree may be the problem). */
export function treeDepth(tree: Nodes): number {
  let deepest = 0;
  const stack: [Nodes, number][] = [[tree, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    deepest = Math.max(deepest, depth);
    if ('children' in node) for (const child of node.children) stack.push([child, depth + 1]);
  }
  return deepest;
}

function asSourceText(markdown: string, excess: NestingExcess): Root {
  return { type: 'root', children: [{ type: 'sourceText', value: markdown, excess }] };
}

/**
 * Parses one block of GitHub-flavoured markdown with math into an mdast tree. Never throws. A
 * list nested deeper than micromark handles in good time is built line by line instead (see
 * deepList.ts); deep indentation and quotes are flattened. A block nesting anything else past
 * MAX_NESTING (emphasis, links, math groups, containers on one line), or with too much inline
 * markup to match in good time, is one `sourceText` node: its text, never parsed, never typeset.
 */
export function parseMarkdown(markdown: string): Root {
  const excess = findNestingExcess(normaliseMathDelimiters(limitNesting(markdown)));
  if (excess) return asSourceText(markdown, excess);
  const tree = buildDeepList(markdown, parseFlat) ?? parseFlat(markdown);
  const depth = treeDepth(tree);
  return depth > MAX_TREE_DEPTH
    ? asSourceText(markdown, { kind: 'containers', amount: depth })
    : tree;
}
