import { describe, expect, it } from 'vitest';
import type { ProviderMessage } from '../providers/chatProvider';
import { resolveAutoLanguage } from './autoLanguage';
import { resolveReplyLanguage } from './replyInstruction';

const user = (content: string): ProviderMessage => ({ role: 'user', content });
const assistant = (content: string): ProviderMessage => ({ role: 'assistant', content });

const french = [
  user('Tu peux m’expliquer comment fonctionne le cache du navigateur ?'),
  assistant(
    'Bien sûr : le navigateur garde une copie des fichiers et la réutilise tant qu’elle est valide.',
  ),
];

describe('Auto on short messages', () => {
  it('keeps the conversation’s language on a short follow-up, whatever it looks like', () => {
    expect(resolveReplyLanguage('auto', [...french, user('merci')])).toBe('fr');
    expect(resolveReplyLanguage('auto', [...french, user('Explain')])).toBe('fr');
    expect(resolveReplyLanguage('auto', [...french, user('hello')])).toBe('fr');
    const spanish = [
      user('¿Por qué el cielo es azul durante el día y rojo al atardecer?'),
      assistant('Porque la atmósfera dispersa más la luz azul que la roja.'),
    ];
    expect(resolveReplyLanguage('auto', [...spanish, user('Por quê?')])).toBe('es');
  });

  it('takes the newest clear message, a reply included, and skips a continued prefix', () => {
    const history = [
      user('Can you explain how the browser cache works, in simple words?'),
      assistant(
        'Claro: el navegador guarda una copia de los archivos y la reutiliza mientras sea válida.',
      ),
      user('ok'),
    ];
    expect(resolveAutoLanguage(history)).toBe('es');
    expect(
      resolveAutoLanguage([
        ...french,
        user('ok'),
        {
          role: 'assistant',
          content: 'Sure, here is the rest of the explanation in English.',
          prefix: true,
        },
      ]),
    ).toBe('fr');
  });

  it('falls back to the UI language when nothing is clear, and to no rule when it is unknown', () => {
    expect(resolveReplyLanguage('auto', [user('merci')])).toBeNull();
    expect(resolveReplyLanguage('auto', [user('Por quê?')])).toBeNull();
    expect(resolveReplyLanguage('auto', [user('Clafoutis aux poires')])).toBeNull();
    expect(resolveReplyLanguage('auto', [user('merci')], { uiLanguage: 'de' })).toBe('de');
    expect(resolveReplyLanguage('auto', [user('hello')], { uiLanguage: 'fr' })).toBe('fr');
  });

  it('still resolves from a long, clear message, even against the history', () => {
    expect(
      resolveReplyLanguage('auto', [
        ...french,
        user('Kannst du mir das bitte noch einmal auf einfache Weise erklären?'),
      ]),
    ).toBe('de');
  });

  it('gives Chinese of unknown script the conversation’s or the UI’s script, else no rule', () => {
    const traditional = [user('請問這個函式會回傳什麼？'), assistant('這個函式會回傳一個陣列。')];
    expect(resolveAutoLanguage([...traditional, user('好的，我明白了，非常好，太好了。')])).toBe(
      'zh-Hant',
    );
    expect(resolveAutoLanguage([user('好的，我明白了，非常好，太好了。')])).toBeNull();
    expect(
      resolveAutoLanguage([user('好的，我明白了，非常好，太好了。')], { uiLanguage: 'zh-Hans' }),
    ).toBe('zh-Hans');
  });
});
