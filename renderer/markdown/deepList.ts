import type { List, ListItem, Root, RootContent } from 'mdast';

declare module 'mdast' {
  interface ListData {
    /** Nested so deep that it is drawn without further indentation. */
    flattened?: boolean;
  }
}

/*
 * Issue #12 asked to replace this builder by a depth cap, as quotes have. Kept: with indentation
 * capped at 8 to 32 levels, micromark still takes 0.3 to 0.9 s for a 500-line nested list (it
 * rechecks every open container on every line), where this builds it in a few milliseconds. The
 * cap is here instead: MAX_LIST_LEVELS, past which items join the deepest list.
 */

/**
 * Lists nested deeper than this are built here, line by line, rather than by micromark, whose
 * time grows much faster than the depth (measured: ~3 ms at 16 levels, ~115 ms at 32, seconds at
 * 500). Below it micromark's exact CommonMark handling wins.
 */
export const DEEP_LIST_LEVELS = 12;

/** Lists deeper than this keep their nesting but are drawn without more indentation. */
export const FLATTEN_LIST_LEVELS = 16;

/**
 * Items deeper than this join the list at this depth, their text kept: the renderer recurses once
 * per level, and thousands of levels overflow its stack (issue #21).
 */
export const MAX_LIST_LEVELS = 32;

/**
 * A list deeper than DEEP_LIST_LEVELS has a line indented at least two columns a level (or by
 * tabs): blocks without one are left alone at once.
 */
const DEEP_INDENT = new RegExp(`^(?: {${DEEP_LIST_LEVELS * 2}}|[ \\t]*\\t)`, 'm');

/** `- item`, `* item`, `+ item`, `1. item`, `1) item`: indentation, marker, the rest. */
const ITEM = /^([ \t]*)([-+*]|\d{1,9}[.)])(?:([ \t]+)(.*))?$/;
/** A thematic break (`- - -`, `***`) is not a list item. */
const THEMATIC_BREAK = /^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
/** Text with no character markdown (or GFM's autolinks) gives a meaning to. */
const PLAIN = /^[\p{L}\p{N} ,;'"?]+$/u;
/** A last line still arriving: indentation and perhaps the digits of an ordered marker. */
const PARTIAL_LAST_LINE = /^[ \t]*\d{0,9}$/;

interface ItemLine {
  indent: number;
  marker: string;
  /** The column the item's content starts at: deeper lines nest inside it. */
  contentColumn: number;
  content: string;
}

/** Columns of leading whitespace, tabs to the next multiple of 4. */
function columns(whitespace: string): number {
  let column = 0;
  for (const char of whitespace) column = char === '\t' ? column + 4 - (column % 4) : column + 1;
  return column;
}

/**
 * The items of a block that is a list from its first line, each with its text: a line that
 * starts no item continues the text of the item before it (as a lazy continuation line does in
 * CommonMark; the block has no blank line). Null for any other block, or a thematic break in it.
 */
function itemLines(markdown: string): ItemLine[] | null {
  const lines = markdown.split('\n');
  const items: ItemLine[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const last = index === lines.length - 1;
    if (last && PARTIAL_LAST_LINE.test(line)) continue;
    if (THEMATIC_BREAK.test(line)) return null;
    const match = ITEM.exec(line);
    if (!match) {
      const previous = items.at(-1);
      if (!previous) return null;
      previous.content += `\n${line.trim()}`;
      continue;
    }
    const indent = columns(match[1]!);
    const marker = match[2]!;
    const gap = match[3] ? columns(' '.repeat(indent + marker.length) + match[3]) : 0;
    const spaces = gap - indent - marker.length;
    // CommonMark: with no content, or five or more spaces, the content starts one space after.
    const contentColumn = indent + marker.length + (spaces >= 1 && spaces <= 4 ? spaces : 1);
    items.push({ indent, marker, contentColumn, content: match[4] ?? '' });
  }
  return items;
}

function kindOf(marker: string): string {
  return /\d/.test(marker) ? `ordered${marker.at(-1)}` : marker;
}

interface OpenList {
  list: List;
  kind: string;
  /** The content column of the list's last item. */
  contentColumn: number;
  depth: number;
}

/**
 * Nests item lines into lists the way CommonMark does for well-formed input: a line indented to
 * at least the content column of the open item nests inside it; otherwise it closes that item and
 * continues the nearest open list of the same marker kind that it is not indented out of.
 * Returns the lists and their greatest depth; items' content comes from `content`.
 */
function nest(
  lines: readonly ItemLine[],
  content: (line: ItemLine) => ListItem['children'],
): { children: RootContent[]; depth: number } {
  const children: RootContent[] = [];
  const open: OpenList[] = [];
  let deepest = 0;
  for (const line of lines) {
    const kind = kindOf(line.marker);
    let sibling: OpenList | null = null;
    while (open.length > 0) {
      const top = open.at(-1)!;
      if (line.indent >= top.contentColumn) break;
      const enclosing = open.at(-2)?.contentColumn ?? 0;
      if (line.indent >= enclosing && top.kind === kind) {
        sibling = top;
        break;
      }
      open.pop();
    }
    const item: ListItem = { type: 'listItem', spread: false, checked: null, children: [] };
    if (!sibling && open.length >= MAX_LIST_LEVELS) sibling = open.at(-1)!;
    if (sibling) {
      sibling.list.children.push(item);
      sibling.contentColumn = line.contentColumn;
    } else {
      const depth = open.length + 1;
      const ordered = kind.startsWith('ordered');
      const list: List = {
        type: 'list',
        ordered,
        start: ordered ? Number.parseInt(line.marker, 10) : null,
        spread: false,
        children: [item],
        ...(depth > FLATTEN_LIST_LEVELS ? { data: { flattened: true } } : {}),
      };
      const parent = open.at(-1)?.list.children.at(-1);
      if (parent) parent.children.push(list);
      else children.push(list);
      open.push({ list, kind, contentColumn: line.contentColumn, depth });
      deepest = Math.max(deepest, depth);
    }
    item.children = content(line);
  }
  return { children, depth: deepest };
}

/**
 * A block that is a list nested deeper than DEEP_LIST_LEVELS, built in one pass with each item's
 * own text parsed by `parseItem`; null for any other block (micromark's job).
 */
export function buildDeepList(markdown: string, parseItem: (text: string) => Root): Root | null {
  if (!DEEP_INDENT.test(markdown)) return null;
  const lines = itemLines(markdown);
  if (!lines || lines.length === 0) return null;
  // First the shape alone, which is cheap; the items are parsed only for a deep list.
  if (nest(lines, () => []).depth <= DEEP_LIST_LEVELS) return null;
  const { children } = nest(lines, (line) => {
    const text = line.content.trim();
    if (!text) return [];
    // Words and spaces alone are one paragraph of text: no need to run the parser for them.
    if (PLAIN.test(text)) return [{ type: 'paragraph', children: [{ type: 'text', value: text }] }];
    return parseItem(text).children as ListItem['children'];
  });
  return { type: 'root', children };
}
