import type { ReplyLanguageCode } from '../../../shared/languages';
import type { ProviderMessage } from '../providers/chatProvider';

/** A language a user can ask for: a reply language, or Chinese without saying which script. */
export type RequestedLanguage = ReplyLanguageCode | 'zh';

/** How each language is named, in each of the twelve reply languages (adjective or noun forms). */
const NAMES: Record<
  RequestedLanguage,
  { latin: string; ru: string; ar: string; zh: string; ja: string; ko: string }
> = {
  en: {
    latin: 'english|anglais|englisch(?:e|en)?|ingl[eé]s|inglese|ingl[eê]s',
    ru: 'английск',
    ar: 'الإنجليزية|الانجليزية|الإنكليزية|الانكليزية',
    zh: '英文|英语|英語',
    ja: '英語',
    ko: '영어',
  },
  fr: {
    latin: 'french|fran[cç]ais|franz[öo]sisch(?:e|en)?|franc[eé]s|francese|franc[eê]s',
    ru: 'французск',
    ar: 'الفرنسية',
    zh: '法文|法语|法語',
    ja: 'フランス語',
    ko: '프랑스어',
  },
  'zh-Hans': {
    latin:
      'simplified chinese|chinois simplifi[ée]|vereinfachte[mn]? chinesisch|chino simplificado|cinese semplificato|chin[eê]s simplificado',
    ru: 'упрощённ\\S* китайск|упрощенн\\S* китайск',
    ar: 'الصينية المبسطة',
    zh: '简体中文|简体字|简体|簡體中文|簡體',
    ja: '簡体字中国語|簡体字',
    ko: '간체',
  },
  'zh-Hant': {
    latin:
      'traditional chinese|chinois traditionnel|traditionelle[mn]? chinesisch|chino tradicional|cinese tradizionale|chin[eê]s tradicional',
    ru: 'традиционн\\S* китайск',
    ar: 'الصينية التقليدية',
    zh: '繁体中文|繁体字|繁体|繁體中文|繁體字|繁體|正體中文',
    ja: '繁体字中国語|繁体字',
    ko: '번체',
  },
  zh: {
    latin: 'chinese|mandarin|chinois|chinesisch(?:e|en)?|chino|cinese|chin[eê]s',
    ru: 'китайск',
    ar: 'الصينية',
    zh: '中文|汉语|漢語|普通话|普通話',
    ja: '中国語',
    ko: '중국어',
  },
  de: {
    latin: 'german|allemand|deutsch(?:e|en)?|alem[aá]n|tedesco|alem[aã]o',
    ru: 'немецк',
    ar: 'الألمانية',
    zh: '德文|德语|德語',
    ja: 'ドイツ語',
    ko: '독일어',
  },
  es: {
    latin: 'spanish|espagnol|spanisch(?:e|en)?|espa[ñn]ol|spagnolo|espanhol|castellano',
    ru: 'испанск',
    ar: 'الإسبانية|الاسبانية',
    zh: '西班牙文|西班牙语|西班牙語',
    ja: 'スペイン語',
    ko: '스페인어',
  },
  it: {
    latin: 'italian|italien|italienisch(?:e|en)?|italiano',
    ru: 'итальянск',
    ar: 'الإيطالية',
    zh: '意大利文|意大利语|義大利文|義大利語|意大利語',
    ja: 'イタリア語',
    ko: '이탈리아어',
  },
  pt: {
    latin: 'portuguese|portugais|portugiesisch(?:e|en)?|portugu[eé]s|portoghese|portugu[eê]s',
    ru: 'португальск',
    ar: 'البرتغالية',
    zh: '葡萄牙文|葡萄牙语|葡萄牙語',
    ja: 'ポルトガル語',
    ko: '포르투갈어',
  },
  ja: {
    latin: 'japanese|japonais|japanisch(?:e|en)?|japon[eé]s|giapponese|japon[eê]s',
    ru: 'японск',
    ar: 'اليابانية',
    zh: '日文|日语|日語',
    ja: '日本語',
    ko: '일본어',
  },
  ko: {
    latin: 'korean|cor[ée]en|koreanisch(?:e|en)?|coreano',
    ru: 'корейск',
    ar: 'الكورية',
    zh: '韩文|韩语|韓文|韓語|朝鲜语',
    ja: '韓国語',
    ko: '한국어',
  },
  ru: {
    latin: 'russian|russe|russisch(?:e|en)?|ruso|russo',
    ru: 'русск',
    ar: 'الروسية',
    zh: '俄文|俄语|俄語',
    ja: 'ロシア語',
    ko: '러시아어',
  },
  ar: {
    latin: 'arabic|arabe|arabisch(?:e|en)?|[aá]rabe|arabo',
    ru: 'арабск',
    ar: 'العربية',
    zh: '阿拉伯文|阿拉伯语|阿拉伯語',
    ja: 'アラビア語',
    ko: '아랍어',
  },
};

/**
 * The constructions that ask for a language, per script of the request, with NAME standing for
 * the language's names: "in/into English", "English please", "en anglais", "vers l'anglais",
 * "auf/ins Englisch(e)", "en/al inglés", "in inglese", "em/para o inglês", "на английском",
 * "по-английски", "بالإنجليزية", "用英文", "翻译成英文", "英語で", "英語に", "영어로".
 */
const CONSTRUCTIONS: Record<keyof (typeof NAMES)['en'], (name: string) => string> = {
  // Word edges by letter, not \b: \b is ASCII-only and fails after "simplifié".
  latin: (name) =>
    `(?<!\\p{L})(?:(?:in|into|to|en|vers l['’]|auf|ins|al|em|para o|para|all['’])\\s*(?:plain\\s+|simple\\s+|good\\s+|proper\\s+)?(?:${name})|(?:${name})\\s+(?:please|pls|translation|version|s['’]il (?:te|vous) pla[iî]t|bitte|por favor|per favore))(?!\\p{L})`,
  ru: (name) => `(?:на|по-)\\s*(?:${name})`,
  ar: (name) => `(?:(?:ب|إلى\\s*|الى\\s*|باللغة\\s*|بلغة\\s*)(?:${name}))`,
  zh: (name) =>
    `(?:用|以|翻译成|翻譯成|译成|譯成|翻成|改成|换成|換成|写成|寫成|改用|转成|轉成)(?:${name})|(?:${name})(?:回答|回复|回覆|来写|來寫|写|寫|版)`,
  ja: (name) => `(?:${name})(?:で|に(?:翻訳|訳)|へ(?:翻訳|訳))`,
  ko: (name) => `(?:${name})(?:로|으로)`,
};

const PATTERNS: [RequestedLanguage, RegExp][] = (
  Object.entries(NAMES) as [RequestedLanguage, (typeof NAMES)['en']][]
).map(([code, names]) => [
  code,
  new RegExp(
    (Object.keys(CONSTRUCTIONS) as (keyof typeof CONSTRUCTIONS)[])
      .map((script) => CONSTRUCTIONS[script](names[script]))
      .join('|'),
    'iu',
  ),
]);

// Script-specific Chinese names first, so "繁體中文" is not read as plain "中文".
const ORDERED = [
  ...PATTERNS.filter(([code]) => code === 'zh-Hans' || code === 'zh-Hant'),
  ...PATTERNS.filter(([code]) => code !== 'zh-Hans' && code !== 'zh-Hant'),
];

/**
 * The language the user's message explicitly asks the reply to be in ("translate into English",
 * "in English please", "écris-le en anglais", "用英文写", "英語で答えて"), or null when it asks for
 * none. The caller compares it with the conversation's language: the rule gives way to a request
 * for another one.
 */
export function userRequestsOtherLanguage(text: string): RequestedLanguage | null {
  // Quoted text and code are material to work on, not the request itself.
  const request = text.replace(/```[\s\S]*?(?:```|$)|`[^`\n]*`/g, ' ');
  for (const [code, pattern] of ORDERED) if (pattern.test(request)) return code;
  return null;
}

/**
 * The language a reply is checked against: `asked`, or null when the user's last message asks
 * for another language (a translation, an e-mail in English), since the reply rule says it gives
 * way then and a "drift" would be what the user wanted.
 */
export function languageToCheck(
  asked: ReplyLanguageCode | null,
  messages: readonly ProviderMessage[],
): ReplyLanguageCode | null {
  if (!asked) return null;
  const lastUser = messages.findLast((message) => message.role === 'user');
  const requested = lastUser ? userRequestsOtherLanguage(lastUser.content) : null;
  if (!requested || requested === asked) return asked;
  if (requested === 'zh' && asked.startsWith('zh-')) return asked;
  return null;
}
