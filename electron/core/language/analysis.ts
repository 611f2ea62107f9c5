// The analysis behind every verdict: which script group dominates, then eld's n-grams for
// alphabets or script tables for CJK, with letters settling the close Cyrillic neighbours.
// The small database: as accurate as eld's large one on our labelled replies (CJK is decided by
// script below, not by n-grams), at a third of the load time and heap.
import { eld } from 'eld/small';
import { isReplyLanguageCode, type ReplyLanguageCode } from '../../../shared/languages';
import { stripNonProse } from './nonProse';
import { cyrillicByLetters, SIMPLIFIED_ONLY, TRADITIONAL_ONLY } from './scriptTables';

/**
 * The language a text is written in: a BCP-47 tag (a reply language code, another language eld
 * knows such as `nl`, or `zh` when Chinese shows no script-specific character), or `unknown`.
 */
export type DetectedLanguage = ReplyLanguageCode | (string & {}) | 'unknown';

/** What `detectLanguage` decided, and on how much text. */
export interface LanguageDetection {
  language: DetectedLanguage;
  /** 0–1: how far ahead the winner is of the next offered language, scaled down for short texts. */
  confidence: number;
  /** Letters that took part in the decision, after code, links, quotes and stray terms were removed. */
  consideredChars: number;
}

/** Whether a reply is in the language that was asked for. */
export type LanguageVerdict = 'match' | 'mismatch' | 'undetermined';

/** A verdict with the detection behind it, for logs and for the "reply in X?" offer. */
export interface ReplyAssessment {
  verdict: LanguageVerdict;
  detected: DetectedLanguage;
  confidence: number;
  consideredChars: number;
}

/** Below this much prose (in Latin-letter equivalents) a reply is too short to judge. */
export const MIN_LETTERS_TO_JUDGE = 20;
/** How much prose a streaming reply needs before an early verdict. */
export const EARLY_DECISION_LETTERS = 80;
/** Latin runs of at most this many words inside CJK / Cyrillic / Arabic prose are names or terms. */
const MAX_TERM_WORDS = 4;
/** A non-listed language that beats a listed one by less than this ratio is a near tie: the listed one wins. */
const SNAP_RATIO = 0.97;
/** An asked language scoring at least this fraction of the winner's score is not a clear mismatch. */
export const NEAR_TIE_RATIO = 0.9;
/** A CJK character carries roughly as much text as two Latin letters. */
const CJK_WEIGHT = 2;
/** Roughly how many CJK characters make one word, to weigh them against Latin words. */
const CJK_CHARS_PER_WORD = 1.5;
/** eld's own input limit. */
const ELD_MAX_CHARS = 1000;

type ScriptGroup = 'latin' | 'cyrillic' | 'arabic' | 'cjk' | 'other';

const RE = {
  // Within one line: product names listed one per line are separate terms, not one long run.
  latinRun: /[\p{Script=Latin}\p{N}][\p{Script=Latin}\p{N}\p{M}\p{Zs}\t'’.,:;!?+#&/_()-]*/gu,
};

interface ScriptCounts {
  latin: number;
  cyrillic: number;
  arabic: number;
  other: number;
  han: number;
  kana: number;
  hangul: number;
}

// One pass over runs of letters of the same script: far cheaper than testing every character.
// The prolonged sound mark ー is script Common but only ever written in kana words.
const SCRIPT_RUNS =
  /(\p{Script=Latin}+)|(\p{Script=Han}+)|([\p{Script=Hiragana}\p{Script=Katakana}ー]+)|(\p{Script=Hangul}+)|(\p{Script=Cyrillic}+)|(\p{Script=Arabic}+)|(\p{L}+)/gu;

export function countScripts(text: string): ScriptCounts {
  const counts: ScriptCounts = {
    latin: 0,
    cyrillic: 0,
    arabic: 0,
    other: 0,
    han: 0,
    kana: 0,
    hangul: 0,
  };
  for (const match of text.matchAll(SCRIPT_RUNS)) {
    // Letters outside the BMP (rare Han) count once per code point.
    const length = [...match[0]].length;
    if (match[1]) counts.latin += length;
    else if (match[2]) counts.han += length;
    else if (match[3]) counts.kana += length;
    else if (match[4]) counts.hangul += length;
    else if (match[5]) counts.cyrillic += length;
    else if (match[6]) counts.arabic += length;
    else counts.other += length;
  }
  return counts;
}

function groupWeights(counts: ScriptCounts): Record<ScriptGroup, number> {
  return {
    latin: counts.latin,
    cyrillic: counts.cyrillic,
    arabic: counts.arabic,
    other: counts.other,
    cjk: (counts.han + counts.kana + counts.hangul) * CJK_WEIGHT,
  };
}

function totalWeightOf(counts: ScriptCounts): number {
  return Object.values(groupWeights(counts)).reduce((sum, weight) => sum + weight, 0);
}

function dominantGroup(weights: Record<ScriptGroup, number>): ScriptGroup {
  let best: ScriptGroup = 'latin';
  for (const group of Object.keys(weights) as ScriptGroup[]) {
    if (weights[group] > weights[best]) best = group;
  }
  return best;
}

/** Drops short Latin runs (product names, identifiers) from prose written in another script. */
function dropLatinTerms(text: string): string {
  return text.replace(RE.latinRun, (run) => {
    const words = run.split(/\s+/).filter((word) => /\p{L}/u.test(word));
    return words.length <= MAX_TERM_WORDS ? ' ' : run;
  });
}

/**
 * Whether Latin words sit inside prose of another script (names in Chinese, Arabic, Russian)
 * rather than the other way round. Counted in words, with capitalised or technical words (names,
 * identifiers) at half weight, so "In Chinese, 你好 means hello" stays English.
 */
function latinIsEmbedded(prose: string, counts: ScriptCounts): boolean {
  let latinWords = 0;
  for (const [word] of prose.matchAll(
    /[\p{Script=Latin}\p{N}][\p{Script=Latin}\p{N}\p{M}'’_-]*/gu,
  )) {
    if (!/\p{L}/u.test(word)) continue;
    latinWords += /^\p{Ll}+(?:['’-]\p{Ll}+)*$/u.test(word) ? 1 : 0.5;
  }
  const otherWords =
    (counts.han + counts.kana + counts.hangul) / CJK_CHARS_PER_WORD +
    (prose.match(
      /[\p{Script=Cyrillic}\p{Script=Arabic}][\p{Script=Cyrillic}\p{Script=Arabic}\p{M}]*/gu,
    )?.length ?? 0);
  return otherWords > 0 && otherWords >= latinWords;
}

/** A Latin stretch of at most this many words with prose of another script on both sides is a quote. */
const MAX_QUOTE_WORDS = 12;
const NON_LATIN_LETTER = /(?!\p{Script=Latin})\p{L}/gu;

/**
 * In prose written in another script, drops Latin stretches that the sentence goes on around
 * (an Arabic sentence quoting "I hope this email finds you well" unquoted). Judged on the whole
 * reply, before it is cut into sentences, so the quote cannot pass for a sentence in English.
 */
export function dropEmbeddedLatinQuotes(prose: string): string {
  const counts = countScripts(prose);
  if (counts.latin === 0 || counts.latin === totalWeightOf(counts)) return prose;
  if (!latinIsEmbedded(prose, counts)) return prose;
  return prose
    .split('\n')
    .map((line) => {
      let first = -1;
      let last = -1;
      for (const match of line.matchAll(NON_LATIN_LETTER)) {
        if (first === -1) first = match.index;
        last = match.index;
      }
      if (first === -1) return line;
      return line.replace(RE.latinRun, (run, offset: number) => {
        const flanked = first < offset && last >= offset + run.length;
        const words = run.split(/\s+/).filter((word) => /\p{L}/u.test(word)).length;
        return flanked && words <= MAX_QUOTE_WORDS ? ' ' : run;
      });
    })
    .join('\n');
}

/** Keeps only the letters of one script group (and single spaces), so a stray word cannot sway eld. */
function keepGroup(text: string, group: ScriptGroup): string {
  const kept = text.replace(
    SCRIPT_RUNS,
    (
      run,
      latin?: string,
      han?: string,
      kana?: string,
      hangul?: string,
      cyrillic?: string,
      arabic?: string,
    ) => {
      const runGroup: ScriptGroup = latin
        ? 'latin'
        : han || kana || hangul
          ? 'cjk'
          : cyrillic
            ? 'cyrillic'
            : arabic
              ? 'arabic'
              : 'other';
      return runGroup === group ? run : ' ';
    },
  );
  return sampleForEld(kept.replace(/\s+/g, ' ').trim());
}

/** eld reads only the first 1,000 characters; a long text is sampled from start to end instead. */
function sampleForEld(text: string): string {
  if (text.length <= ELD_MAX_CHARS) return text;
  const pieces = 4;
  const pieceLength = Math.floor(ELD_MAX_CHARS / pieces) - 1;
  const stride = (text.length - pieceLength) / (pieces - 1);
  const sample: string[] = [];
  for (let index = 0; index < pieces; index++) {
    const from = Math.floor(index * stride);
    const piece = text.slice(from, from + pieceLength);
    // Trim partial words at both ends of each piece.
    sample.push(piece.replace(/^\S*\s/, '').replace(/\s\S*$/, ''));
  }
  return sample.join(' ');
}

/** Everything the verdicts need; `detectLanguage` exposes the public part. */
export interface Analysis extends LanguageDetection {
  /** Scores by language (higher is better); script decisions score the winner 1. */
  scores: Record<string, number>;
  /** Letters weighted by script (a CJK character counts double). */
  weightedLetters: number;
  /** eld's own reliability flag; always true for decisions made by script. */
  reliable: boolean;
}

const UNKNOWN: Analysis = {
  language: 'unknown',
  confidence: 0,
  consideredChars: 0,
  scores: {},
  weightedLetters: 0,
  reliable: false,
};

export function analyseProse(prose: string): Analysis {
  let counts = countScripts(prose);
  let weights = groupWeights(counts);
  // Only prose that mixes scripts can hold embedded Latin terms; most replies use one script.
  const mixed = weights.latin > 0 && weights.latin < totalWeightOf(counts);
  if (mixed && latinIsEmbedded(prose, counts)) {
    prose = dropLatinTerms(prose);
    counts = countScripts(prose);
    weights = groupWeights(counts);
  }
  const group = dominantGroup(weights);
  const weightedLetters = weights[group];
  if (weightedLetters === 0) return UNKNOWN;
  const totalWeight = totalWeightOf(counts);
  const share = weightedLetters / totalWeight;
  const lengthFactor = Math.min(1, weightedLetters / EARLY_DECISION_LETTERS);
  if (group === 'cjk') return analyseCjk(prose, counts, share * lengthFactor, weightedLetters);

  const focus =
    weightedLetters === totalWeight
      ? sampleForEld(prose.replace(/\s+/g, ' ').trim())
      : keepGroup(prose, group);
  const consideredChars = group === 'latin' ? counts.latin : counts[group];
  const result = eld.detect(focus);
  const rawScores = result.getScores();
  const ranked = Object.entries(rawScores).sort((a, b) => b[1] - a[1]);
  const [top] = ranked;
  if (!result.language || !top) return { ...UNKNOWN, consideredChars, weightedLetters };
  let language = top[0];
  // eld knows ~60 languages; a listed language in a near tie with an unlisted neighbour (ru/bg,
  // es/gl) is far more likely in a chat that asked for it.
  if (!isReplyLanguageCode(language)) {
    const listed = ranked.find(([code]) => isReplyLanguageCode(code));
    if (listed && listed[1] >= top[1] * SNAP_RATIO) language = listed[0];
  }
  // n-grams cannot tell Ukrainian, Bulgarian or Serbian from Russian on a short reply; letters can.
  if (group === 'cyrillic') {
    const byLetters = cyrillicByLetters(focus);
    if (byLetters && (byLetters !== 'ru' || language !== 'ru')) {
      return {
        language: byLetters,
        confidence: round(share * lengthFactor),
        consideredChars,
        scores: { [byLetters]: 1, ...(byLetters === 'ru' ? {} : { ru: 0.5 }) },
        weightedLetters,
        reliable: true,
      };
    }
  }
  const winner = rawScores[language] ?? 0;
  // Measured against the next offered language when the winner is one: an unlisted neighbour
  // (bg next to ru) says nothing about which reply language this is.
  const rivals = isReplyLanguageCode(language)
    ? ranked.filter(([code]) => isReplyLanguageCode(code))
    : ranked;
  const runnerUp = rivals.find(([code]) => code !== language)?.[1] ?? 0;
  const margin = winner > 0 ? Math.max(0, (winner - runnerUp) / winner) : 0;
  return {
    language,
    confidence: round(Math.min(1, margin * 5) * share * lengthFactor),
    consideredChars,
    scores: rawScores,
    weightedLetters,
    reliable: result.isReliable(),
  };
}

const HIRAGANA = /\p{Script=Hiragana}/gu;

function analyseCjk(
  prose: string,
  counts: ScriptCounts,
  baseConfidence: number,
  weightedLetters: number,
): Analysis {
  const cjkChars = counts.han + counts.kana + counts.hangul;
  const decided = (language: string, confidence: number): Analysis => ({
    language,
    confidence: round(confidence),
    consideredChars: cjkChars,
    scores: { [language]: 1 },
    weightedLetters,
    reliable: true,
  });
  if (counts.hangul >= cjkChars * 0.3) return decided('ko', baseConfidence);
  // Japanese prose always carries hiragana (particles, endings); Chinese only ever quotes a
  // Japanese word, and then in katakana (カラオケ), so katakana alone does not make Japanese.
  if (counts.kana > 0 && counts.kana >= (counts.han + counts.kana) * 0.05) {
    const hiragana = prose.match(HIRAGANA)?.length ?? 0;
    if (hiragana >= (counts.han + counts.kana) * 0.02 || counts.kana >= counts.han) {
      return decided('ja', baseConfidence);
    }
  }
  let simplified = 0;
  let traditional = 0;
  for (const char of prose) {
    if (SIMPLIFIED_ONLY.has(char)) simplified++;
    else if (TRADITIONAL_ONLY.has(char)) traditional++;
  }
  const telling = simplified + traditional;
  if (telling === 0) return decided('zh', baseConfidence * 0.5);
  const scriptShare = Math.max(simplified, traditional) / telling;
  const evidence = Math.min(1, telling / 3);
  const language = simplified >= traditional ? 'zh-Hans' : 'zh-Hant';
  // One telling character names the script but is too little to call a drift (a name, a quoted
  // word): the other script then scores as a near tie.
  const otherScore = telling === 1 ? NEAR_TIE_RATIO : 1 - scriptShare;
  return {
    ...decided(language, baseConfidence * scriptShare * evidence),
    scores: { [language]: 1, [language === 'zh-Hans' ? 'zh-Hant' : 'zh-Hans']: otherScore },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

export function analyse(text: string): Analysis {
  return analyseProse(dropEmbeddedLatinQuotes(stripNonProse(text)));
}
