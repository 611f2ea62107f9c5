import { describe, expect, it } from 'vitest';
import type { ProviderMessage } from './chatProvider';
import { estimateTokens, fitToContext, MESSAGE_OVERHEAD_TOKENS } from './contextBudget';

const system = (content: string): ProviderMessage => ({ role: 'system', content });
const user = (content: string): ProviderMessage => ({ role: 'user', content });
const assistant = (content: string): ProviderMessage => ({ role: 'assistant', content });

/** One token per character, so budgets are easy to read. */
const perChar = (text: string) => text.length;
const cost = (text: string) => text.length + MESSAGE_OVERHEAD_TOKENS;

describe('estimateTokens', () => {
  it('counts Latin text at three characters a token, rounding up', () => {
    expect(estimateTokens('')).toBe(0);
    expect(estimateTokens('abc')).toBe(1);
    expect(estimateTokens('abcd')).toBe(2);
    expect(estimateTokens('Déjà vu, ça va')).toBe(5);
  });

  it('counts each CJK, kana and hangul character as a token', () => {
    expect(estimateTokens('日本語')).toBe(3);
    expect(estimateTokens('ひらがなカタカナ')).toBe(8);
    expect(estimateTokens('한국어')).toBe(3);
    expect(estimateTokens('abc日本')).toBe(3);
  });

  it('counts other scripts at two characters a token', () => {
    expect(estimateTokens('Привет')).toBe(3);
    expect(estimateTokens('🎉🎉🎉')).toBe(2);
  });

  it('is never below a real tokenizer on ordinary text (about 4 characters a token)', () => {
    const text = 'The quick brown fox jumps over the lazy dog. '.repeat(20);
    expect(estimateTokens(text)).toBeGreaterThanOrEqual(Math.ceil(text.length / 4));
  });
});

describe('fitToContext', () => {
  const history = [
    system('SYS'),
    user('u1'),
    assistant('a1'),
    user('u2'),
    assistant('a2'),
    user('u3'),
  ];
  const total = history.reduce((sum, m) => sum + cost(m.content), 0);

  it('keeps everything when it fits', () => {
    const result = fitToContext(history, {
      contextLength: total + 100,
      reserveForReply: 100,
      countTokens: perChar,
    });
    expect(result).toEqual({ ok: true, messages: history, droppedTurns: 0, promptTokens: total });
  });

  it('drops the oldest whole turns, keeping the system prompt and the latest user turn', () => {
    const oneTurn = cost('u1') + cost('a1');
    const result = fitToContext(history, {
      contextLength: total - 1 + 50,
      reserveForReply: 50,
      countTokens: perChar,
    });
    expect(result).toEqual({
      ok: true,
      messages: [system('SYS'), user('u2'), assistant('a2'), user('u3')],
      droppedTurns: 1,
      promptTokens: total - oneTurn,
    });
  });

  it('can drop every earlier turn', () => {
    const minimum = cost('SYS') + cost('u3');
    const result = fitToContext(history, {
      contextLength: minimum + 10,
      reserveForReply: 10,
      countTokens: perChar,
    });
    expect(result).toMatchObject({
      ok: true,
      messages: [system('SYS'), user('u3')],
      droppedTurns: 2,
      promptTokens: minimum,
    });
  });

  it('never keeps a newer turn after dropping an older one out of order', () => {
    const messages = [user('x'.repeat(50)), assistant('a'), user('y'), assistant('b'), user('z')];
    const result = fitToContext(messages, {
      contextLength: cost('y') + cost('b') + cost('z'),
      reserveForReply: 0,
      countTokens: perChar,
    });
    expect(result).toMatchObject({ ok: true, droppedTurns: 1 });
    if (result.ok) expect(result.messages.map((m) => m.content)).toEqual(['y', 'b', 'z']);
  });

  it('returns an error, not a truncated request, when the last message alone is too big', () => {
    const result = fitToContext([system('SYS'), user('x'.repeat(1_000))], {
      contextLength: 500,
      reserveForReply: 100,
      countTokens: perChar,
    });
    expect(result).toEqual({
      ok: false,
      reason: 'message-too-long',
      message:
        "This message is too long for this model's context. Shorten it, or choose a model with a larger context.",
      promptTokens: cost('SYS') + cost('x'.repeat(1_000)),
      budgetTokens: 400,
    });
  });

  it('uses the estimate when no tokenizer is given, and the result stays in budget', () => {
    const long = Array.from({ length: 40 }, (_, i) => [
      user(`question ${i} `.repeat(30)),
      assistant(`answer ${i} `.repeat(60)),
    ]).flat();
    const messages = [system('Be brief.'), ...long, user('last question')];
    const result = fitToContext(messages, { contextLength: 4_096, reserveForReply: 1_024 });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.droppedTurns).toBeGreaterThan(0);
    expect(result.promptTokens).toBeLessThanOrEqual(4_096 - 1_024);
    const recount = result.messages.reduce(
      (sum, m) => sum + estimateTokens(m.content) + MESSAGE_OVERHEAD_TOKENS,
      0,
    );
    expect(recount).toBe(result.promptTokens);
    expect(result.messages[0]).toEqual(system('Be brief.'));
    expect(result.messages.at(-1)).toEqual(user('last question'));
    expect(result.messages[1]?.role).toBe('user');
  });

  it('handles a history with no system prompt and a reserve larger than the context', () => {
    expect(
      fitToContext([user('hi')], { contextLength: 100, reserveForReply: 200, countTokens: perChar })
        .ok,
    ).toBe(false);
    expect(fitToContext([user('hi')], { contextLength: 100, reserveForReply: 10 })).toMatchObject({
      ok: true,
      droppedTurns: 0,
    });
  });
});
