import type { Root } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { mathFromMarkdown } from 'mdast-util-math';
import { gfm } from 'micromark-extension-gfm';
import { math } from 'micromark-extension-math';

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

/** Parses one block of GitHub-flavoured markdown with math into an mdast tree. Never throws. */
export function parseMarkdown(markdown: string): Root {
  return fromMarkdown(normaliseMathDelimiters(limitNesting(markdown)), {
    extensions: [gfm(), math()],
    mdastExtensions: [gfmFromMarkdown(), mathFromMarkdown()],
  });
}
