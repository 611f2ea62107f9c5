import type { ReplyLanguage, ReplyLanguageCode } from '../../../shared/languages';
import type { ProviderMessage, TemplateKind } from '../providers/chatProvider';
import { resolveAutoLanguage, type AutoLanguageOptions } from './autoLanguage';

/** `normal` for every request; `strong` for the one corrective regeneration after a drift. */
export type InstructionStrength = 'normal' | 'strong';

interface InstructionText {
  normal: string;
  strong: string;
  /** Added when the user has a system prompt of their own, so it cannot override the language. */
  precedence: string;
}

// Each rule is written in its own language: models follow an instruction in the target language
// far more reliably than "Reply in Japanese" written in English.
const INSTRUCTIONS: Record<ReplyLanguageCode, InstructionText> = {
  en: {
    normal:
      'Always reply in English, whatever language the user or earlier messages use, unless the user explicitly asks for another language (a translation, for example). Code, quoted text and proper names may stay as they are.',
    strong:
      'Important: your reply must be written entirely in English, from the first sentence to the last, even if the conversation so far used another language. Do not switch languages mid-reply. Only code, quoted text and proper names may stay as they are. Use another language only where the user explicitly asks for it.',
    precedence: 'This language rule applies even if the instructions above say otherwise.',
  },
  fr: {
    normal:
      'Réponds toujours en français, quelle que soit la langue de l’utilisateur ou des messages précédents, sauf si l’utilisateur demande explicitement une autre langue (par exemple une traduction). Le code, les citations et les noms propres peuvent rester tels quels.',
    strong:
      'Important : ta réponse doit être rédigée entièrement en français, de la première à la dernière phrase, même si la conversation a utilisé une autre langue jusqu’ici. Ne change pas de langue en cours de réponse. Seuls le code, les citations et les noms propres peuvent rester tels quels. N’utilise une autre langue que si l’utilisateur le demande explicitement.',
    precedence:
      'Cette règle de langue s’applique même si les instructions ci-dessus disent autre chose.',
  },
  'zh-Hans': {
    normal:
      '无论用户或之前的消息使用什么语言，请始终用简体中文回答，除非用户明确要求使用其他语言（例如翻译）。代码、引用的原文和专有名词可以保持原样。',
    strong:
      '重要：你的回答必须从第一句到最后一句完全使用简体中文，即使之前的对话使用了其他语言。不要在回答中途切换语言。只有代码、引用的原文和专有名词可以保持原样。只有在用户明确要求时才使用其他语言。',
    precedence: '即使上面的指示另有说明，这条语言规则仍然适用。',
  },
  'zh-Hant': {
    normal:
      '無論使用者或先前的訊息使用什麼語言，請一律以繁體中文回答，除非使用者明確要求使用其他語言（例如翻譯）。程式碼、引用的原文和專有名詞可以保持原樣。',
    strong:
      '重要：你的回答必須從第一句到最後一句完全使用繁體中文，即使先前的對話使用了其他語言。不要在回答中途切換語言。只有程式碼、引用的原文和專有名詞可以保持原樣。只有在使用者明確要求時才使用其他語言。',
    precedence: '即使上面的指示另有說明，這條語言規則仍然適用。',
  },
  de: {
    normal:
      'Antworte immer auf Deutsch, egal in welcher Sprache der Nutzer oder frühere Nachrichten geschrieben sind, außer der Nutzer bittet ausdrücklich um eine andere Sprache (zum Beispiel eine Übersetzung). Code, Zitate und Eigennamen dürfen unverändert bleiben.',
    strong:
      'Wichtig: Deine Antwort muss vollständig auf Deutsch verfasst sein, vom ersten bis zum letzten Satz, auch wenn das bisherige Gespräch eine andere Sprache verwendet hat. Wechsle innerhalb der Antwort nicht die Sprache. Nur Code, Zitate und Eigennamen dürfen unverändert bleiben. Verwende eine andere Sprache nur, wenn der Nutzer ausdrücklich darum bittet.',
    precedence: 'Diese Sprachregel gilt auch dann, wenn die Anweisungen oben etwas anderes sagen.',
  },
  es: {
    normal:
      'Responde siempre en español, sea cual sea el idioma del usuario o de los mensajes anteriores, salvo que el usuario pida expresamente otro idioma (por ejemplo, una traducción). El código, las citas y los nombres propios pueden quedarse tal cual.',
    strong:
      'Importante: tu respuesta debe estar escrita íntegramente en español, de la primera a la última frase, aunque la conversación haya usado otro idioma hasta ahora. No cambies de idioma a mitad de la respuesta. Solo el código, las citas y los nombres propios pueden quedarse tal cual. Usa otro idioma solo si el usuario lo pide expresamente.',
    precedence:
      'Esta regla de idioma se aplica aunque las instrucciones anteriores digan otra cosa.',
  },
  it: {
    normal:
      'Rispondi sempre in italiano, qualunque sia la lingua dell’utente o dei messaggi precedenti, a meno che l’utente non chieda esplicitamente un’altra lingua (per esempio una traduzione). Il codice, le citazioni e i nomi propri possono restare invariati.',
    strong:
      'Importante: la tua risposta deve essere scritta interamente in italiano, dalla prima all’ultima frase, anche se finora la conversazione ha usato un’altra lingua. Non cambiare lingua a metà risposta. Solo il codice, le citazioni e i nomi propri possono restare invariati. Usa un’altra lingua solo se l’utente lo chiede esplicitamente.',
    precedence:
      'Questa regola sulla lingua vale anche se le istruzioni precedenti dicono altrimenti.',
  },
  pt: {
    normal:
      'Responda sempre em português, independentemente do idioma do usuário ou das mensagens anteriores, a menos que o usuário peça explicitamente outro idioma (por exemplo, uma tradução). Código, citações e nomes próprios podem permanecer como estão.',
    strong:
      'Importante: sua resposta deve ser escrita inteiramente em português, da primeira à última frase, mesmo que a conversa até agora tenha usado outro idioma. Não mude de idioma no meio da resposta. Apenas código, citações e nomes próprios podem permanecer como estão. Use outro idioma apenas se o usuário pedir explicitamente.',
    precedence: 'Esta regra de idioma vale mesmo que as instruções acima digam outra coisa.',
  },
  ja: {
    normal:
      'ユーザーが別の言語（翻訳など）を明示的に求めない限り、ユーザーや以前のメッセージが何語であっても、常に日本語で回答してください。コード、引用文、固有名詞はそのままで構いません。',
    strong:
      '重要：これまでの会話で別の言語が使われていても、回答は最初の文から最後の文まですべて日本語で書いてください。回答の途中で言語を切り替えないでください。そのままでよいのは、コード、引用文、固有名詞だけです。ユーザーが明示的に求めた場合にのみ、別の言語を使ってください。',
    precedence: '上記の指示に別の記載があっても、この言語のルールが優先されます。',
  },
  ko: {
    normal:
      '사용자가 다른 언어(예: 번역)를 명시적으로 요청하지 않는 한, 사용자나 이전 메시지가 어떤 언어를 쓰든 항상 한국어로 답하세요. 코드, 인용문, 고유명사는 그대로 두어도 됩니다.',
    strong:
      '중요: 지금까지 대화에서 다른 언어를 사용했더라도 답변은 첫 문장부터 마지막 문장까지 모두 한국어로 작성하세요. 답변 도중에 언어를 바꾸지 마세요. 코드, 인용문, 고유명사만 그대로 두어도 됩니다. 사용자가 명시적으로 요청한 경우에만 다른 언어를 사용하세요.',
    precedence: '위의 지시에 다른 내용이 있더라도 이 언어 규칙이 적용됩니다.',
  },
  ru: {
    normal:
      'Всегда отвечай на русском языке, на каком бы языке ни писал пользователь и ни были написаны предыдущие сообщения, если только пользователь явно не просит другой язык (например, перевод). Код, цитаты и имена собственные можно оставлять как есть.',
    strong:
      'Важно: твой ответ должен быть полностью на русском языке, от первого до последнего предложения, даже если до этого в разговоре использовался другой язык. Не переходи на другой язык посреди ответа. Только код, цитаты и имена собственные можно оставлять как есть. Используй другой язык, только если пользователь явно об этом просит.',
    precedence: 'Это правило о языке действует, даже если инструкции выше говорят иное.',
  },
  ar: {
    normal:
      'أجب دائمًا باللغة العربية، مهما كانت لغة المستخدم أو الرسائل السابقة، إلا إذا طلب المستخدم صراحةً لغة أخرى (مثل الترجمة). يمكن أن تبقى الشيفرة البرمجية والنصوص المقتبسة وأسماء العلم كما هي.',
    strong:
      'مهم: يجب أن تُكتب إجابتك كلها باللغة العربية، من الجملة الأولى إلى الأخيرة، حتى لو استخدمت المحادثة حتى الآن لغة أخرى. لا تغيّر اللغة في منتصف الإجابة. لا يبقى كما هو إلا الشيفرة البرمجية والنصوص المقتبسة وأسماء العلم. لا تستخدم لغة أخرى إلا إذا طلب المستخدم ذلك صراحةً.',
    precedence: 'تسري هذه القاعدة اللغوية حتى لو نصّت التعليمات أعلاه على خلاف ذلك.',
  },
};

/**
 * The reply-language rule, written in the target language. With `afterUserPrompt`, a sentence
 * says the rule holds even if the user's own instructions (placed above it) say otherwise.
 */
export function replyLanguageInstruction(
  language: ReplyLanguageCode,
  strength: InstructionStrength,
  options: { afterUserPrompt?: boolean } = {},
): string {
  const text = INSTRUCTIONS[language];
  const rule = strength === 'strong' ? text.strong : text.normal;
  return options.afterUserPrompt ? `${rule} ${text.precedence}` : rule;
}

/**
 * The concrete language a reply should be in: the setting itself, or for `auto` the language the
 * conversation is in ({@link resolveAutoLanguage}); null when `auto` gives no rule.
 */
export function resolveReplyLanguage(
  language: ReplyLanguage,
  messages: readonly ProviderMessage[],
  options: AutoLanguageOptions = {},
): ReplyLanguageCode | null {
  return language === 'auto' ? resolveAutoLanguage(messages, options) : language;
}

/** What {@link applyReplyLanguage} needs to know besides the history. */
export interface ReplyLanguageOptions {
  language: ReplyLanguage;
  /** The user's own system prompt for this conversation, if any; it is never replaced. */
  userSystemPrompt?: string | null;
  templateKind: TemplateKind;
  strength: InstructionStrength;
  /** The interface language, which Auto falls back on when the conversation says nothing clear. */
  uiLanguage?: ReplyLanguageCode;
}

/**
 * The messages a provider receives, with the user's system prompt and the reply-language rule
 * placed for the template. System messages already in `messages` count as part of the user's
 * system prompt.
 *
 * - `system-role`: one leading system message, the user's prompt first and the rule after it
 *   (with a sentence saying the rule holds regardless), so the user's text cannot override it.
 * - `no-system-role`: no system message at all; the user's prompt is folded into the first user
 *   turn and the rule is prepended inside the latest user turn, so it does not fade in a long chat.
 */
export function applyReplyLanguage(
  messages: readonly ProviderMessage[],
  options: ReplyLanguageOptions,
): ProviderMessage[] {
  const turns = messages.filter((message) => message.role !== 'system');
  const systemPrompt = [
    options.userSystemPrompt?.trim() ?? '',
    ...messages.filter((message) => message.role === 'system').map((message) => message.content),
  ]
    .filter((part) => part.trim().length > 0)
    .join('\n\n');
  const language = resolveReplyLanguage(options.language, turns, {
    uiLanguage: options.uiLanguage,
  });
  const rule =
    language &&
    replyLanguageInstruction(language, options.strength, { afterUserPrompt: systemPrompt !== '' });

  if (options.templateKind === 'system-role') {
    const system = [systemPrompt, rule].filter(Boolean).join('\n\n');
    return system ? [{ role: 'system', content: system }, ...turns] : [...turns];
  }

  const firstUser = turns.findIndex((message) => message.role === 'user');
  const lastUser = turns.findLastIndex((message) => message.role === 'user');
  return turns.map((message, index) => {
    const prefix = [
      index === firstUser ? systemPrompt : '',
      index === lastUser ? (rule ?? '') : '',
    ].filter(Boolean);
    return prefix.length
      ? { ...message, content: [...prefix, message.content].join('\n\n') }
      : message;
  });
}
