import { describe, expect, it } from 'vitest';
import { TRADITIONAL_TO_SIMPLIFIED_PAIRS } from './chineseScriptTable';
import {
  foldAcrossChineseScripts,
  foldForSearch,
  foldWithOrigins,
  toSimplified,
} from './searchFolding';
import { HIGHLIGHT_END, HIGHLIGHT_START, markMatches, snippet } from './searchSnippets';

const mark = (text: string) => `${HIGHLIGHT_START}${text}${HIGHLIGHT_END}`;

describe('foldForSearch', () => {
  it('folds case, ß, ё, accents, harakat, tatweel, widths and white space', () => {
    expect(foldForSearch('Straße')).toBe('strasse');
    expect(foldForSearch('FUẞBALL')).toBe('fussball');
    expect(foldForSearch('Ёжик')).toBe('ежик');
    expect(foldForSearch('Ça Été ÉCOLE naïve')).toBe('ca ete ecole naive');
    expect(foldForSearch('العِلْمُ')).toBe('العلم');
    expect(foldForSearch('مرحبـــا')).toBe('مرحبا');
    expect(foldForSearch('ＡＢＣ１２３ ｶﾞｷﾞ')).toBe('abc123 ガギ');
    expect(foldForSearch('ΟΔΌΣ Αθήνα')).toBe('οδοσ αθηνα');
    expect(foldForSearch('İstanbul ﬁle')).toBe('istanbul file');
    expect(foldForSearch('soft\u00adhyphen zero\u200bwidth')).toBe('softhyphen zerowidth');
    expect(foldForSearch('new\n\t  york')).toBe('new york');
    // What must not change: scripts whose marks are letters, and й, which is not и.
    expect(foldForSearch('мой हिन्दी 한국어 数据')).toBe('мой हिन्दी 한국어 数据');
  });

  it('folds unit by unit exactly as it folds whole texts, so origins are exact', () => {
    const samples = [
      'Straße Ёжик العِلْمُ ＡＢＣ ｶﾞｷﾞ ΟΔΌΣ İ ﬁ e\u0301 a\u0308\u0301 ق\u0651ـ',
      'Zażółć gęślą jaźń; Tiếng Việt; Œuvre; 數據庫；東京；\u1100\u1161\u11a8 가\u11a8',
      'mixed\r\n\r\nlines\u00a0and\u3000spaces 😀👍🏽 👨‍👩‍👧',
    ];
    for (const text of samples) {
      for (const across of [false, true]) {
        const { folded, origin } = foldWithOrigins(text, across);
        expect(folded).toBe(across ? foldAcrossChineseScripts(text) : foldForSearch(text));
        expect(origin).toHaveLength(folded.length + 1);
        expect(origin.every((at, i) => i === 0 || at >= (origin[i - 1] ?? 0))).toBe(true);
      }
    }
  });
});

describe('Simplified ↔ Traditional', () => {
  it('maps Traditional to Simplified from the OpenCC table, and leaves Simplified as it is', () => {
    expect(toSimplified('數據庫 樓層 發髮 臺灣 裡 著')).toBe('数据库 楼层 发发 台湾 里 着');
    expect(toSimplified('数据库 大楼 请检查')).toBe('数据库 大楼 请检查');
    expect(TRADITIONAL_TO_SIMPLIFIED_PAIRS.length).toBeGreaterThan(6000);
  });

  it('is closed under itself: folding twice is folding once', () => {
    const chars = [...TRADITIONAL_TO_SIMPLIFIED_PAIRS];
    const simplified = chars.filter((_, i) => i % 2 === 1).join('');
    expect(toSimplified(simplified)).toBe(simplified);
  });
});

describe('snippets from the original text', () => {
  it('marks the original characters a folded match came from', () => {
    expect(markMatches('Die Straße, die STRASSE', ['strasse'])).toBe(
      `Die ${mark('Straße')}, die ${mark('STRASSE')}`,
    );
    expect(markMatches('Ça va', ['ca'])).toBe(`${mark('Ça')} va`);
    expect(markMatches('ＡＢＣ', ['abc'])).toBe(mark('ＡＢＣ'));
    expect(markMatches('我們的數據', ['数据'], true)).toBe(`我們的${mark('數據')}`);
    expect(markMatches('new\n york', ['new york'])).toBe(mark('new\n york'));
  });

  it('cuts a short snippet around a match deep in a long text', () => {
    const text = `${'lorem ipsum '.repeat(100_000)}Die Straße ${'dolor '.repeat(1000)}`;
    const cut = snippet(text, ['strasse']);
    expect(cut).toContain(`Die ${mark('Straße')} dolor`);
    expect(cut.startsWith('…') && cut.endsWith('…')).toBe(true);
    expect(cut.length).toBeLessThan(100);
  });
});
