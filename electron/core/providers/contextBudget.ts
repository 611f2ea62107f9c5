/**
 * Keeps a request inside a model's context window by dropping the oldest turns. Token counts
 * here are estimates unless the caller passes a real tokenizer: {@link estimateTokens} errs on the
 * high side so a request that fits by the estimate fits for real.
 */
import type { ProviderMessage } from './chatProvider';

/** Tokens counted for each message's role and separators, on top of its text. */
export const MESSAGE_OVERHEAD_TOKENS = 4;

/**
 * A cheap, conservative token estimate: one token per 3 characters of Latin script (real
 * tokenizers average about 4), one per CJK, kana or hangul character (often less in reality),
 * one per 2 characters of anything else (Cyrillic, Greek, Arabic, emoji, …). An estimate only.
 */
export function estimateTokens(text: string): number {
  let latin = 0;
  let cjk = 0;
  let other = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    if (code <= 0x024f) latin += 1;
    else if (isCjk(code)) cjk += 1;
    else other += 1;
  }
  return Math.ceil(latin / 3) + cjk + Math.ceil(other / 2);
}

function isCjk(code: number): boolean {
  return (
    (code >= 0x2e80 && code <= 0x9fff) || // CJK radicals, kana, CJK ideographs
    (code >= 0xa960 && code <= 0xa97f) || // hangul jamo extended
    (code >= 0xac00 && code <= 0xd7ff) || // hangul syllables
    (code >= 0xf900 && code <= 0xfaff) || // CJK compatibility ideographs
    (code >= 0xff00 && code <= 0xffef) || // full-width forms
    (code >= 0x20000 && code <= 0x3ffff) // CJK extensions
  );
}

export interface ContextBudgetOptions {
  /** The model's context window in tokens (prompt and reply together). */
  contextLength: number;
  /** Tokens kept free for the reply. */
  reserveForReply: number;
  /** A real tokenizer if there is one; {@link estimateTokens} otherwise. */
  countTokens?: (text: string) => number;
}

/** The outcome of {@link fitToContext}. */
export type FitResult =
  | {
      ok: true;
      messages: ProviderMessage[];
      /** Whole turns (a user message and the replies after it) left out, oldest first. */
      droppedTurns: number;
      /** The kept messages' count, with the per-message overhead. */
      promptTokens: number;
    }
  | {
      ok: false;
      /** The system prompt plus the latest user turn alone exceed the budget. */
      reason: 'message-too-long';
      message: string;
      promptTokens: number;
      budgetTokens: number;
    };

/**
 * Drops the oldest turns until the history fits in `contextLength - reserveForReply`. System
 * messages and the latest user turn are always kept, whole; when they alone are too big the
 * result is an error to show, never a request that would overflow. Turns are dropped whole and
 * oldest first, so the history stays a consistent conversation.
 */
export function fitToContext(
  messages: readonly ProviderMessage[],
  options: ContextBudgetOptions,
): FitResult {
  const count = options.countTokens ?? estimateTokens;
  const cost = (message: ProviderMessage) => count(message.content) + MESSAGE_OVERHEAD_TOKENS;
  const budgetTokens = options.contextLength - options.reserveForReply;

  const system = messages.filter((message) => message.role === 'system');
  const rest = messages.filter((message) => message.role !== 'system');
  // A turn starts at a user message; replies before the first user message form their own turn.
  const turns: ProviderMessage[][] = [];
  for (const message of rest) {
    const current = turns.at(-1);
    if (message.role === 'user' || !current) turns.push([message]);
    else current.push(message);
  }
  const latest = turns.pop() ?? [];

  let promptTokens = [...system, ...latest].reduce((sum, message) => sum + cost(message), 0);
  if (promptTokens > budgetTokens) {
    return {
      ok: false,
      reason: 'message-too-long',
      message:
        "This message is too long for this model's context. Shorten it, or choose a model with a larger context.",
      promptTokens,
      budgetTokens,
    };
  }
  let kept = 0;
  for (let i = turns.length - 1; i >= 0; i -= 1) {
    const turnTokens = (turns[i] ?? []).reduce((sum, message) => sum + cost(message), 0);
    if (promptTokens + turnTokens > budgetTokens) break;
    promptTokens += turnTokens;
    kept += 1;
  }
  const keptTurns = turns.slice(turns.length - kept);
  // System messages go first, where models expect them.
  return {
    ok: true,
    messages: [...system, ...keptTurns.flat(), ...latest],
    droppedTurns: turns.length - kept,
    promptTokens,
  };
}
