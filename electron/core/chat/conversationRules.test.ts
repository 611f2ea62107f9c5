import { afterEach, describe, expect, it } from 'vitest';
import type { ModelRef } from '../../../shared/domain';
import { addConversation, memoryDb, removeTempDirs, tempDir } from '../../../testing/store';
import { CoreError } from '../coreError';
import { createMemoryLogger } from '../logger';
import type { ChatProvider, ResolvedModel } from '../providers/chatProvider';
import { createAppSettingsStore } from '../settings/appSettings';
import { trashConversation } from '../store/repos/conversations';
import { createConversationRules } from './conversationRules';

afterEach(removeTempDirs);

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
