import { afterEach, describe, expect, it } from 'vitest';
import { fake, startCore, useChatCore, waitForEnd } from '../../../testing/chatCore';
import type { Conversation, ModelRef } from '../../../shared/domain';
import { addConversation, memoryDb, removeTempDirs, tempDir } from '../../../testing/store';
import { CoreError } from '../coreError';
import { createMemoryLogger } from '../logger';
import type { ChatProvider, ResolvedModel } from '../providers/chatProvider';
import { createAppSettingsStore } from '../settings/appSettings';
import { trashConversation } from '../store/repos/trash';
import { createConversationRules } from './conversationRules';

afterEach(removeTempDirs);
useChatCore();

const ENV_DEFAULT: ModelRef = { provider: 'mistral', model: 'mistral-small-latest' };
const CHOSEN: ModelRef = { provider: 'mistral', model: 'mistral-large-latest' };
const GONE: ModelRef = { provider: 'endpoint:removed', model: 'm' };

/** The rules only ask whether a model resolves; they never stream. */
const UNUSED_PROVIDER: ChatProvider = {
  streamChat: () => {
    throw new Error('the conversation rules never stream');
  },
};

/** Rules over a real in-memory store and a real settings file; `GONE` cannot run. */
function setup() {
  const db = memoryDb();
  const settings = createAppSettingsStore(tempDir(), createMemoryLogger());
  const resolveModel = (model: ModelRef): ResolvedModel => {
    if (model.provider === GONE.provider) throw new CoreError('NOT_FOUND', 'Server removed.');
    return { provider: UNUSED_PROVIDER, contextLength: null, templateKind: 'system-role' };
  };
  const rules = createConversationRules({
    db: () => db,
    resolveModel,
    settings,
    defaultModel: ENV_DEFAULT,
  });
  const chooseDefault = (model: ModelRef | null) =>
    settings.update((s) => ({ ...s, defaults: { ...s.defaults, model } }));
  return { db, rules, chooseDefault };
}

describe('conversation rules', () => {
  it('a conversation in the trash, or never created, is not live', () => {
    const { db, rules } = setup();
    addConversation(db, 'kept');
    addConversation(db, 'binned');
    trashConversation(db, 'binned', 2000);
    expect(rules.findLive('kept')?.id).toBe('kept');
    expect(rules.findLive('binned')).toBeNull();
    expect(rules.findLive('never')).toBeNull();
    expect(rules.requireLive('kept').id).toBe('kept');
    for (const id of ['binned', 'never']) {
      expect(() => rules.requireLive(id)).toThrow(
        expect.objectContaining({ appError: expect.objectContaining({ code: 'NOT_FOUND' }) }),
      );
    }
  });

  it('a new conversation gets the model asked for, else the Settings default, else the environment one', () => {
    const { rules, chooseDefault } = setup();
    expect(rules.modelForNewConversation(undefined)).toEqual(ENV_DEFAULT);
    chooseDefault(CHOSEN);
    expect(rules.modelForNewConversation(undefined)).toEqual(CHOSEN);
    const asked: ModelRef = { provider: 'mistral', model: 'codestral-latest' };
    expect(rules.modelForNewConversation(asked)).toEqual(asked);
  });

  it('a Settings default that can no longer run gives way; a model asked for that cannot run is refused', () => {
    const { rules, chooseDefault } = setup();
    chooseDefault(GONE);
    expect(rules.modelForNewConversation(undefined)).toEqual(ENV_DEFAULT);
    // Settings still shows what the user chose.
    expect(rules.configuredDefaultModel()).toEqual(GONE);
    expect(() => rules.modelForNewConversation(GONE)).toThrow(/Server removed/);
  });
});

describe('defaults for new conversations, through the core', () => {
  const small = { provider: 'mistral', model: 'mistral-small-latest' };
  const large = { provider: 'mistral', model: 'mistral-large-latest' };

  it('start new conversations with the model, language and parameters set in Settings', async () => {
    const { call, events } = startCore();
    const before = await call<Conversation>('conversations.create', {});
    expect(
      await call('settings.setDefaults', {
        model: large,
        replyLanguage: 'fr',
        params: { temperature: 0.2, maxTokens: 300 },
      }),
    ).toEqual({ model: large, replyLanguage: 'fr', params: { temperature: 0.2, maxTokens: 300 } });
    const after = await call<Conversation>('conversations.create', {});
    expect(after).toMatchObject({
      model: large,
      replyLanguage: 'fr',
      params: { temperature: 0.2, maxTokens: 300 },
    });
    // Conversations that already exist keep what they had; what a call asks for wins.
    const reopened = await call<{ conversation: Conversation }>('conversations.open', {
      conversationId: before.id,
    });
    expect(reopened.conversation).toMatchObject({
      model: small,
      replyLanguage: null,
      params: null,
    });
    expect(
      (await call<Conversation>('conversations.create', { replyLanguage: null, model: small }))
        .replyLanguage,
    ).toBeNull();

    // The parameters reach the provider.
    const asked = fake.requests.length;
    const sent = await call<{ streamId: string }>('chat.send', {
      conversationId: after.id,
      text: 'Bonjour',
    });
    await waitForEnd(events, sent.streamId);
    expect(fake.requests[asked]?.body).toMatchObject({
      model: 'mistral-large-latest',
      temperature: 0.2,
      max_tokens: 300,
    });

    // Cleared, the model falls back to the app's default; the rest stays as set.
    expect(await call('settings.setDefaults', { model: null })).toMatchObject({
      model: null,
      replyLanguage: 'fr',
    });
    expect(await call('settings.get', {})).toMatchObject({
      defaultModel: small,
      defaults: { model: null, replyLanguage: 'fr' },
    });
  });

  it('refuses a default model that cannot run, and survives a restart', async () => {
    const harness = startCore();
    await expect(
      harness.call('settings.setDefaults', { model: { provider: 'endpoint:gone', model: 'x' } }),
    ).rejects.toThrow(/settings.setDefaults failed/);
    await harness.call('settings.setDefaults', { replyLanguage: 'zh-Hans' });
    await harness.core.close();
    const restarted = startCore(harness.dataDir);
    expect(await restarted.call('settings.get', {})).toMatchObject({
      defaults: { model: null, replyLanguage: 'zh-Hans', params: null },
    });
  });
});
