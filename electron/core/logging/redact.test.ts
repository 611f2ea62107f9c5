import { describe, expect, it } from 'vitest';
import {
  classifyField,
  looksLikeKey,
  REDACTED,
  redactField,
  redactValue,
  scrubSecrets,
} from './redact';

const MISTRAL_LIKE_KEY = 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY';

describe('classifyField', () => {
  it.each([
    'key',
    'apiKey',
    'api_key',
    'X-Api-Key',
    'MISTRAL_API_KEY',
    'token',
    'accessToken',
    'authorization',
    'cookie',
    'password',
    'keyLast4',
  ])('%s is a secret', (name) => expect(classifyField(name)).toBe('secret'));
  it.each([
    'content',
    'text',
    'prompt',
    'messages',
    'systemPrompt',
    'conversationTitle',
    'query',
    'body',
  ])('%s is content', (name) => expect(classifyField(name)).toBe('content'));
  it.each([
    'keyConfigured',
    'tokenCount',
    'keyStorage',
    'textLength',
    'streamId',
    'messageId',
    'errorMessage',
    'count',
    'origin',
  ])('%s is plain', (name) => expect(classifyField(name)).toBe('plain'));
});

describe('scrubSecrets', () => {
  it('removes bearer headers, token parameters and key-like runs', () => {
    const text = `401 for Bearer ${MISTRAL_LIKE_KEY} at http://127.0.0.1:4000/?token=abc-DEF_123 with sk-proj-abcdefghijklmnop1234 and ${'0123456789abcdef'.repeat(3)}`;
    const scrubbed = scrubSecrets(text);
    expect(scrubbed).not.toContain(MISTRAL_LIKE_KEY);
    expect(scrubbed).not.toContain('abc-DEF_123');
    expect(scrubbed).not.toContain('sk-proj-abcdefghijklmnop1234');
    expect(scrubbed).not.toContain('0123456789abcdef0123');
    expect(scrubbed).toContain(`Bearer ${REDACTED}`);
    expect(scrubbed).toContain(`?token=${REDACTED}`);
  });

  it('keeps ids, dates, paths and event names readable', () => {
    const text =
      'store.recovered_interrupted_replies 3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b /home/someone/.config/Causerie/backups/causerie-2026-01-31.db causerie-2026-01-31T12-00-00 SQLITE_FULL: database or disk is full';
    expect(scrubSecrets(text)).toBe(text);
  });

  it.each([MISTRAL_LIKE_KEY, 'ghp_abcdefghijklmnopqrstuvwxyz0123', 'sk-abcdefghijklmnopqrstuvwx1'])(
    'recognises %s as a key',
    (run) => expect(looksLikeKey(run)).toBe(true),
  );
});

describe('redactValue and redactField', () => {
  it('removes secrets at any depth and replaces content by its size', () => {
    const out = redactField(
      'request',
      {
        headers: {
          Authorization: `Bearer ${MISTRAL_LIKE_KEY}`,
          'content-type': 'application/json',
        },
        body: { messages: [{ role: 'user', content: 'mon secret' }] },
        model: 'mistral-small-latest',
        nested: { apiKey: 'x', keyConfigured: true, completionTokens: 12 },
      },
      { keepContent: false },
    );
    expect(JSON.stringify(out)).not.toContain('mon secret');
    expect(JSON.stringify(out)).not.toContain(MISTRAL_LIKE_KEY);
    expect(out).toMatchObject({
      headers: { Authorization: REDACTED },
      body: '[content]',
      model: 'mistral-small-latest',
      nested: { apiKey: REDACTED, keyConfigured: true, completionTokens: 12 },
    });
  });

  it('keeps content in debug mode but never secrets', () => {
    const out = redactValue(
      { content: 'bonjour', apiKey: MISTRAL_LIKE_KEY, note: `key ${MISTRAL_LIKE_KEY}` },
      { keepContent: true },
    );
    expect(out).toEqual({ content: 'bonjour', apiKey: REDACTED, note: `key ${REDACTED}` });
  });

  it('survives cycles, deep nesting and huge strings', () => {
    const cyclic: Record<string, unknown> = { name: 'a' };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 50; i++) {
      deep.child = {};
      deep = deep.child as Record<string, unknown>;
    }
    const out = redactValue({ cyclic, root, huge: 'x'.repeat(100_000) }, { keepContent: false });
    const json = JSON.stringify(out);
    expect(json).toContain('[circular]');
    expect(json).toContain('[nested too deep]');
    expect(json.length).toBeLessThan(10_000);
  });
});
