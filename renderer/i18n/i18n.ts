import type { AppError } from '../../shared/errors';
import { en, type Locale, type MessageKey } from './locales/en';
import { fr } from './locales/fr';
import { zhHans } from './locales/zh-Hans';

/** The languages the interface is available in. */
export const UI_LANGUAGES = ['en', 'fr', 'zh-Hans'] as const;
/** One of {@link UI_LANGUAGES}. */
export type UiLanguage = (typeof UI_LANGUAGES)[number];

/** Every locale by language; all share the keys of `en` (the type system checks it). */
export const LOCALES: Record<UiLanguage, Locale> = { en, fr, 'zh-Hans': zhHans };

/** Each UI language named in itself, for the language menu. */
export const UI_LANGUAGE_NAMES: Record<UiLanguage, string> = {
  en: 'English',
  fr: 'Français',
  'zh-Hans': '简体中文',
};

/** Picks the UI language from the system's preferred languages, English when none fits. */
export function matchUiLanguage(preferred: readonly string[]): UiLanguage {
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('fr')) return 'fr';
    if (lower === 'zh' || lower.startsWith('zh-hans') || lower === 'zh-cn' || lower === 'zh-sg') {
      return 'zh-Hans';
    }
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

/** Values substituted into `{name}` placeholders. */
export type MessageValues = Record<string, string | number>;

/** Translates a key in a language, filling `{placeholders}`; numbers are formatted with Intl. */
export function translate(language: UiLanguage, key: MessageKey, values?: MessageValues): string {
  const template = LOCALES[language][key] ?? en[key];
  if (!values) return template;
  const numbers = new Intl.NumberFormat(language);
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = values[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? numbers.format(value) : value;
  });
}

/** An error from the contract, in the UI language; the back end's own words are kept as detail. */
export function translateError(language: UiLanguage, error: AppError): string {
  return translate(language, `errors.${error.code}`, { detail: error.message });
}
