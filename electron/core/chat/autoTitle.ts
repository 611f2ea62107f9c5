/**
 * Model-written conversation titles: after the first exchange, the conversation's model is asked
 * (in a request of its own, never shown in the thread) for a short title in the conversation's
 * language. Whatever comes back is cleaned up; anything unusable leaves the first-words title.
 */
import { stripBidiControls } from '../../../shared/bidiControls';
import { replyLanguageInfo, type ReplyLanguageCode } from '../../../shared/languages';
import type { ChatProvider, ProviderMessage } from '../providers/chatProvider';

/** The most words a title is asked to have. */
export const TITLE_MAX_WORDS = 6;
/** The longest title kept, in characters (a longer one is cut at a word). */
export const TITLE_MAX_CHARS = 80;
/** How long a title may take before the first-words title is kept for good. */
export const TITLE_TIMEOUT_MS = 15_000;
/** How the title instruction begins; it is what tells a title request apart in logs and fakes. */
export const TITLE_INSTRUCTION_START = 'You name conversations.';

/** How much of each side of the exchange the model reads: a title needs the gist only. */
const EXCERPT_CHARS = 1_500;
/** Room for six words in any script, and a word or two more from a chatty model. */
const TITLE_MAX_TOKENS = 60;
/** Text read before giving up on a model that answers instead of naming. */
const MAX_RAW_CHARS = 400;
/** A first line with more words than this is a sentence, not a title. */
const MAX_WORDS_ACCEPTED = 15;

/** The first user message and the reply to it. */
export interface Exchange {
  user: string;
  reply: string;
}

/**
 * The title request: an instruction (naming the language when one is known) and the exchange
 * quoted as one user message, so the model names it rather than carrying on the conversation.
 */
export function titleRequestMessages(
  exchange: Exchange,
  language: ReplyLanguageCode | null,
): ProviderMessage[] {
  const inLanguage = language
    ? `Write the title in ${replyLanguageInfo(language).englishName}.`
    : 'Write the title in the language of the conversation.';
  const instruction = [
    TITLE_INSTRUCTION_START,
    `Reply with a title for the conversation below: at most ${TITLE_MAX_WORDS} words on one line,`,
    'with no quotes, no markdown and no punctuation at the end. Reply with the title only.',
    inLanguage,
  ].join(' ');
  const conversation = [
    '<conversation>',
    `User: ${excerpt(exchange.user)}`,
    '',
    `Assistant: ${excerpt(exchange.reply)}`,
    '</conversation>',
  ].join('\n');
  return [
    { role: 'system', content: instruction },
    { role: 'user', content: conversation },
  ];
}

function excerpt(text: string): string {
  const chars = Array.from(text.trim());
  return chars.length <= EXCERPT_CHARS
    ? chars.join('')
    : chars.slice(0, EXCERPT_CHARS).join('') + '…';
}

const QUOTES_AND_EMPHASIS = `"'“”‘’‚„«»‹›「」『』*_~`;
const EDGE_QUOTES = new RegExp(`^[\\s${QUOTES_AND_EMPHASIS}]+|[\\s${QUOTES_AND_EMPHASIS}]+$`, 'gu');
const TRAILING_PUNCTUATION = /[\s.。!！?？;；:：,，、…]+$/u;
const LABEL =
  /^(?:title|titre|titel|título|titolo|标题|標題|タイトル|제목|заголовок|название)\s*[:：]\s*/iu;

/**
 * A model's answer as a title: its first non-empty line, without markdown, surrounding quotes,
 * a "Title:" label or final punctuation, at most {@link TITLE_MAX_CHARS} characters. Null when
 * nothing usable is left (empty, no letters or digits, or a whole sentence).
 */
export function sanitizeTitle(raw: string): string | null {
  // Some models think aloud first; the thinking is not the title.
  // Bidi controls in a model-written title could make the sidebar show another text than the one
  // stored (Trojan Source); a title never needs them.
  const withoutThinking = stripBidiControls(raw).replace(/<think>[\s\S]*?(?:<\/think>|$)/giu, '');
  const line = withoutThinking
    .split(/\r?\n/u)
    .map((part) => part.trim())
    .find((part) => part.length > 0);
  if (!line) return null;
  let title = line
    .replace(/^#{1,6}\s+/u, '')
    .replace(/^(?:[-*+•]|\d+[.)])\s+/u, '')
    .replace(/\*\*|__|`/gu, '');
  // Quotes, labels and punctuation can nest ("« Titre. »", `**Title:** "Name".`): peel them
  // until nothing changes.
  for (let previous = ''; previous !== title;) {
    previous = title;
    title = title.replace(EDGE_QUOTES, '').replace(LABEL, '').replace(TRAILING_PUNCTUATION, '');
  }
  title = title.replace(/\s+/gu, ' ').trim();
  if (!/[\p{L}\p{N}]/u.test(title)) return null;
  if (title.split(' ').length > MAX_WORDS_ACCEPTED) return null;
  return capTitle(title);
}

function capTitle(title: string): string {
  const chars = Array.from(title);
  if (chars.length <= TITLE_MAX_CHARS) return title;
  const cut = chars.slice(0, TITLE_MAX_CHARS - 1).join('');
  const lastSpace = cut.lastIndexOf(' ');
  // Cut at a word when there is one late enough; CJK titles have no spaces to cut at.
  return (lastSpace >= TITLE_MAX_CHARS / 2 ? cut.slice(0, lastSpace) : cut) + '…';
}

/**
 * Asks `provider` for a title and returns it cleaned up, or null when the answer is unusable.
 * Throws what the provider throws (network, auth, timeout through `signal`).
 */
export async function requestTitle(
  provider: ChatProvider,
  request: {
    model: string;
    exchange: Exchange;
    language: ReplyLanguageCode | null;
    signal: AbortSignal;
  },
): Promise<string | null> {
  let raw = '';
  const stream = provider.streamChat({
    model: request.model,
    messages: titleRequestMessages(request.exchange, request.language),
    signal: request.signal,
    params: { maxTokens: TITLE_MAX_TOKENS, temperature: 0.2 },
  });
  for await (const chunk of stream) {
    if (chunk.type === 'text') raw += chunk.text;
    // Leaving the loop closes the stream: no need to pay for an essay.
    if (raw.length > MAX_RAW_CHARS) break;
  }
  return sanitizeTitle(raw);
}
