import { TRADITIONAL_TO_SIMPLIFIED_PAIRS } from './chineseScriptTable';

/*
 * How search compares text: the message, the title and the query all go through the same fold,
 * and a query matches when its folded form is a substring of the folded text. The fold is:
 * NFKC (full- and half-width forms, ligatures, compatibility ideographs), lower case with
 * ß → ss and ς → σ (the full case folding's differences from lower case that matter in
 * practice), ё → е, Latin and Greek accents removed (ł → l, œ → oe and the like included), Arabic harakat and tatweel removed, format
 * characters (soft hyphen, zero-width and direction marks) removed, and every run of white space
 * made one space (so a quoted phrase finds its words across a line break).
 *
 * The search index stores folded text, so the fold must give the same result for the same text
 * in every later version: it uses only Unicode normalization and case mappings, which Unicode's
 * stability policy keeps fixed for assigned characters, and fixed tables. Any change to it needs
 * a migration that rebuilds the index (as 0007 does), or deletes from the index would no longer
 * match what was indexed.
 */

const NON_ASCII = /[\u0080-\u{10ffff}]/u;
const WHITE_SPACE = /\s+/gu;
/** Soft hyphen, zero-width and direction marks, BOM, tags: invisible, never searched for. */
const FORMAT = /\p{Cf}/gu;
/** Harakat, Quranic annotation marks and the superscript alef, and tatweel (ـ). */
const ARABIC_MARKS =
  // eslint-disable-next-line no-misleading-character-class -- lone combining marks, on purpose
  /[\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e4\u06e7\u06e8\u06ea-\u06ed\u08d3-\u08e1\u08e3-\u08ff]/gu;
/** Combining marks after a Latin or Greek letter (after NFD): the accents `resume` ignores. */
const ACCENTS =
  // eslint-disable-next-line no-misleading-character-class -- lone combining marks, on purpose
  /(?<=[\p{Script=Latin}\p{Script=Greek}][\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]*)[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/gu;
/**
 * ß, final sigma and ё; and Latin letters whose mark is part of the letter, so NFD cannot take
 * it off (ł, ø, đ, ħ, ŧ, dotless ı), and the ligatures œ and æ, which people type as two letters.
 */
const SPECIAL: Record<string, string> = {
  ß: 'ss',
  ς: 'σ',
  ё: 'е',
  ł: 'l',
  ø: 'o',
  đ: 'd',
  ħ: 'h',
  ŧ: 't',
  ı: 'i',
  œ: 'oe',
  æ: 'ae',
};
const SPECIAL_CHARS = /[ßςёłøđħŧıœæ]/gu;

/** `text` folded for search (see the top of this file). */
export function foldForSearch(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase().replace(WHITE_SPACE, ' ');
  return foldNonAscii(text).replace(WHITE_SPACE, ' ');
}

function foldNonAscii(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(SPECIAL_CHARS, (c) => SPECIAL[c] ?? c)
    .replace(FORMAT, '')
    .replace(ARABIC_MARKS, '')
    .normalize('NFD')
    .replace(ACCENTS, '')
    .normalize('NFC');
}

const SIMPLIFIED = new Map<string, string>();
{
  const chars = [...TRADITIONAL_TO_SIMPLIFIED_PAIRS];
  for (let i = 0; i + 1 < chars.length; i += 2) SIMPLIFIED.set(chars[i] ?? '', chars[i + 1] ?? '');
}
const HAN = /\p{Script=Han}/gu;

/** Traditional characters made Simplified (數據 → 数据); everything else as it is. */
export function toSimplified(text: string): string {
  return text.replace(HAN, (c) => SIMPLIFIED.get(c) ?? c);
}

/** Folded text with Traditional made Simplified: what the Simplified ↔ Traditional option compares. */
export function foldAcrossChineseScripts(text: string): string {
  return toSimplified(foldForSearch(text));
}

/**
 * One unit of folding: a character with the combining marks (and half-width sound marks) after
 * it, or a Hangul syllable spelled, or finished, in conjoining jamo. NFKC only composes within such a unit, so folding unit by unit
 * gives what {@link foldForSearch} gives for the whole text (the tests check it).
 */
const UNIT =
  /[\u1100-\u115f\ua960-\ua97c][\u1160-\u11a7\ud7b0-\ud7c6]*[\u11a8-\u11ff\ud7cb-\ud7fb]*\p{M}*|[\uac00-\ud7a3][\u11a8-\u11ff\ud7cb-\ud7fb]*\p{M}*|[\s\S][\p{M}\uff9e\uff9f]*/gu;

/** Folded text, and for each of its UTF-16 units the index in `text` where it came from. */
export interface FoldedText {
  folded: string;
  /** `origin[i]` is where folded[i]'s unit starts in the original; `origin[folded.length]` is its end. */
  origin: number[];
}

/**
 * {@link foldForSearch} (or {@link foldAcrossChineseScripts}) that remembers where each folded
 * character came from, so a match found in the folded text can be marked in the original.
 */
export function foldWithOrigins(text: string, acrossScripts: boolean): FoldedText {
  const origin: number[] = [];
  let folded = '';
  let lastWasSpace = false;
  const cache = new Map<string, string>();
  for (const match of text.matchAll(UNIT)) {
    const unit = match[0];
    const at = match.index;
    let out: string;
    if (unit.length === 1 && unit.charCodeAt(0) < 0x80) {
      out = unit.toLowerCase();
    } else {
      out = cache.get(unit) ?? foldNonAscii(unit);
      if (acrossScripts) out = toSimplified(out);
      cache.set(unit, out);
    }
    for (const c of out) {
      const space = /\s/u.test(c);
      if (space && lastWasSpace) continue;
      lastWasSpace = space;
      const piece = space ? ' ' : c;
      folded += piece;
      for (let k = 0; k < piece.length; k++) origin.push(at);
    }
  }
  origin.push(text.length);
  return { folded, origin };
}
