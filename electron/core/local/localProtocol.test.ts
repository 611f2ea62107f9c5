import { describe, expect, it } from 'vitest';
import { FromWorkerSchema, ToWorkerSchema } from './localProtocol';

describe('local worker protocol', () => {
  it('accepts well-formed messages in both directions', () => {
    expect(
      ToWorkerSchema.parse({
        type: 'generate',
        requestId: 'r1',
        conversationId: null,
        messages: [{ role: 'user', content: 'hi' }],
        maxTokens: 16,
        temperature: 0.7,
        topP: null,
        seed: null,
      }).type,
    ).toBe('generate');
    expect(FromWorkerSchema.parse({ type: 'text', requestId: 'r1', text: 'Bon' })).toEqual({
      type: 'text',
      requestId: 'r1',
      text: 'Bon',
    });
  });

  it('rejects unknown types, missing fields and out-of-range values', () => {
    expect(ToWorkerSchema.safeParse({ type: 'eval', code: '1' }).success).toBe(false);
    expect(ToWorkerSchema.safeParse({ type: 'abort' }).success).toBe(false);
    expect(FromWorkerSchema.safeParse({ type: 'loadProgress', progress: 2 }).success).toBe(false);
    expect(
      FromWorkerSchema.safeParse({
        type: 'failed',
        requestId: 'r1',
        error: { code: 'PROVIDER_AUTH', message: 'x' },
      }).success,
    ).toBe(false);
  });
});
