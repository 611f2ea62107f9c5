import { foldWithOrigins } from './searchFolding';

/*
 * Snippets and highlights cut from the original text. The indexes hold folded text (lower case,
 * no accents, ß as ss), so FTS5's snippet() would show that; instead the text is folded here
 * with a map back to the original, the folded query terms are found in it (exactly what the
 * index matched: both are substrings of the same fold), and the original characters they came
 * from are marked. A match that covers part of a character's fold (`stras` in `straße`) marks
 * the whole character.
 */

/** Opens a highlighted match (U+E000, private use, so it never collides with markup). */
export const HIGHLIGHT_START = '\uE000';
/** Closes a highlighted match; see {@link HIGHLIGHT_START}. */
export const HIGHLIGHT_END = '\uE001';
const ELLIPSIS = '…';
const BEFORE = 20;
const AFTER = 40;
/** Long texts are searched for their first match a slice at a time, so a 1 MB reply costs little. */
const SLICE = 4096;
/** How far a slice reaches into the next one, so a match across the cut is still found. */
const OVERLAP = 512;

/** Folded-text matches of `terms`, as ranges of the original text, sorted, overlaps dropped. */
function matchRanges(text: string, terms: readonly string[], acrossScripts: boolean) {
  const { folded, origin } = foldWithOrigins(text, acrossScripts);
  const ranges: [number, number][] = [];
  for (const term of terms) {
    if (term.length === 0) continue;
    for (let at = folded.indexOf(term); at !== -1; at = folded.indexOf(term, at + term.length)) {
      let end = at + term.length;
      // Extend to the end of the last character's fold (ß → ss matched by one s).
      while (end < folded.length && origin[end] === origin[end - 1]) end++;
      ranges.push([origin[at] ?? 0, origin[end] ?? text.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const kept: [number, number][] = [];
  for (const range of ranges) {
    const last = kept.at(-1);
    if (!last || range[0] >= last[1]) kept.push(range);
  }
  return kept;
}

/** `text` with every match of the folded `terms` wrapped in the highlight markers. */
export function markMatches(text: string, terms: readonly string[], acrossScripts = false): string {
  let out = '';
  let cursor = 0;
  for (const [start, end] of matchRanges(text, terms, acrossScripts)) {
    out += text.slice(cursor, start) + HIGHLIGHT_START + text.slice(start, end) + HIGHLIGHT_END;
    cursor = end;
  }
  return out + text.slice(cursor);
}

/** Where the first match starts and ends in `text`, or null; long texts a slice at a time. */
function firstMatch(
  text: string,
  terms: readonly string[],
  acrossScripts: boolean,
): [number, number] | null {
  for (let start = 0; start < text.length; start += SLICE) {
    const from = safeCut(text, start);
    const to = safeCut(text, Math.min(text.length, start + SLICE + OVERLAP));
    const [range] = matchRanges(text.slice(from, to), terms, acrossScripts);
    if (range) return [from + range[0], from + range[1]];
  }
  return null;
}

/**
 * About 60 characters of `text` around its first match, with every match in them marked, and
 * an ellipsis where text was left out. With no match (none should happen), the start of the text.
 */
export function snippet(text: string, terms: readonly string[], acrossScripts = false): string {
  const [matchStart, matchEnd] = firstMatch(text, terms, acrossScripts) ?? [0, 0];
  const start = safeCut(text, wordStart(text, Math.max(0, matchStart - BEFORE)));
  const end = safeCut(
    text,
    wordEnd(text, Math.min(text.length, Math.max(matchStart + AFTER, matchEnd + BEFORE))),
  );
  return (
    (start > 0 ? ELLIPSIS : '') +
    markMatches(text.slice(start, end), terms, acrossScripts) +
    (end < text.length ? ELLIPSIS : '')
  );
}

/** How far a cut moves to fall between words rather than inside one. */
const WORD_REACH = 12;

/** `at`, or the start of the word it falls in when that word starts near enough. */
function wordStart(text: string, at: number): number {
  for (let i = at; i > 0 && i > at - WORD_REACH; i--) if (/\s/u.test(text.charAt(i - 1))) return i;
  return at;
}

/** `at`, or the end of the word it falls in when that word ends near enough. */
function wordEnd(text: string, at: number): number {
  for (let i = at; i < text.length && i < at + WORD_REACH; i++) {
    if (/\s/u.test(text.charAt(i))) return i;
  }
  return at + WORD_REACH >= text.length ? text.length : at;
}

const COMBINING = /[\p{M}\uDC00-\uDFFF\uff9e\uff9f]/u;

/** `at`, moved back so it splits neither a surrogate pair nor a character from its marks. */
function safeCut(text: string, at: number): number {
  let cut = at;
  while (cut > 0 && cut < text.length && COMBINING.test(text.charAt(cut))) cut--;
  return cut;
}
