import { isReplyLanguageCode, type ReplyLanguageCode } from '../../../shared/languages';
import type { ProviderMessage } from '../providers/chatProvider';
import { clearLanguageOf, detectLanguage } from './detectLanguage';

/** What Auto falls back on when the conversation says nothing clear. */
export interface AutoLanguageOptions {
  /**
   * The UI language, when the caller knows it. Without it, a short first message gets no rule at
   * all (the model mirrors the user, and the reply is not checked) rather than a guess: English
   * would turn "Clafoutis aux poires" into an English rule and a needless correction.
   */
  uiLanguage?: ReplyLanguageCode;
}

/**
 * The language Auto asks for. The user's last message decides only when it is long and clear
 * enough (the verdict's own minimum and near-tie test), so "merci" or "Explain" do not switch a
 * conversation; otherwise the conversation's language so far (the newest earlier message, the
 * user's or a reply, that is clear), else the UI language when known. Null (no rule; the model mirrors the
 * user) when the message is clearly in a language not offered, Chinese of unknown script with
 * nothing to tell the script, or holds no letters at all (an emoji, only code) in a new chat.
 */
export function resolveAutoLanguage(
  messages: readonly ProviderMessage[],
  options: AutoLanguageOptions = {},
): ReplyLanguageCode | null {
  const turns = messages.filter(
    (message) => (message.role === 'user' || message.role === 'assistant') && !message.prefix,
  );
  const lastUserIndex = turns.findLastIndex((message) => message.role === 'user');
  const lastUser = turns[lastUserIndex];
  if (!lastUser) return null;
  const last = clearLanguageOf(lastUser.content);
  if (last && isReplyLanguageCode(last)) return last;
  if (last && last !== 'zh') return null;
  for (let index = lastUserIndex - 1; index >= 0; index--) {
    const earlier = clearLanguageOf(turns[index]?.content ?? '');
    if (!earlier || !isReplyLanguageCode(earlier)) continue;
    if (last === 'zh' && !earlier.startsWith('zh-')) continue;
    return earlier;
  }
  const ui = options.uiLanguage;
  if (!ui) return null;
  if (last === 'zh') return ui.startsWith('zh-') ? ui : null;
  if (detectLanguage(lastUser.content).consideredChars === 0) return null;
  return ui;
}
