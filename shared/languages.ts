import { z } from 'zod';

/** Which way a language's text runs, for `dir` on rendered replies. */
export type TextDirection = 'ltr' | 'rtl';

/** A language a reply can be asked in. */
export interface ReplyLanguageInfo {
  /** BCP-47 tag; Chinese carries its script (`zh-Hans`, `zh-Hant`) because the two are read by different people. */
  code: string;
  /** The name as its own speakers write it, shown in the picker. */
  nativeName: string;
  /** The name in English, for logs and for searching the picker. */
  englishName: string;
  direction: TextDirection;
}

/** Every reply language Causerie offers, in picker order. */
export const REPLY_LANGUAGES = [
  { code: 'en', nativeName: 'English', englishName: 'English', direction: 'ltr' },
  { code: 'fr', nativeName: 'Français', englishName: 'French', direction: 'ltr' },
  {
    code: 'zh-Hans',
    nativeName: '中文（简体）',
    englishName: 'Chinese (Simplified)',
    direction: 'ltr',
  },
  {
    code: 'zh-Hant',
    nativeName: '中文（繁體）',
    englishName: 'Chinese (Traditional)',
    direction: 'ltr',
  },
  { code: 'de', nativeName: 'Deutsch', englishName: 'German', direction: 'ltr' },
  { code: 'es', nativeName: 'Español', englishName: 'Spanish', direction: 'ltr' },
  { code: 'it', nativeName: 'Italiano', englishName: 'Italian', direction: 'ltr' },
  { code: 'pt', nativeName: 'Português', englishName: 'Portuguese', direction: 'ltr' },
  { code: 'ja', nativeName: '日本語', englishName: 'Japanese', direction: 'ltr' },
  { code: 'ko', nativeName: '한국어', englishName: 'Korean', direction: 'ltr' },
  { code: 'ru', nativeName: 'Русский', englishName: 'Russian', direction: 'ltr' },
  { code: 'ar', nativeName: 'العربية', englishName: 'Arabic', direction: 'rtl' },
] as const satisfies readonly ReplyLanguageInfo[];

/** The BCP-47 codes of {@link REPLY_LANGUAGES}. */
export const REPLY_LANGUAGE_CODES = REPLY_LANGUAGES.map((language) => language.code) as [
  ReplyLanguageCode,
  ...ReplyLanguageCode[],
];

/** One concrete reply language, by BCP-47 code. */
export type ReplyLanguageCode = (typeof REPLY_LANGUAGES)[number]['code'];

/** A concrete reply language code. */
export const ReplyLanguageCodeSchema = z.enum(REPLY_LANGUAGE_CODES);

/** The reply-language setting: `auto` answers in the language of the user's last message. */
export const ReplyLanguageSchema = z.union([z.literal('auto'), ReplyLanguageCodeSchema]);

/** The reply-language setting: `auto` or a concrete code. */
export type ReplyLanguage = z.infer<typeof ReplyLanguageSchema>;

/** Narrows any string (a detector's answer, a stored setting) to a reply language code. */
export function isReplyLanguageCode(value: string): value is ReplyLanguageCode {
  return (REPLY_LANGUAGE_CODES as readonly string[]).includes(value);
}

/** The entry of {@link REPLY_LANGUAGES} for a code. */
export function replyLanguageInfo(code: ReplyLanguageCode): ReplyLanguageInfo {
  const info = REPLY_LANGUAGES.find((language) => language.code === code);
  // The type guarantees a match; the throw only guards against a list edited out of sync.
  if (!info) throw new Error(`Unknown reply language: ${code}`);
  return info;
}

/** The text direction of a reply language (`rtl` for Arabic). */
export function textDirection(code: ReplyLanguageCode): TextDirection {
  return replyLanguageInfo(code).direction;
}
