import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  isTitleRequest,
  TITLE_INSTRUCTION_START as FAKE_TITLE_INSTRUCTION_START,
} from '../../../testing/fixtures/fakeChatExtras';
import {
  FAKE_MODEL_TITLES,
  startFakeMistral,
  toChunks,
  type FakeMistralServer,
} from '../../../testing/fixtures/fakeMistralServer';
import { CoreError } from '../coreError';
import { createMistralProvider } from '../providers/mistral';
import { instantRetries } from '../../../testing/providers';
import {
  requestTitle,
  sanitizeTitle,
  TITLE_INSTRUCTION_START,
  TITLE_MAX_CHARS,
  titleRequestMessages,
} from './autoTitle';

describe('title request', () => {
  it('names the language it wants, and quotes the exchange as one user message', () => {
    const messages = titleRequestMessages({ user: 'Bonjour', reply: 'Salut !' }, 'fr');
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatchObject({ role: 'system' });
    expect(messages[0]?.content).toMatch(/^You name conversations\./);
    expect(messages[0]?.content).toContain('at most 6 words');
    expect(messages[0]?.content).toContain('Write the title in French.');
    expect(messages[1]?.role).toBe('user');
    expect(messages[1]?.content).toContain('User: Bonjour');
    expect(messages[1]?.content).toContain('Assistant: Salut !');
    const unknown = titleRequestMessages({ user: 'ok', reply: 'ok' }, null);
    expect(unknown[0]?.content).toContain('in the language of the conversation');
  });

  it('sends only the start of a long exchange', () => {
    const long = 'mot '.repeat(2_000);
    const [, user] = titleRequestMessages({ user: long, reply: long }, 'fr');
    expect(user?.content.length).toBeLessThan(3_200);
  });

  it('is recognised by the fake servers (their constant matches this one)', () => {
    expect(FAKE_TITLE_INSTRUCTION_START).toBe(TITLE_INSTRUCTION_START);
    expect(isTitleRequest(titleRequestMessages({ user: 'a', reply: 'b' }, 'en'))).toBe(true);
    expect(isTitleRequest([{ role: 'user', content: 'You name conversations.' }])).toBe(false);
  });
});

describe('title clean-up', () => {
  it.each([
    ['Recette de la ratatouille', 'Recette de la ratatouille'],
    ['"Rust ownership explained."', 'Rust ownership explained'],
    ['« Titre écrit par le modèle. »', 'Titre écrit par le modèle'],
    ['**Title:** Planning a trip to Lyon', 'Planning a trip to Lyon'],
    ['Titre : Les bases de SQL', 'Les bases de SQL'],
    ['# Weekly   report\nThis conversation is about…', 'Weekly report'],
    ['\n\n  `Docker networking`  \n', 'Docker networking'],
    ['<think>The user asks about tea.</think>Tea brewing tips!', 'Tea brewing tips'],
    ['「数据库索引入门」。', '数据库索引入门'],
    ['What is Node.js?', 'What is Node.js'],
  ])('%j becomes %j', (raw, title) => {
    expect(sanitizeTitle(raw)).toBe(title);
  });

  it.each([[''], ['   \n  '], ['...'], ['** **'], ['""'], ['<think>still thinking']])(
    'rejects %j',
    (raw) => {
      expect(sanitizeTitle(raw)).toBeNull();
    },
  );

  it('rejects an answer that is a whole sentence rather than a title', () => {
    const sentence =
      'Sure! Here is a title that I think captures the essence of what you two talked about in this chat';
    expect(sanitizeTitle(sentence)).toBeNull();
  });

  it('strips bidirectional control characters from the title', () => {
    expect(sanitizeTitle('Plan \u202Eedoc\u202C de migration\u2066x\u2069')).toBe(
      'Plan edoc de migrationx',
    );
    expect(sanitizeTitle('\u202E\u2067\u200F')).toBeNull();
  });

  it('caps a long title at a word, and a CJK one anywhere', () => {
    const latin = sanitizeTitle('Supercalifragilistic '.repeat(6).trim());
    expect(latin).not.toBeNull();
    expect(Array.from(latin ?? '').length).toBeLessThanOrEqual(TITLE_MAX_CHARS);
    expect(latin?.endsWith('…')).toBe(true);
    expect(latin).not.toMatch(/Supercalifragil…$/);
    const cjk = sanitizeTitle('数据库'.repeat(40));
    expect(Array.from(cjk ?? '')).toHaveLength(TITLE_MAX_CHARS);
  });
});

describe('requestTitle against a fake La Plateforme', () => {
  const KEY = 'title-key-0123456789';
  let fake: FakeMistralServer;
  beforeAll(async () => {
    fake = await startFakeMistral({ apiKey: KEY });
  });
  afterAll(() => fake.close());
  const provider = () =>
    createMistralProvider({ getApiKey: () => KEY, baseUrl: fake.url, retry: instantRetries() });

  it('asks with a small token budget and returns the cleaned title', async () => {
    const title = await requestTitle(provider(), {
      model: 'mistral-small-latest',
      exchange: { user: 'Parlons de cuisine #title', reply: 'Avec plaisir.' },
      language: 'fr',
      signal: new AbortController().signal,
    });
    expect(title).toBe(FAKE_MODEL_TITLES.French);
    const sent = fake.titleRequests.at(-1)?.body;
    expect(sent?.max_tokens).toBe(60);
    expect(sent?.messages?.[0]?.content).toContain('Write the title in French.');
  });

  it('gives up when the signal times out', async () => {
    fake.titleQueue.push({
      kind: 'stream',
      chunks: toChunks('Too late'),
      firstChunkDelayMs: 2_000,
    });
    const started = Date.now();
    const attempt = requestTitle(provider(), {
      model: 'mistral-small-latest',
      exchange: { user: 'Hello', reply: 'Hi' },
      language: 'en',
      signal: AbortSignal.timeout(150),
    });
    await expect(attempt).rejects.toBeInstanceOf(CoreError);
    expect(Date.now() - started).toBeLessThan(1_500);
  });
});
