/**
 * A linear pre-scan of a markdown block for nesting the renderer must not meet: emphasis,
 * brackets (links, images), containers on one line (`- - - x`, `> - >`), math groups. micromark
 * and KaTeX take time superlinear in such nesting (a 5 KB reply, seconds to minutes) and
 * recurse once per level (a stack overflow), so a block over a cap is shown as text before
 * either sees it. Hand-written: no library measures nesting without parsing first.
 *
 * The scan follows CommonMark closely enough to count what really nests: an opener that never
 * closes counts for nothing, and a run of delimiters closes as many openers as it has length.
 */

/** Deeper than this, a block is shown as text: no reply nests this deep to be read. */
export const MAX_NESTING = 32;

/**
 * Emphasis delimiters, brackets and math dollars per paragraph (or table row, or list item):
 * beyond this, micromark's matching grows quadratic (measured: 8,000 unmatched `a*` take 4 s,
 * 4,000 about 0.6 s, 2,000 about 0.15 s). An ordinary paragraph has a few dozen.
 */
export const MAX_INLINE_MARKS = 2_000;

/** Why a block is shown as text rather than rendered. */
export interface NestingExcess {
  kind: 'emphasis' | 'brackets' | 'containers' | 'math' | 'marks';
  /** How deep (or, for `marks`, how many) the scan found, at least. */
  amount: number;
}

const FENCE = /^(`{3,}|~{3,})/;
/** Block quote and list markers that open one container each, at a line's start. */
const CONTAINER = /[ \t]*(?:>|(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$))/y;
const THEMATIC_BREAK = /^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const HEADING = /^#{1,6}(?:[ \t]|$)/;
const TABLE_DELIMITER_ROW = /^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;
const WHITESPACE = /\s/u;
const PUNCTUATION = /[\p{P}\p{S}]/u;

/** An emphasis opener still waiting for its closer. */
interface Opener {
  char: string;
  /** Delimiters left in the run. */
  length: number;
  /** Deepest emphasis already closed inside it. */
  inner: number;
}

/** Inline state of one paragraph (or one table row, or one item's text). */
class InlineScan {
  private openers: Opener[] = [];
  private openerCounts = new Map<string, number>();
  /** For each open bracket, the deepest closed bracket pair inside it. */
  private brackets: number[] = [];
  marks = 0;
  emphasisDepth = 0;
  bracketDepth = 0;

  reset(): void {
    this.openers = [];
    this.openerCounts.clear();
    this.brackets = [];
    this.marks = 0;
  }

  openBracket(): void {
    this.marks += 1;
    this.brackets.push(0);
  }

  closeBracket(): void {
    this.marks += 1;
    const inner = this.brackets.pop();
    if (inner === undefined) return;
    const depth = inner + 1;
    this.bracketDepth = Math.max(this.bracketDepth, depth);
    const outer = this.brackets.length - 1;
    if (outer >= 0) this.brackets[outer] = Math.max(this.brackets[outer]!, depth);
  }

  /** A run of `*`, `_` or `~` between `before` and `after` (whitespace at line ends). */
  delimiterRun(char: string, length: number, before: string, after: string): void {
    this.marks += 1;
    if (char === '~' && length > 2) return; // not a strikethrough delimiter in GFM
    const afterSpace = WHITESPACE.test(after);
    const beforeSpace = WHITESPACE.test(before);
    const afterPunct = PUNCTUATION.test(after);
    const beforePunct = PUNCTUATION.test(before);
    const left = !afterSpace && (!afterPunct || beforeSpace || beforePunct);
    const right = !beforeSpace && (!beforePunct || afterSpace || afterPunct);
    const canOpen = char === '_' ? left && (!right || beforePunct) : left;
    const canClose = char === '_' ? right && (!left || afterPunct) : right;
    let remaining = length;
    if (canClose) remaining = this.close(char, remaining);
    if (remaining > 0 && canOpen) {
      this.openers.push({ char, length: remaining, inner: 0 });
      this.openerCounts.set(char, (this.openerCounts.get(char) ?? 0) + 1);
    }
  }

  /** Closes openers of `char` with `length` delimiters; returns those left over. */
  private close(char: string, length: number): number {
    let remaining = length;
    while (remaining > 0 && (this.openerCounts.get(char) ?? 0) > 0) {
      // Openers above the match are dropped (CommonMark does too): each is popped once.
      let inner = 0;
      let top = this.openers.at(-1)!;
      while (top.char !== char) {
        this.drop();
        inner = Math.max(inner, top.inner);
        top = this.openers.at(-1)!;
      }
      const used = char === '~' ? remaining : remaining >= 2 && top.length >= 2 ? 2 : 1;
      const depth = Math.max(inner, top.inner) + 1;
      this.emphasisDepth = Math.max(this.emphasisDepth, depth);
      top.inner = depth;
      top.length -= Math.min(used, top.length);
      remaining -= used;
      if (top.length === 0 || char === '~') {
        this.drop();
        const outer = this.openers.at(-1);
        if (outer) outer.inner = Math.max(outer.inner, depth);
      }
    }
    return Math.max(0, remaining);
  }

  private drop(): void {
    const opener = this.openers.pop()!;
    this.openerCounts.set(opener.char, this.openerCounts.get(opener.char)! - 1);
  }
}

/** How deep TeX groups nest: braces, \left…\right, \begin…\end, and chains like \sqrt\sqrt. */
export function mathDepth(tex: string): number {
  let groups = 0;
  let chain = 0;
  let deepest = 0;
  for (let index = 0; index < tex.length; index++) {
    const char = tex[index]!;
    if (char === '\\') {
      let end = index + 1;
      while (end < tex.length && /[a-zA-Z]/.test(tex[end]!)) end++;
      if (end === index + 1) {
        index += 1; // a control symbol such as \{ or \,: no group
        chain = 0;
        continue;
      }
      const word = tex.slice(index + 1, end);
      if (word === 'left' || word === 'begin') groups += 1;
      else if (word === 'right' || word === 'end') groups = Math.max(0, groups - 1);
      else chain += 1;
      deepest = Math.max(deepest, groups + chain);
      index = end - 1;
      continue;
    }
    if (char === '{' || char === '[') groups += 1;
    else if (char === '}' || char === ']') groups = Math.max(0, groups - 1);
    if (!WHITESPACE.test(char)) chain = 0;
    deepest = Math.max(deepest, groups + chain);
  }
  return deepest;
}

/**
 * The first cap a block goes over, or null. Fenced code is skipped (it is shown as written);
 * `markdown` is the text the parser will get, math delimiters already normalised.
 */
export function findNestingExcess(markdown: string): NestingExcess | null {
  const inline = new InlineScan();
  let fence: string | null = null;
  let math = false;
  let tableRows = false;
  let previousLine = '';
  /** The lines outside fenced code, for measuring math over the whole block. */
  const prose: string[] = [];
  let start = 0;
  while (start <= markdown.length) {
    let end = markdown.indexOf('\n', start);
    if (end === -1) end = markdown.length;
    const line = markdown.slice(start, end);
    start = end + 1;
    const previous = previousLine;
    previousLine = line;

    if (fence) {
      if (line.trim().startsWith(fence)) fence = null;
      continue;
    }
    prose.push(line);
    if (math) {
      if (line.trim() === '$$') math = false;
      continue;
    }

    CONTAINER.lastIndex = 0;
    let containers = 0;
    let contentStart = 0;
    if (!THEMATIC_BREAK.test(line)) {
      while (CONTAINER.exec(line)) {
        containers += 1;
        contentStart = CONTAINER.lastIndex;
      }
    }
    if (containers > MAX_NESTING) return { kind: 'containers', amount: containers };
    const content = line.slice(contentStart);
    const trimmed = content.trim();
    const fenceOpen = FENCE.exec(trimmed);
    if (fenceOpen) {
      fence = fenceOpen[1]!;
      continue;
    }
    if (trimmed === '$$') {
      math = true;
      continue;
    }
    // Each item, quote line, heading and table row holds its own inline content.
    if (containers > 0 || HEADING.test(trimmed) || tableRows || trimmed === '') inline.reset();
    if (!tableRows && isDelimiterRow(line) && cells(line) === cells(previous)) {
      tableRows = true;
      inline.reset();
      continue;
    }
    const excess = scanInline(content, inline);
    if (excess) return excess;
  }
  // Inline math may span lines, and `$` runs pair up in ways a line scan cannot tell: measure
  // every group in the block, which is never less than the depth of any formula in it.
  if (markdown.includes('$')) {
    const depth = mathDepth(prose.join('\n'));
    if (depth > MAX_NESTING) return { kind: 'math', amount: depth };
  }
  return null;
}

function isDelimiterRow(line: string): boolean {
  return line.includes('|') && line.includes('-') && TABLE_DELIMITER_ROW.test(line);
}

/** The cells of a table row: GFM makes a table only when header and delimiter rows agree. */
function cells(line: string): number {
  const inner = line
    .trim()
    .replace(/^\|/, '')
    .replace(/(?<!\\)\|$/, '');
  return inner.split(/(?<!\\)\|/).length;
}

/** Scans one line's inline content into `scan`; the first excess found, or null. */
function scanInline(line: string, scan: InlineScan): NestingExcess | null {
  const runs = new Runs(line);
  let index = 0;
  while (index < line.length) {
    const char = line[index]!;
    if (char === '\\') {
      index += 2;
      continue;
    }
    if (char === '`' || char === '$') {
      let run = index;
      while (line[run] === char) run++;
      const length = run - index;
      const close = runs.next(char, length, run);
      if (close === -1) {
        index = run;
        continue;
      }
      // Math and code are no emphasis; math's own depth is measured over the whole block.
      if (char === '$') scan.marks += 1;
      index = close + length;
      continue;
    }
    if (char === '[') scan.openBracket();
    else if (char === ']') scan.closeBracket();
    else if (char === '*' || char === '_' || char === '~') {
      let run = index;
      while (line[run] === char) run++;
      scan.delimiterRun(char, run - index, line[index - 1] ?? ' ', line[run] ?? ' ');
      index = run;
    } else {
      index += 1;
      continue;
    }
    if (char === '[' || char === ']') index += 1;
    if (scan.emphasisDepth > MAX_NESTING) return { kind: 'emphasis', amount: scan.emphasisDepth };
    if (scan.bracketDepth > MAX_NESTING) return { kind: 'brackets', amount: scan.bracketDepth };
    if (scan.marks > MAX_INLINE_MARKS) return { kind: 'marks', amount: scan.marks };
  }
  return null;
}

/**
 * Runs of backticks and dollars on one line, so that finding the closer of each opener costs no
 * rescan of the line (a line of runs of every length would take quadratic time otherwise).
 */
class Runs {
  private readonly starts = new Map<string, number[]>();
  private readonly cursors = new Map<string, number>();

  constructor(line: string) {
    for (let index = 0; index < line.length;) {
      const char = line[index]!;
      if (char !== '`' && char !== '$') {
        index += 1;
        continue;
      }
      let run = index;
      while (line[run] === char) run++;
      const key = `${char}${run - index}`;
      let list = this.starts.get(key);
      if (!list) this.starts.set(key, (list = []));
      list.push(index);
      index = run;
    }
  }

  /** Where the next run of exactly `length` × `char` starts at or after `from`, or -1. */
  next(char: string, length: number, from: number): number {
    const key = `${char}${length}`;
    const list = this.starts.get(key);
    if (!list) return -1;
    let cursor = this.cursors.get(key) ?? 0;
    while (cursor < list.length && list[cursor]! < from) cursor++;
    this.cursors.set(key, cursor);
    return cursor < list.length ? list[cursor]! : -1;
  }
}
