import { describe, expect, it } from 'vitest';
import { languageToCheck, userRequestsOtherLanguage } from './languageRequest';

describe('userRequestsOtherLanguage', () => {
  it.each([
    ['translate into English', 'en'],
    ['Could you write it in English please?', 'en'],
    ['English please', 'en'],
    ['écris-le en anglais', 'en'],
    ['Traduis ce paragraphe vers l’anglais.', 'en'],
    ['用英文写', 'en'],
    ['请翻译成英语：会议改到星期四。', 'en'],
    ['請用英文回答', 'en'],
    ['Kannst du das ins Englische übersetzen?', 'en'],
    ['Antworte bitte auf Englisch.', 'en'],
    ['¿Puedes traducirlo al inglés?', 'en'],
    ['Contéstame en inglés, por favor.', 'en'],
    ['Puoi tradurlo in inglese?', 'en'],
    ['Responda em inglês, por favor.', 'en'],
    ['Pode traduzir para o inglês?', 'en'],
    ['英語で答えてください。', 'en'],
    ['この文を英語に翻訳して。', 'en'],
    ['영어로 번역해 주세요.', 'en'],
    ['Переведи на английский, пожалуйста.', 'en'],
    ['Ответь по-английски.', 'en'],
    ['أجب بالإنجليزية من فضلك.', 'en'],
    ['ترجم هذه الفقرة إلى الإنجليزية.', 'en'],
    ['Answer in French this time.', 'fr'],
    ['Reply in Japanese, please.', 'ja'],
    ['Écris-le en chinois simplifié.', 'zh-Hans'],
    ['請改用繁體中文回答。', 'zh-Hant'],
    ['Translate this into Chinese.', 'zh'],
    ['Schreib das auf Deutsch.', 'de'],
    ['Traduce esto al italiano.', 'it'],
    ['Translate it into Portuguese.', 'pt'],
    ['한국어로 답해 주세요.', 'ko'],
    ['Can you say that in Russian?', 'ru'],
    ['Réponds en arabe.', 'ar'],
    ['Please reply in Spanish.', 'es'],
  ])('%s → %s', (text, language) => {
    expect(userRequestsOtherLanguage(text)).toBe(language);
  });

  it.each([
    'Can you explain how this works?',
    'English is not my first language, so be patient.',
    'I live in Deutschland and work in Paris.',
    'Tu peux m’expliquer comment ça marche ?',
    '这个错误我该怎么处理？',
    'Что делать с этой ошибкой?',
    'Look at this code: `const english = "in English please";`',
  ])('asks for nothing: %s', (text) => {
    expect(userRequestsOtherLanguage(text)).toBeNull();
  });
});

describe('languageToCheck', () => {
  it('skips the check when the user asks for another language, not when they ask for the same', () => {
    const ask = (content: string) => [{ role: 'user' as const, content }];
    expect(languageToCheck('fr', ask('Traduis ce paragraphe en anglais.'))).toBeNull();
    expect(languageToCheck('fr', ask('Réponds en français, s’il te plaît.'))).toBe('fr');
    expect(languageToCheck('zh-Hant', ask('請用中文回答'))).toBe('zh-Hant');
    expect(languageToCheck('zh-Hant', ask('请用简体中文回答'))).toBeNull();
    expect(languageToCheck('fr', ask('Peux-tu m’aider ?'))).toBe('fr');
    expect(languageToCheck(null, ask('in English please'))).toBeNull();
  });
});
