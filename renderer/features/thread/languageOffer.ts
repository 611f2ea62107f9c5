// What the thread offers around a reply's language: its direction when no language was detected,
// whether an automatic correction failed, and the translation request in the language asked.
import type { LanguageCorrection } from '../../../shared/domain';
import type { ReplyLanguageCode, TextDirection } from '../../../shared/languages';
import { isReplyLanguageCode } from '../../../shared/languages';

const RTL_LETTER =
  /[\u0590-\u05FF\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/u;
const LETTER = /\p{L}/gu;
// Code says nothing about the prose's direction: an Arabic answer with a long code block is Arabic.
const CODE = /```[\s\S]*?(?:```|$)|~~~[\s\S]*?(?:~~~|$)|`[^`\n]*`/g;

/**
 * The direction of a text from the letters of its prose (code left out): right to left when most
 * letters are Arabic or Hebrew. Null when there are no letters to judge by.
 */
export function scriptDirection(text: string): TextDirection | null {
  let rtl = 0;
  let all = 0;
  for (const [letter] of text.replace(CODE, ' ').matchAll(LETTER)) {
    all += 1;
    if (RTL_LETTER.test(letter)) rtl += 1;
  }
  if (all === 0) return null;
  return rtl * 2 > all ? 'rtl' : 'ltr';
}

/**
 * Whether a reply is an automatic correction that still came out in the wrong language. The
 * core only starts a correction as a sibling of the wrong reply, so under "auto" a mismatched
 * reply with siblings is one the core will not correct again: the user gets the offer instead.
 */
export function failedAutoCorrection(
  mismatch: boolean,
  correction: LanguageCorrection,
  siblingCount: number,
): boolean {
  return mismatch && correction === 'auto' && siblingCount > 1;
}

/** "Translate your previous answer into X", written in X, so the request does not itself drift. */
const TRANSLATE_REQUESTS: Readonly<Record<ReplyLanguageCode, string>> = {
  en: 'Please translate your previous answer into English.',
  fr: 'Traduis ta réponse précédente en français, s’il te plaît.',
  'zh-Hans': '请把你上一条回答翻译成简体中文。',
  'zh-Hant': '請把你上一則回答翻譯成繁體中文。',
  de: 'Bitte übersetze deine vorherige Antwort ins Deutsche.',
  es: 'Por favor, traduce tu respuesta anterior al español.',
  it: 'Per favore, traduci la tua risposta precedente in italiano.',
  pt: 'Por favor, traduza a sua resposta anterior para o português.',
  ja: '前の回答を日本語に翻訳してください。',
  ko: '이전 답변을 한국어로 번역해 주세요.',
  ru: 'Пожалуйста, переведи свой предыдущий ответ на русский язык.',
  ar: 'من فضلك ترجم إجابتك السابقة إلى اللغة العربية.',
};

/** The translation request in the asked language itself, or null for a language not listed. */
export function translateRequestIn(code: string | null): string | null {
  return code && isReplyLanguageCode(code) ? TRANSLATE_REQUESTS[code] : null;
}
