import type { Db } from './openDatabase';

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
 * SQL functions the search triggers call; registered on every connection (and by the migration
 * that first needs them), since SQLite keeps application functions per connection.
 */
export function registerSearchFunctions(db: Db): void {
  db.function('causerie_cjk_bigrams', { deterministic: true }, (text: unknown) =>
    typeof text === 'string' ? cjkBigrams(text) : '',
  );
}
