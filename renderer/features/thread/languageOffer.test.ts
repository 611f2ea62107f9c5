import { describe, expect, it } from 'vitest';
import { REPLY_LANGUAGE_CODES } from '../../../shared/languages';
import { failedAutoCorrection, scriptDirection, translateRequestIn } from './languageOffer';

describe('scriptDirection', () => {
  it('reads Arabic and Hebrew prose as right to left, and leaves code out of the count', () => {
    expect(
      scriptDirection('مرحبا! هذا مثال:\n```js\nconst server = express();\napp.listen(3000);\n```'),
    ).toBe('rtl');
    expect(scriptDirection('שלום, מה שלומך היום?')).toBe('rtl');
    expect(scriptDirection('استخدم `express()` لإنشاء الخادم')).toBe('rtl');
  });

  it('reads Latin, Cyrillic and CJK prose as left to right, and has no answer without letters', () => {
    expect(scriptDirection('Hello, the word مرحبا means hello.')).toBe('ltr');
    expect(scriptDirection('数据库索引')).toBe('ltr');
    expect(scriptDirection('```\nمرحبا\n```\nOK then')).toBe('ltr');
    expect(scriptDirection('1 + 2 = 3 !')).toBeNull();
  });
});

describe('failedAutoCorrection', () => {
  it('is a mismatched reply with siblings under automatic correction only', () => {
    expect(failedAutoCorrection(true, 'auto', 2)).toBe(true);
    expect(failedAutoCorrection(true, 'auto', 1)).toBe(false);
    expect(failedAutoCorrection(false, 'auto', 2)).toBe(false);
    expect(failedAutoCorrection(true, 'off', 2)).toBe(false);
    expect(failedAutoCorrection(true, 'ask', 2)).toBe(false);
  });
});

describe('translateRequestIn', () => {
  it('has a request for every reply language, written in that language', () => {
    for (const code of REPLY_LANGUAGE_CODES) expect(translateRequestIn(code)).toBeTruthy();
    expect(translateRequestIn('fr')).toMatch(/français/);
    expect(translateRequestIn('zh-Hans')).toMatch(/简体中文/);
    expect(translateRequestIn('ar')).toMatch(/العربية/);
    expect(translateRequestIn('xx')).toBeNull();
    expect(translateRequestIn(null)).toBeNull();
  });
});
