import { describe, expect, it } from 'vitest';
import { REPLY_LANGUAGE_CODES, type ReplyLanguageCode } from '../../../shared/languages';
import {
  assessReply,
  MAX_ASSESSED_CHARS,
  sampleLongText,
  createStreamingLanguageCheck,
  detectLanguage,
  stripNonProse,
} from './detectLanguage';
import { LABELLED_REPLIES } from './fixtures/labelledReplies';

describe('detectLanguage on the labelled replies', () => {
  it('is at least 95% right overall and right on every drift-shaped reply', () => {
    const perLanguage = new Map<ReplyLanguageCode, { right: number; total: number }>();
    const wrong: string[] = [];
    let right = 0;
    for (const reply of LABELLED_REPLIES) {
      const detected = detectLanguage(reply.text).language;
      const tally = perLanguage.get(reply.language) ?? { right: 0, total: 0 };
      tally.total++;
      if (detected === reply.language) {
        tally.right++;
        right++;
      } else {
        wrong.push(`${reply.language} → ${detected}: ${reply.text}`);
      }
      perLanguage.set(reply.language, tally);
    }
    const lines = REPLY_LANGUAGE_CODES.map((code) => {
      const tally = perLanguage.get(code) ?? { right: 0, total: 0 };
      return `  ${code.padEnd(8)} ${tally.right}/${tally.total} (${percent(tally.right, tally.total)})`;
    });
    console.log(
      [
        'Language detection accuracy on the labelled replies:',
        ...lines,
        `  overall  ${right}/${LABELLED_REPLIES.length} (${percent(right, LABELLED_REPLIES.length)})`,
        ...(wrong.length ? ['Wrong:', ...wrong.map((line) => `  ${line}`)] : []),
      ].join('\n'),
    );

    for (const code of REPLY_LANGUAGE_CODES) {
      expect(perLanguage.get(code)?.total ?? 0, code).toBeGreaterThanOrEqual(8);
    }
    expect(right / LABELLED_REPLIES.length).toBeGreaterThanOrEqual(0.95);
    const driftMisses = LABELLED_REPLIES.filter(
      (reply) => reply.drift && detectLanguage(reply.text).language !== reply.language,
    );
    expect(driftMisses).toEqual([]);
  });
});

function percent(part: number, whole: number): string {
  return whole === 0 ? '–' : `${((100 * part) / whole).toFixed(1)}%`;
}

describe('stripNonProse', () => {
  it('removes fenced and inline code, links, addresses, quotes and block quotes', () => {
    const text = [
      'Voici la fonction :',
      '```ts',
      'const answer = 42; // the answer',
      '```',
      'Appelle `answer()` puis écris à dev@example.com ou va sur https://example.com/docs.',
      '> The quick brown fox.',
      'Il a dit "hello world" hier.',
    ].join('\n');
    const prose = stripNonProse(text);
    expect(prose).not.toMatch(/answer|example|quick|hello/);
    expect(prose).toMatch(/Voici la fonction/);
    expect(prose).toMatch(/Il a dit/);
  });

  it('treats an unclosed fence as code to the end, as while streaming', () => {
    expect(stripNonProse('Voici :\n```python\nprint("hello")\nfor x in y:')).not.toMatch(/print/);
  });
});

describe('detectLanguage', () => {
  it('tells Japanese with kanji from Chinese by kana, and Korean by Hangul', () => {
    expect(detectLanguage('会社の経営方針を変更する必要があります。').language).toBe('ja');
    expect(detectLanguage('公司需要改变经营方针。').language).toBe('zh-Hans');
    expect(detectLanguage('公司需要改變經營方針。').language).toBe('zh-Hant');
    expect(detectLanguage('회사의 경영 방침을 바꿀 필요가 있습니다.').language).toBe('ko');
  });

  it('says zh without a script when no character is specific to one', () => {
    expect(detectLanguage('好的，我明白了。').language).toBe('zh');
    expect(assessReply('好的，我明白了，我们可以开始了吗？', 'zh-Hant').verdict).toBe('mismatch');
    expect(assessReply('好的，我明白了，那我们就开始吧。', 'zh-Hans').verdict).toBe('match');
    expect(assessReply('好的，我明白了，那就開始吧，大家一起努力。', 'zh-Hant').verdict).toBe(
      'match',
    );
    expect(assessReply('好的，我明白了，那就开始吧，大家一起努力。', 'zh-Hant').verdict).toBe(
      'undetermined',
    );
  });

  it('ignores English product names inside Chinese', () => {
    const text =
      '你可以在 Google Chrome 或 Microsoft Edge 里打开这个页面，然后用 GitHub Copilot 生成代码。';
    expect(detectLanguage(text).language).toBe('zh-Hans');
  });

  it('ignores product names listed one per line inside Chinese', () => {
    const text =
      '我推荐这几个编辑器：\n\n- Visual Studio Code\n- IntelliJ IDEA Ultimate\n- Sublime Text\n- Vim\n\n第一个是免费的。';
    expect(detectLanguage(text).language).toBe('zh-Hans');
    expect(assessReply(text, 'zh-Hans').verdict).toBe('match');
  });

  it('counts the katakana prolonged sound mark as Japanese', () => {
    expect(detectLanguage('コンピューターのメモリーをチェックしてください。').language).toBe('ja');
  });

  it('keeps English that merely quotes a few Chinese words', () => {
    expect(detectLanguage('In Chinese, 你好 means hello and 谢谢 means thank you.').language).toBe(
      'en',
    );
  });

  it('reports unknown with nothing but code', () => {
    const result = detectLanguage('```js\nconsole.log("hi");\n```');
    expect(result).toEqual({ language: 'unknown', confidence: 0, consideredChars: 0 });
  });

  it('reports a language outside the list rather than forcing one in', () => {
    expect(
      detectLanguage('Dat hangt af van je budget, maar de tweede optie is meestal goedkoper.')
        .language,
    ).toBe('nl');
  });

  it('counts the letters it considered and grows confidence with length', () => {
    const short = detectLanguage('Oui, merci.');
    const long = detectLanguage(
      'Oui, merci. Je vais regarder le problème ce soir et je te dirai ce que je trouve demain matin.',
    );
    expect(short.consideredChars).toBe(8);
    expect(long.confidence).toBeGreaterThan(short.confidence);
  });
});

describe('assessReply', () => {
  it('matches, catches a drift, and stays undetermined on code or a few words', () => {
    expect(assessReply('Bien sûr, voici un résumé rapide de la réunion.', 'fr').verdict).toBe(
      'match',
    );
    expect(
      assessReply('Sure, here is a quick summary of the meeting notes you sent me.', 'fr'),
    ).toMatchObject({ verdict: 'mismatch', detected: 'en' });
    expect(assessReply('```bash\nnpm install --save-dev prettier\n```', 'fr').verdict).toBe(
      'undetermined',
    );
    expect(assessReply('OK !', 'fr').verdict).toBe('undetermined');
  });

  it('catches a switch to another language half-way through', () => {
    const text =
      'Bien sûr, je peux t’aider avec ce problème de configuration. Il faut d’abord vérifier le fichier. ' +
      'After that, you should restart the server and check that the logs no longer show the error message.';
    expect(assessReply(text, 'fr').verdict).toBe('mismatch');
  });

  it('catches a switch near the end of a long reply, beyond what eld reads at once', () => {
    const french =
      'Bien sûr, je peux t’aider avec ce problème de configuration. Il faut d’abord vérifier le fichier, puis relancer le service. '.repeat(
        20,
      );
    const english =
      'Then open the configuration file, set the document root to your project folder, and restart the server so that the changes take effect.';
    expect(assessReply(french, 'fr').verdict).toBe('match');
    expect(assessReply(french + english, 'fr').verdict).toBe('mismatch');
  });

  it('does not call a list of product names a drift', () => {
    const text =
      'Voici les éditeurs que je te recommande pour ce projet :\n\n- Visual Studio Code\n- IntelliJ IDEA\n- Sublime Text\n\nLe premier est gratuit et très complet.';
    expect(assessReply(text, 'fr').verdict).toBe('match');
  });

  it('treats the wrong Chinese script as a mismatch', () => {
    expect(assessReply('這個函式會回傳一個陣列，裡面是所有使用者的名字。', 'zh-Hans').verdict).toBe(
      'mismatch',
    );
    expect(assessReply('好的，我明白了，马上开始。', 'zh-Hant').verdict).toBe('mismatch');
    expect(assessReply('好的，我明白了，我们开始吧。', 'zh-Hans').verdict).toBe('match');
  });
});

describe('createStreamingLanguageCheck', () => {
  const english =
    'Sure, here is a quick summary of the meeting. We agreed to ship the new release next week. ' +
    'The design team will update the icons before Friday.';

  it('decides early once enough prose has arrived, then again at the end', () => {
    const check = createStreamingLanguageCheck('fr');
    const verdicts = [];
    for (const token of english.match(/.{1,5}/gs) ?? []) {
      const early = check.push(token);
      if (early) verdicts.push(early.verdict);
    }
    expect(verdicts).toEqual(['mismatch']);
    expect(check.early?.verdict).toBe('mismatch');
    expect(check.finish().verdict).toBe('mismatch');
  });

  it('does not decide early on a reply that opens with code', () => {
    const check = createStreamingLanguageCheck('fr');
    const reply = '```ts\n' + 'const value = computeTheAnswer(input);\n'.repeat(10);
    for (const token of reply.match(/.{1,5}/gs) ?? []) expect(check.push(token)).toBeUndefined();
    expect(check.early).toBeUndefined();
    check.push('```\nVoilà, la fonction renvoie maintenant la bonne valeur.');
    expect(check.finish().verdict).toBe('match');
  });
});

describe('long replies', () => {
  it('are judged on evenly spaced samples of whole words, start and end included', () => {
    const words = Array.from({ length: 20_000 }, (_, i) => `w${i}`).join(' ');
    const sample = sampleLongText(words);
    expect(sample.length).toBeLessThanOrEqual(MAX_ASSESSED_CHARS);
    expect(sample.startsWith('w0 w1 ')).toBe(true);
    expect(sample.endsWith('w19999')).toBe(true);
    for (const word of sample.split(/\s+/)) expect(word).toMatch(/^w\d+$/);
    const numbers = sample.split(/\s+/).map((word) => Number(word.slice(1)));
    expect(numbers.some((n) => n > 5_000 && n < 15_000)).toBe(true);
    expect(sampleLongText('court texte')).toBe('court texte');
  });

  it('still catch a long reply in the wrong language, and pass one in the right one', () => {
    const french = 'Voici une réponse détaillée qui reste en français du début à la fin. ';
    const english = 'Here is a detailed answer that stays in English from start to finish. ';
    expect(assessReply(french.repeat(20_000), 'fr').verdict).toBe('match');
    const drift = assessReply(english.repeat(20_000), 'fr');
    expect(drift.verdict).toBe('mismatch');
    expect(drift.detected).toBe('en');
  });
});
