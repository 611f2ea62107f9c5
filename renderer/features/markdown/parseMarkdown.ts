import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mathFromMarkdown } from 'mdast-util-math';
import { gfm } from 'micromark-extension-gfm';
import { math } from 'micromark-extension-math';
import { buildDeepList } from './deepList';

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

/**
 * Parses one block of GitHub-flavoured markdown with math into an mdast tree. Never throws. A
 * list nested deeper than micromark handles in good time is built line by line instead, all its
 * levels kept (see deepList.ts); other deep nesting is flattened.
 */
export function parseMarkdown(markdown: string): Root {
  return buildDeepList(markdown, parseFlat) ?? parseFlat(markdown);
}
