// The conversation rules every service and handler shares: which conversations may be used, and which model a new one gets.
import type { Conversation, ModelRef } from '../../../shared/domain';
import { CoreError } from '../coreError';
import type { ResolvedModel } from '../providers/chatProvider';
import type { AppSettingsStore } from '../settings/appSettings';
import type { Db } from '../store/openDatabase';
import { findConversation } from '../store/repos/conversations';

export interface ConversationRulesOptions {
  /** The live connection (read on each use: a restore from backup replaces it). */
  db: () => Db;
  /** Finds the provider for a model, or throws a CoreError saying why it cannot be used. */
  resolveModel: (model: ModelRef) => ResolvedModel;
  settings: AppSettingsStore;
  /** The model from the environment (`CAUSERIE_DEFAULT_MODEL`) when Settings names none. */
  defaultModel: ModelRef;
}

/** Which conversations may be used, and the default model; one place for both rules. */
export function createConversationRules(options: ConversationRulesOptions) {
  const { db } = options;

  /** The conversation, unless it is gone or in the trash. */
  function findLive(conversationId: string): Conversation | null {
    const conversation = findConversation(db(), conversationId);
    return conversation && conversation.deletedAt === null ? conversation : null;
  }

  /** Like {@link findLive}, for a request about the conversation: a missing one is NOT_FOUND. */
  function requireLive(conversationId: string): Conversation {
    const conversation = findLive(conversationId);
    if (!conversation) throw new CoreError('NOT_FOUND', 'This conversation no longer exists.');
    return conversation;
  }

  /** The default model from Settings, unless it can no longer run (its server was removed, say). */
  function usableSettingsDefault(): ModelRef | undefined {
    const model = options.settings.get().defaults.model;
    if (!model) return undefined;
    try {
      options.resolveModel(model);
      return model;
    } catch {
      return undefined;
    }
  }

  return {
    findLive,
    requireLive,
    /** The default model as Settings shows it: the one chosen there, else the environment's. */
    configuredDefaultModel(): ModelRef {
      return options.settings.get().defaults.model ?? options.defaultModel;
    },
    /**
     * The model a new conversation gets: the one asked for, else a default that can run. Throws
     * a CoreError when that model cannot be used, before anything is written.
     */
    modelForNewConversation(requested: ModelRef | undefined): ModelRef {
      const model = requested ?? usableSettingsDefault() ?? options.defaultModel;
      options.resolveModel(model);
      return model;
    },
  };
}

/** The conversation rules' shape. */
export type ConversationRules = ReturnType<typeof createConversationRules>;
