import { describe, expect, it } from 'vitest';
import { REPLY_LANGUAGE_CODES } from '../../../shared/languages';
import type { ProviderMessage } from '../providers/chatProvider';
import { detectLanguage } from './detectLanguage';
import {
  applyReplyLanguage,
  replyLanguageInstruction,
  resolveReplyLanguage,
} from './replyInstruction';

const history: ProviderMessage[] = [
  { role: 'user', content: 'Bonjour, peux-tu m’aider à organiser un voyage à Lyon ?' },
  { role: 'assistant', content: 'Bien sûr ! Combien de jours comptes-tu rester ?' },
  { role: 'user', content: 'Trois jours, et je voudrais visiter les musées.' },
];
const FRENCH_RULE = replyLanguageInstruction('fr', 'normal');

describe('replyLanguageInstruction', () => {
  it('is written in the target language, for every language and both strengths', () => {
    for (const code of REPLY_LANGUAGE_CODES) {
      for (const strength of ['normal', 'strong'] as const) {
        const rule = replyLanguageInstruction(code, strength);
        const detected = detectLanguage(rule).language;
        expect(detected, `${code} ${strength}: ${rule}`).toBe(code);
      }
    }
  });

  it('gives way, in every language, when the user explicitly asks for another one', () => {
    const givesWay: Record<(typeof REPLY_LANGUAGE_CODES)[number], [RegExp, RegExp]> = {
      en: [
        /unless the user explicitly asks for another language/,
        /only where the user explicitly asks/,
      ],
      fr: [
        /sauf si l’utilisateur demande explicitement une autre langue/,
        /que si l’utilisateur le demande explicitement/,
      ],
      'zh-Hans': [/除非用户明确要求使用其他语言/, /只有在用户明确要求时才使用其他语言/],
      'zh-Hant': [/除非使用者明確要求使用其他語言/, /只有在使用者明確要求時才使用其他語言/],
      de: [
        /außer der Nutzer bittet ausdrücklich um eine andere Sprache/,
        /nur, wenn der Nutzer ausdrücklich darum bittet/,
      ],
      es: [
        /salvo que el usuario pida expresamente otro idioma/,
        /solo si el usuario lo pide expresamente/,
      ],
      it: [
        /a meno che l’utente non chieda esplicitamente un’altra lingua/,
        /solo se l’utente lo chiede esplicitamente/,
      ],
      pt: [
        /a menos que o usuário peça explicitamente outro idioma/,
        /apenas se o usuário pedir explicitamente/,
      ],
      ja: [/別の言語（翻訳など）を明示的に求めない限り/, /明示的に求めた場合にのみ/],
      ko: [/다른 언어\(예: 번역\)를 명시적으로 요청하지 않는 한/, /명시적으로 요청한 경우에만/],
      ru: [
        /если только пользователь явно не просит другой язык/,
        /только если пользователь явно об этом просит/,
      ],
      ar: [/إلا إذا طلب المستخدم صراحةً لغة أخرى/, /إلا إذا طلب المستخدم ذلك صراحةً/],
    };
    for (const code of REPLY_LANGUAGE_CODES) {
      const [normal, strong] = givesWay[code];
      expect(replyLanguageInstruction(code, 'normal'), code).toMatch(normal);
      expect(replyLanguageInstruction(code, 'strong'), code).toMatch(strong);
    }
  });

  it('says code, quotes and proper names may stay, and the strong variant is stronger', () => {
    expect(FRENCH_RULE).toMatch(/^Réponds toujours en français/);
    expect(FRENCH_RULE).toMatch(/code.*citations.*noms propres/);
    const strong = replyLanguageInstruction('fr', 'strong');
    expect(strong).toMatch(/entièrement en français/);
    expect(strong.length).toBeGreaterThan(FRENCH_RULE.length);
  });

  it('adds that the rule holds regardless when it follows the user’s own prompt', () => {
    expect(replyLanguageInstruction('de', 'normal', { afterUserPrompt: true })).toMatch(
      /gilt auch dann, wenn die Anweisungen oben etwas anderes sagen\.$/,
    );
  });
});

describe('applyReplyLanguage with a system role (cloud models)', () => {
  it('puts the user’s prompt first and the rule after it in one system message', () => {
    const messages = applyReplyLanguage(history, {
      language: 'fr',
      userSystemPrompt: 'You are a concise travel agent.',
      templateKind: 'system-role',
      strength: 'normal',
    });
    expect(messages).toEqual([
      {
        role: 'system',
        content: `You are a concise travel agent.\n\n${replyLanguageInstruction('fr', 'normal', { afterUserPrompt: true })}`,
      },
      ...history,
    ]);
  });

  it('sends the rule alone without a user prompt, and merges system messages already present', () => {
    expect(
      applyReplyLanguage(history, {
        language: 'fr',
        templateKind: 'system-role',
        strength: 'normal',
      }),
    ).toEqual([{ role: 'system', content: FRENCH_RULE }, ...history]);

    const withSystem = [{ role: 'system' as const, content: 'Be brief.' }, ...history];
    const messages = applyReplyLanguage(withSystem, {
      language: 'ja',
      userSystemPrompt: 'You are a travel agent.',
      templateKind: 'system-role',
      strength: 'strong',
    });
    expect(messages.filter((message) => message.role === 'system')).toHaveLength(1);
    expect(messages[0]?.content).toBe(
      `You are a travel agent.\n\nBe brief.\n\n${replyLanguageInstruction('ja', 'strong', { afterUserPrompt: true })}`,
    );
  });

  it('leaves the history unchanged and adds no rule when auto cannot tell', () => {
    const unclear: ProviderMessage[] = [{ role: 'user', content: '```\nls -la\n```' }];
    expect(
      applyReplyLanguage(unclear, {
        language: 'auto',
        templateKind: 'system-role',
        strength: 'normal',
      }),
    ).toEqual(unclear);
    expect(
      applyReplyLanguage(unclear, {
        language: 'auto',
        userSystemPrompt: 'Be brief.',
        templateKind: 'system-role',
        strength: 'normal',
      }),
    ).toEqual([{ role: 'system', content: 'Be brief.' }, ...unclear]);
  });
});

describe('applyReplyLanguage without a system role (Mistral 7B Instruct v0.2)', () => {
  it('folds the user’s prompt into the first user turn and the rule into the latest one', () => {
    const messages = applyReplyLanguage(history, {
      language: 'fr',
      userSystemPrompt: 'You are a concise travel agent.',
      templateKind: 'no-system-role',
      strength: 'normal',
    });
    expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
    expect(messages[0]?.content).toBe(`You are a concise travel agent.\n\n${history[0]?.content}`);
    expect(messages[1]).toEqual(history[1]);
    expect(messages[2]?.content).toBe(
      `${replyLanguageInstruction('fr', 'normal', { afterUserPrompt: true })}\n\n${history[2]?.content}`,
    );
  });

  it('puts prompt, rule and message in that order when there is a single user turn', () => {
    const single: ProviderMessage[] = [{ role: 'user', content: 'Quel temps fait-il à Lyon ?' }];
    const messages = applyReplyLanguage(single, {
      language: 'fr',
      userSystemPrompt: 'Be brief.',
      templateKind: 'no-system-role',
      strength: 'strong',
    });
    expect(messages).toEqual([
      {
        role: 'user',
        content: `Be brief.\n\n${replyLanguageInstruction('fr', 'strong', { afterUserPrompt: true })}\n\n${single[0]?.content}`,
      },
    ]);
  });

  it('keeps the rule next to the latest turn in a long chat and drops any system message', () => {
    const long: ProviderMessage[] = [{ role: 'system', content: 'Be brief.' }];
    for (let turn = 0; turn < 20; turn++) {
      long.push({ role: 'user', content: `Question ${turn} : que faut-il voir à Lyon ?` });
      long.push({ role: 'assistant', content: `Réponse ${turn}.` });
    }
    long.push({ role: 'user', content: 'Et pour finir, un bon restaurant ?' });
    const messages = applyReplyLanguage(long, {
      language: 'fr',
      templateKind: 'no-system-role',
      strength: 'normal',
    });
    expect(messages.some((message) => message.role === 'system')).toBe(false);
    expect(messages).toHaveLength(long.length - 1);
    expect(messages[0]?.content.startsWith('Be brief.\n\n')).toBe(true);
    expect(
      messages
        .at(-1)
        ?.content.startsWith(replyLanguageInstruction('fr', 'normal', { afterUserPrompt: true })),
    ).toBe(true);
    expect(messages.filter((message) => message.content.includes('Réponds toujours'))).toHaveLength(
      1,
    );
  });
});

describe('resolveReplyLanguage', () => {
  it('returns a concrete setting as is', () => {
    expect(resolveReplyLanguage('ko', history)).toBe('ko');
  });

  it('resolves auto to the language of the user’s last message', () => {
    expect(resolveReplyLanguage('auto', history)).toBe('fr');
    expect(
      resolveReplyLanguage('auto', [
        ...history,
        { role: 'assistant', content: 'D’accord.' },
        { role: 'user', content: '请用中文告诉我里昂有哪些博物馆。' },
      ]),
    ).toBe('zh-Hans');
  });

  it('falls back to no rule when the last message is undetectable or in a language not offered', () => {
    expect(resolveReplyLanguage('auto', [{ role: 'user', content: '👍' }])).toBeNull();
    expect(
      resolveReplyLanguage('auto', [
        { role: 'user', content: 'Kun je me helpen met een reis naar Amsterdam plannen?' },
      ]),
    ).toBeNull();
    expect(resolveReplyLanguage('auto', [])).toBeNull();
  });

  it('applies the auto-resolved rule for the template', () => {
    const messages = applyReplyLanguage(history, {
      language: 'auto',
      templateKind: 'no-system-role',
      strength: 'normal',
    });
    expect(messages.at(-1)?.content.startsWith(FRENCH_RULE)).toBe(true);
  });
});
