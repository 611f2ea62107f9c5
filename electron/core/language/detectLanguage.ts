// Verdicts on replies: whole-reply and sentence-by-sentence checks against the asked language,
// the frame around introduced material, long replies sampled, and the streaming check.
import { isReplyLanguageCode, type ReplyLanguageCode } from '../../../shared/languages';
import {
  analyse,
  analyseProse,
  countScripts,
  dropEmbeddedLatinQuotes,
  EARLY_DECISION_LETTERS,
  MIN_LETTERS_TO_JUDGE,
  NEAR_TIE_RATIO,
  type Analysis,
  type DetectedLanguage,
  type LanguageDetection,
  type LanguageVerdict,
  type ReplyAssessment,
} from './analysis';
import { stripNonProse, withoutIntroducedBlocks } from './nonProse';

export {
  EARLY_DECISION_LETTERS,
  MIN_LETTERS_TO_JUDGE,
  type DetectedLanguage,
  type LanguageDetection,
  type LanguageVerdict,
  type ReplyAssessment,
} from './analysis';
export { stripNonProse } from './nonProse';

/** A stretch of sentences in another language counts as a switch mid-reply from this size. */
const SEGMENT_LETTERS = 40;
/** Sentences judged one by one, to bound the work on a very long reply. */
const MAX_SENTENCES = 400;
const SENTENCE_END = /(?<=[.!?。！？؟])\s*|\n+/u;

/**
 * Detects the language of a reply or message. Code, links, e-mail addresses and quotes are left
 * out; inside CJK, Cyrillic or Arabic prose, short Latin runs (product names, identifiers) too.
 * Korean is told by Hangul, Japanese by kana, and Chinese script by characters unique to it.
 */
export function detectLanguage(text: string): LanguageDetection {
  const { language, confidence, consideredChars } = analyse(text);
  return { language, confidence, consideredChars };
}

/**
 * The language a message is clearly written in, by the verdict's own tests (enough letters, a
 * reliable detection, no offered language in a near tie); `zh` for Chinese whose script is not
 * clear; null when the message is too short or too close to call ("merci", "hello", "Por quê?").
 */
export function clearLanguageOf(text: string): DetectedLanguage | null {
  const analysis = analyse(text);
  if (analysis.language === 'unknown' || analysis.weightedLetters < MIN_LETTERS_TO_JUDGE) {
    return null;
  }
  if (!analysis.reliable) return null;
  const top = analysis.scores[analysis.language] ?? 0;
  const rivals = Object.entries(analysis.scores).filter(
    ([code, score]) =>
      code !== analysis.language && isReplyLanguageCode(code) && score >= top * NEAR_TIE_RATIO,
  );
  if (rivals.length === 0) return analysis.language;
  // One telling character names a script too weakly: Chinese, script unknown.
  const chinese =
    analysis.language.startsWith('zh-') && rivals.every(([code]) => code.startsWith('zh-'));
  return chinese ? 'zh' : null;
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
  const sentences = prose.split(SENTENCE_END).filter((sentence) => isSentenceLike(sentence));
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
  const prose = dropEmbeddedLatinQuotes(stripNonProse(sampleLongText(text)));
  const whole = analyseProse(prose);
  const result = (verdict: LanguageVerdict, analysis: Analysis): ReplyAssessment => ({
    verdict,
    detected: analysis.language,
    confidence: analysis.confidence,
    consideredChars: analysis.consideredChars,
  });
  const overall = verdictOf(whole, asked, MIN_LETTERS_TO_JUDGE);
  const drift = overall === 'mismatch' ? whole : findSwitchedStretch(prose, asked);
  if (!drift) return result(overall, whole);
  const frame = framedInAsked(prose, asked);
  return frame ? result('match', frame) : result('mismatch', drift);
}

/** Below this much prose, the reply's own text around an introduced block says too little. */
const MIN_FRAME_LETTERS = 12;
/**
 * The reply's own text must be at least this share of its prose: one asked-language line above a
 * whole answer in another language ("Voici la réponse :" and three English paragraphs) is a drift.
 * A long block in another language that the user asked for is not judged at all (languageRequest).
 */
const MIN_FRAME_SHARE = 0.2;

/**
 * A reply that introduces material in another language ("Voici la traduction :" and the
 * translation, an e-mail draft, a commit message) and is itself in the asked language. The
 * reply around the blocks must be in the asked language, so "Here are the steps:" and an English
 * list stays a drift in a French chat.
 */
function framedInAsked(prose: string, asked: ReplyLanguageCode): Analysis | undefined {
  const frame = withoutIntroducedBlocks(prose, (paragraph) => {
    const analysis = analyseProse(paragraph);
    return analysis.weightedLetters >= MIN_FRAME_LETTERS && sameLanguage(analysis.language, asked);
  });
  if (frame === null) return undefined;
  const analysis = analyseProse(frame);
  const needed = Math.max(MIN_FRAME_LETTERS, MIN_FRAME_SHARE * analyseProse(prose).weightedLetters);
  if (analysis.weightedLetters < needed) return undefined;
  if (!sameLanguage(analysis.language, asked)) return undefined;
  return findSwitchedStretch(frame, asked) ? undefined : analysis;
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
