import type { Db } from './openDatabase';
import { foldForSearch, toSimplified } from './searchFolding';

const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+/gu;
const TWO_CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]{2}$/u;

/** Every pair of adjacent CJK characters, space-separated: "数据库" → "数据 据库". */
export function cjkBigrams(text: string): string {
  const pairs: string[] = [];
  for (const [run] of text.matchAll(CJK_RUN)) {
    const chars = Array.from(run);
    for (let i = 0; i + 1 < chars.length; i++) pairs.push(`${chars[i]}${chars[i + 1]}`);
  }
  return pairs.join(' ');
}

/** A search word of exactly two CJK characters: the usual length of a Chinese word. */
export function isTwoCjkCharacters(word: string): boolean {
  return TWO_CJK.test(word);
}

/**
 * Marks a pair of the pair index that comes from the text made Simplified (see
 * {@link cjkIndexTokens}); a Latin letter, so the tokenizer keeps it in the same token.
 */
export const SIMPLIFIED_PAIR_PREFIX = 'h';

// The index's view asks for the fold and the Simplified fold of the same row one after the other;
// remembering the last one halves the work of a rebuild.
let lastText = '';
let lastFolded = '';
function foldRemembered(text: string): string {
  if (text !== lastText) {
    lastText = text;
    lastFolded = foldForSearch(text);
  }
  return lastFolded;
}

/**
 * The Simplified fold of `text` when it differs from the plain fold, else ''. The search index
 * keeps it in a second column, so Traditional text can be found in either script while
 * Simplified and non-Chinese text (for which it is '') costs nothing more.
 */
export function simplifiedFoldIfDifferent(text: string): string {
  const folded = foldRemembered(text);
  const simplified = toSimplified(folded);
  return simplified === folded ? '' : simplified;
}

/**
 * The pair index's tokens for a message (migration 0007), from its folded text and its
 * Simplified fold (`han`, '' when the same): the pairs of the first, then, marked with
 * {@link SIMPLIFIED_PAIR_PREFIX}, the pairs of the second.
 */
export function cjkIndexTokens(folded: string, han: string): string {
  const pairs = cjkBigrams(folded);
  if (pairs === '' || han === '') return pairs;
  const marked = cjkBigrams(han)
    .split(' ')
    .map((pair) => SIMPLIFIED_PAIR_PREFIX + pair)
    .join(' ');
  return `${pairs} ${marked}`;
}

/**
 * SQL functions the search triggers call; registered on every connection (and by the migration
 * that first needs them), since SQLite keeps application functions per connection.
 * `causerie_cjk_bigrams` is the pair function of migrations 0004-0006, kept as it was so those
 * migrations still do what they did; 0007 replaced it with `causerie_cjk_tokens`, which reads
 * the folded text. `causerie_fold_simplified` serves title searches with the Chinese option.
 */
export function registerSearchFunctions(db: Db): void {
  const text = (fn: (value: string) => string) => (value: unknown) =>
    typeof value === 'string' ? fn(value) : '';
  db.function('causerie_cjk_bigrams', { deterministic: true }, text(cjkBigrams));
  db.function('causerie_fold', { deterministic: true }, text(foldRemembered));
  db.function('causerie_fold_han', { deterministic: true }, text(simplifiedFoldIfDifferent));
  db.function(
    'causerie_fold_simplified',
    { deterministic: true },
    text((value) => toSimplified(foldRemembered(value))),
  );
  db.function('causerie_cjk_tokens', { deterministic: true }, (folded: unknown, han: unknown) =>
    typeof folded === 'string' ? cjkIndexTokens(folded, typeof han === 'string' ? han : '') : '',
  );
}
