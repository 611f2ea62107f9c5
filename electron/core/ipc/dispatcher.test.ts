import { describe, expect, it, vi } from 'vitest';
import { METHOD_NAMES, type MethodName } from '../../../shared/contract';
import { createMemoryLogger } from '../logger';
import { CoreError, INTERNAL_ERROR_MESSAGE } from '../coreError';
import { createDispatcher, type HandlerTable } from './dispatcher';

function spyTable() {
  const spies = Object.fromEntries(
    METHOD_NAMES.map((name) => [name, vi.fn(() => ({ called: name }))]),
  ) as unknown as HandlerTable & Record<MethodName, ReturnType<typeof vi.fn>>;
  return spies;
}

/** Payloads every method must reject: wrong types, and keys no method takes. */
const MALFORMED_FOR_ALL: unknown[] = [
  null,
  'x',
  42,
  [],
  { unexpectedKey: 1 },
  JSON.parse('{"__proto__": {"polluted": true}}'),
  { constructor: { prototype: { polluted: true } } },
];

/** Payloads that look right but break one rule of a particular method. */
const MALFORMED: Partial<Record<MethodName, unknown[]>> = {
  'conversations.create': [{ model: 'mistral' }, { model: { provider: 'evil', model: 'x' } }],
  'conversations.open': [
    {},
    { conversationId: 42 },
    { conversationId: '' },
    { conversationId: 'c1', aroundMessageId: 7 },
  ],
  'conversations.loadEarlier': [{}, { beforeMessageId: '' }, { conversationId: 'c1' }],
  'conversations.rename': [{ conversationId: 'c1', title: '   ' }, { conversationId: 'c1' }],
  'conversations.update': [{ conversationId: 'c1', replyLanguage: 'klingon' }],
  'chat.send': [
    { conversationId: 'c1' },
    { conversationId: 'c1', text: '   ' },
    { conversationId: 'c1', text: 'x'.repeat(200_001) },
    { conversationId: 'c1', text: 'hi', path: '/etc/passwd' },
  ],
  'chat.cancel': [{ streamId: null }],
  'endpoints.add': [
    { name: 'x', baseUrl: 'file:///etc/passwd' },
    { name: 'x', baseUrl: 'javascript:alert(1)' },
  ],
  'backups.restore': [{ name: '../../etc/passwd' }, { name: '/tmp/causerie-2026-01-01.db' }],
  'search.messages': [{ query: '' }, { query: 'x', limit: 10_000 }],
};

const ctx = { clientId: 'client-1' };

describe('dispatcher', () => {
  it.each(METHOD_NAMES)(
    'rejects malformed %s input with VALIDATION before the handler',
    async (name) => {
      const handlers = spyTable();
      const dispatch = createDispatcher(handlers, createMemoryLogger());
      const payloads = [...MALFORMED_FOR_ALL, ...(MALFORMED[name] ?? [])];
      for (const payload of payloads) {
        const result = await dispatch(name, payload, ctx);
        expect(result).toMatchObject({
          ok: false,
          error: { code: 'VALIDATION', retryable: false },
        });
      }
      expect(handlers[name]).not.toHaveBeenCalled();
    },
  );

  it('refuses unknown methods, including prototype names', async () => {
    const dispatch = createDispatcher(spyTable(), createMemoryLogger());
    for (const name of ['fs.readFile', 'toString', '__proto__', 'constructor', 42, null]) {
      const result = await dispatch(name, {}, ctx);
      expect(result).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    }
  });

  it('passes validated input and the caller to the handler', async () => {
    const handlers = spyTable();
    const dispatch = createDispatcher(handlers, createMemoryLogger());
    const result = await dispatch('chat.cancel', { streamId: 's1' }, ctx);
    expect(result).toEqual({ ok: true, value: { called: 'chat.cancel' } });
    expect(handlers['chat.cancel']).toHaveBeenCalledWith({ streamId: 's1' }, ctx);
  });

  it('turns a thrown error into INTERNAL with no stack, and logs the stack', async () => {
    const handlers: HandlerTable = {
      ...spyTable(),
      'conversations.list': () => {
        throw new TypeError('secret internal detail at /home/me');
      },
    };
    const logger = createMemoryLogger();
    const result = await createDispatcher(handlers, logger)('conversations.list', {}, ctx);
    expect(result).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: INTERNAL_ERROR_MESSAGE, retryable: false },
    });
    expect(JSON.stringify(result)).not.toMatch(/secret|at \/|TypeError/);
    expect(logger.lines.join('\n')).toContain('secret internal detail');
  });

  it('passes a deliberate CoreError through as data', async () => {
    const handlers: HandlerTable = {
      ...spyTable(),
      'conversations.open': async () => {
        throw new CoreError('NOT_FOUND', 'This conversation no longer exists.');
      },
    };
    const result = await createDispatcher(handlers, createMemoryLogger())(
      'conversations.open',
      { conversationId: 'gone' },
      ctx,
    );
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'NOT_FOUND',
        message: 'This conversation no longer exists.',
        retryable: false,
      },
    });
  });
});
