// The small database: as accurate as eld's large one on our labelled replies (CJK is decided by
// script below, not by n-grams), at a third of the load time and heap.
import { eld } from 'eld/small';
import { isReplyLanguageCode, type ReplyLanguageCode } from '../../../shared/languages';

/**
 * The language a text is written in: a BCP-47 tag (a reply language code, another language eld
 * knows such as `nl`, or `zh` when Chinese shows no script-specific character), or `unknown`.
 */
export type DetectedLanguage = ReplyLanguageCode | (string & {}) | 'unknown';

/** What {@link detectLanguage} decided, and on how much text. */
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
/** A stretch of sentences in another language counts as a switch mid-reply from this size. */
const SEGMENT_LETTERS = 40;
/** Sentences judged one by one, to bound the work on a very long reply. */
const MAX_SENTENCES = 400;
/** Latin runs of at most this many words inside CJK / Cyrillic / Arabic prose are names or terms. */
const MAX_TERM_WORDS = 4;
/** A non-listed language that beats a listed one by less than this ratio is a near tie: the listed one wins. */
const SNAP_RATIO = 0.97;
/** An asked language scoring at least this fraction of the winner's score is not a clear mismatch. */
const NEAR_TIE_RATIO = 0.9;
/** A CJK character carries roughly as much text as two Latin letters. */
const CJK_WEIGHT = 2;
/** Roughly how many CJK characters make one word, to weigh them against Latin words. */
const CJK_CHARS_PER_WORD = 1.5;
/** eld's own input limit. */
const ELD_MAX_CHARS = 1000;

type ScriptGroup = 'latin' | 'cyrillic' | 'arabic' | 'cjk' | 'other';

// Characters that exist only in one Chinese script; pairs are aligned so the table is easy to
// review. Characters shared by both scripts with different meanings (后, 里, 台, 干, 只) are left out.
const SIMPLIFIED_ONLY = new Set(
  '这们个会说时来为国过对还问没学动长开关见现经实让点车东钱书话语间门马风飞电认识题号应该头听欢网线体样进边级视设计种务请谢虽难满远运选写买卖读图华兴单双战历张节办传变报场极标确数据库启装码户组统类击页载删换档览简复杂乐从给吗么爱觉员师热岁产业专与际区无气灯处习亲卫众优带错误试调输连结络软储缓册录记议总钟续继终归闭阅条蓝两湾阵须称颜济价钮闻剧环护隐权资讯购货费贵宽础观离压创态获质严丽尔义乡医药饭馆汉虑荐',
);
const TRADITIONAL_ONLY = new Set(
  '這們個會說時來為國過對還問沒學動長開關見現經實讓點車東錢書話語間門馬風飛電認識題號應該頭聽歡網線體樣進邊級視設計種務請謝雖難滿遠運選寫買賣讀圖華興單雙戰歷張節辦傳變報場極標確數據庫啟裝碼戶組統類擊頁載刪換檔覽簡複雜樂從給嗎麼愛覺員師熱歲產業專與際區無氣燈處習親衛眾優帶錯誤試調輸連結絡軟儲緩冊錄記議總鐘續繼終歸閉閱條藍兩灣陣須稱顏濟價鈕聞劇環護隱權資訊購貨費貴寬礎觀離壓創態獲質嚴麗爾義鄉醫藥飯館漢慮薦',
);

const RE = {
  fencedCode: /^ {0,3}(`{3,}|~{3,})[^\n]*\n[\s\S]*?(?:^ {0,3}\1[^\n]*$|(?![\s\S]))/gm,
  inlineCode: /`[^`\n]*`?/g,
  url: /\b(?:https?:\/\/|www\.)[^\s<>()]+/giu,
  email: /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.\p{L}{2,}/gu,
  html: /<\/?[a-z][^>\n]*>/gi,
  blockquote: /^ {0,3}>.*$/gm,
  // Quoted spans stay as they are by the reply rule, so they say nothing about the reply's language.
  quoted: /"[^"\n]{1,300}"|“[^”\n]{1,300}”|«[^»\n]{1,300}»|„[^“”\n]{1,300}[“”]/g,
  // Within one line: product names listed one per line are separate terms, not one long run.
  latinRun: /[\p{Script=Latin}\p{N}][\p{Script=Latin}\p{N}\p{M}\p{Zs}\t'’.,:;!?+#&/_()-]*/gu,
  sentenceEnd: /(?<=[.!?。！？])\s*|\n+/u,
};

/** Removes what says nothing about the reply's own language: code, links, addresses, quotes, markup. */
export function stripNonProse(text: string): string {
  return text
    .replace(RE.fencedCode, '\n')
    .replace(RE.inlineCode, ' ')
    .replace(RE.url, ' ')
    .replace(RE.email, ' ')
    .replace(RE.html, ' ')
    .replace(RE.blockquote, '')
    .replace(RE.quoted, ' ');
}

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

function countScripts(text: string): ScriptCounts {
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

/** Everything the verdicts need; {@link detectLanguage} exposes the public part. */
interface Analysis extends LanguageDetection {
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

function analyseProse(prose: string): Analysis {
  let counts = countScripts(prose);
  let weights = groupWeights(counts);
  if (weights.latin > 0 && latinIsEmbedded(prose, counts)) {
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

  const focus = keepGroup(prose, group);
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
  // Japanese prose always carries kana (particles, endings); Chinese never needs it.
  if (counts.kana > 0 && counts.kana >= (counts.han + counts.kana) * 0.05) {
    return decided('ja', baseConfidence);
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

function analyse(text: string): Analysis {
  return analyseProse(stripNonProse(text));
}

/**
 * Detects the language of a reply or message. Code, links, e-mail addresses and quotes are left
 * out; inside CJK, Cyrillic or Arabic prose, short Latin runs (product names, identifiers) too.
 * Korean is told by Hangul, Japanese by kana, and Chinese script by characters unique to it.
 */
export function detectLanguage(text: string): LanguageDetection {
  const { language, confidence, consideredChars } = analyse(text);
  return { language, confidence, consideredChars };
}

/** Whether two detected languages are the same for a reply (Chinese of unknown script matches either script). */
function sameLanguage(detected: string, asked: ReplyLanguageCode): boolean {
  if (detected === asked) return true;
  return detected === 'zh' && asked.startsWith('zh-');
}

function verdictOf(
  analysis: Analysis,
  asked: ReplyLanguageCode,
  minLetters: number,
): LanguageVerdict {
  if (analysis.language === 'unknown' || analysis.weightedLetters < minLetters) {
    return 'undetermined';
  }
  if (sameLanguage(analysis.language, asked)) return 'match';
  const top = analysis.scores[analysis.language] ?? 0;
  const askedScore = analysis.scores[asked] ?? 0;
  // Close neighbours (es/pt, it/es) on a short text: not evidence enough to call a drift.
  if (askedScore >= top * NEAR_TIE_RATIO) return 'undetermined';
  if (!analysis.reliable) return 'undetermined';
  return 'mismatch';
}

/**
 * Finds a stretch of consecutive sentences in another language (a switch mid-reply). Each sentence
 * is classified on its own, so a switch is not diluted by the text around it; the stretch is then
 * judged as a whole, so a few misread short sentences in a row cannot raise a false alarm.
 */
function findSwitchedStretch(prose: string, asked: ReplyLanguageCode): Analysis | undefined {
  let stretch: string[] = [];
  const judgeStretch = () => {
    const analysis = stretch.length ? analyseProse(stretch.join(' ')) : undefined;
    stretch = [];
    return analysis && verdictOf(analysis, asked, SEGMENT_LETTERS) === 'mismatch'
      ? analysis
      : undefined;
  };
  const sentences = prose.split(RE.sentenceEnd).filter((sentence) => isSentenceLike(sentence));
  for (const sentence of sentences.slice(0, MAX_SENTENCES)) {
    const analysis = analyseProse(sentence);
    if (analysis.language !== 'unknown' && leansAway(analysis, asked)) {
      stretch.push(sentence);
      continue;
    }
    const found = judgeStretch();
    if (found) return found;
  }
  return judgeStretch();
}

/** Whether a detection points away from the asked language, however weakly. */
function leansAway(analysis: Analysis, asked: ReplyLanguageCode): boolean {
  if (sameLanguage(analysis.language, asked)) return false;
  const top = analysis.scores[analysis.language] ?? 0;
  return (analysis.scores[asked] ?? 0) < top * NEAR_TIE_RATIO;
}

/** A sentence of a few words at least; list items of a name or two say nothing. */
function isSentenceLike(sentence: string): boolean {
  const counts = countScripts(sentence);
  if (counts.han + counts.kana + counts.hangul >= 6) return true;
  return sentence.split(/\s+/).filter((word) => /\p{L}/u.test(word)).length >= 4;
}

/** Above this, a reply is judged on samples of it: the verdict needs prose, not all of it. */
export const MAX_ASSESSED_CHARS = 24_000;
const SAMPLES = 4;

/**
 * A long text cut down to {@link SAMPLES} evenly spaced stretches (the start, the end and two
 * between), each cut at whitespace and joined by blank lines. Judging a 1 MB reply whole took
 * ~0.7 s on the host, right when a stopped reply is being saved.
 */
export function sampleLongText(text: string): string {
  if (text.length <= MAX_ASSESSED_CHARS) return text;
  const size = Math.floor(MAX_ASSESSED_CHARS / SAMPLES);
  const parts: string[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = Math.floor(((text.length - size) * i) / (SAMPLES - 1));
    let part = text.slice(start, start + size);
    // Whole words only: drop the partial first and last word of inner cuts.
    if (i > 0) part = part.slice(Math.max(0, part.search(/\s/)));
    if (i < SAMPLES - 1) {
      const lastSpace = part.search(/\s\S*$/);
      if (lastSpace > 0) part = part.slice(0, lastSpace);
    }
    parts.push(part.trim());
  }
  return parts.join('\n\n');
}

/**
 * Judges a finished (or partial) reply against the asked language. A reply that is mostly code,
 * or too short, is `undetermined` rather than a false alarm; a reply that switches language
 * part-way is a `mismatch` even when most of it is right.
 */
export function assessReply(text: string, asked: ReplyLanguageCode): ReplyAssessment {
  const prose = stripNonProse(sampleLongText(text));
  const whole = analyseProse(prose);
  const result = (verdict: LanguageVerdict, analysis: Analysis): ReplyAssessment => ({
    verdict,
    detected: analysis.language,
    confidence: analysis.confidence,
    consideredChars: analysis.consideredChars,
  });
  const overall = verdictOf(whole, asked, MIN_LETTERS_TO_JUDGE);
  if (overall === 'mismatch') return result(overall, whole);
  const switched = findSwitchedStretch(prose, asked);
  if (switched) return result('mismatch', switched);
  return result(overall, whole);
}

/** Follows a streaming reply: an early verdict as soon as enough prose has arrived, a final one at the end. */
export interface StreamingLanguageCheck {
  /** Adds streamed text; returns the early verdict the first time one is reached, otherwise undefined. */
  push(delta: string): ReplyAssessment | undefined;
  /** The verdict on the whole reply. */
  finish(): ReplyAssessment;
  /** The early verdict, once reached. */
  readonly early: ReplyAssessment | undefined;
}

/** How often (in streamed characters) a streaming check looks again before its early verdict. */
const RECHECK_EVERY_CHARS = 40;
/** After this much text without a clear early verdict, only the final verdict counts. */
const EARLY_GIVE_UP_CHARS = 4000;

/** Creates an incremental check for one streaming reply asked in `asked`. */
export function createStreamingLanguageCheck(asked: ReplyLanguageCode): StreamingLanguageCheck {
  let text = '';
  let checkedAt = 0;
  let early: ReplyAssessment | undefined;
  return {
    push(delta) {
      text += delta;
      if (early || text.length > EARLY_GIVE_UP_CHARS) return undefined;
      if (text.length - checkedAt < RECHECK_EVERY_CHARS) return undefined;
      checkedAt = text.length;
      // Judge whole words only, so a half-streamed word does not sway the decision; an unclosed
      // code fence counts as code to the end (stripNonProse handles that).
      const settled = text.slice(0, lastWordEnd(text));
      const whole = analyse(settled);
      if (whole.weightedLetters < EARLY_DECISION_LETTERS) return undefined;
      const assessment = assessReply(settled, asked);
      if (assessment.verdict === 'undetermined') return undefined;
      early = assessment;
      return early;
    },
    finish() {
      return assessReply(text, asked);
    },
    get early() {
      return early;
    },
  };
}

/** Where the last complete word ends: after a space or punctuation, or after any CJK character. */
function lastWordEnd(text: string): number {
  const match = /[\s\S]*[\s\p{P}\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.exec(text);
  return match ? match[0].length : 0;
}
