import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AnyEvent } from '../../shared/contract';
import type { Conversation } from '../../shared/domain';
import { createChatService } from './chat/chatService';
import { MISTRAL_MODELS, type EnvironmentConfig } from './config';
import { CoreError } from './coreError';
import { createDispatcher, type Dispatch, type HandlerTable } from './ipc/dispatcher';
import type { Logger } from './logger';
import type { ChatProvider } from './providers/chatProvider';
import { createMistralProvider } from './providers/mistral';
import { describeKey, type KeyVault } from './settings/keyVault';
import { openDatabase } from './store/openDatabase';
import {
  findActiveLeafId,
  findConversation,
  insertConversation,
  listConversations,
} from './store/repos/conversations';
import { listPathToLeaf, markStreamingMessagesInterrupted } from './store/repos/messages';

/** The file name of the conversation store inside the data folder. */
export const DATABASE_FILE_NAME = 'causerie.db';

export interface CoreOptions extends EnvironmentConfig {
  dataDir: string;
  keyVault: KeyVault;
  logger: Logger;
  /** Replaces the real providers; tests use it to inject failures at chosen points. */
  providers?: Partial<Record<'mistral', ChatProvider>>;
}

/** Everything the main process does, with no dependency on Electron. */
export interface Core {
  dispatch: Dispatch;
  /** Registers a page; its events go to `deliver`. Returns the client id to pass to `dispatch`. */
  connectClient(deliver: (event: AnyEvent) => void): string;
  /** The page is gone: forget it and cancel the streams it started. */
  disconnectClient(clientId: string): void;
  /** Cancels every stream, waits for partial replies to be saved, and closes the store. */
  close(): Promise<void>;
}

/** Opens the store in `dataDir`, recovers interrupted replies and wires the contract handlers. */
export function createCore(options: CoreOptions): Core {
  const { logger, keyVault } = options;
  mkdirSync(options.dataDir, { recursive: true });
  const db = openDatabase(path.join(options.dataDir, DATABASE_FILE_NAME));
  const interrupted = markStreamingMessagesInterrupted(db, Date.now());
  if (interrupted > 0) logger.warn('store.recovered_interrupted_replies', { count: interrupted });

  const clients = new Map<string, (event: AnyEvent) => void>();
  const mistral =
    options.providers?.mistral ??
    createMistralProvider({
      getApiKey: () => keyVault.get('mistral'),
      baseUrl: options.mistralBaseUrl,
    });

  const chat = createChatService({
    db,
    providers: { mistral },
    logger,
    emit(clientId, event) {
      const deliver = clients.get(clientId);
      if (!deliver) return;
      try {
        deliver(event);
      } catch (error) {
        logger.error('event.delivery_failed', { event: event.name, error });
      }
    },
  });

  const handlers: HandlerTable = {
    'settings.get': () => {
      const key = describeKey(keyVault.get('mistral'));
      return {
        mistral: {
          keyConfigured: key.configured,
          keyLast4: key.last4,
          baseUrl: options.mistralBaseUrl,
        },
        defaultModel: options.defaultModel,
        models: MISTRAL_MODELS.map((model) => ({ provider: 'mistral' as const, model })),
      };
    },
    'conversations.list': () => ({ conversations: listConversations(db) }),
    'conversations.create': (input) => {
      const now = Date.now();
      const conversation: Conversation = {
        id: randomUUID(),
        title: '',
        model: input.model ?? options.defaultModel,
        createdAt: now,
        updatedAt: now,
      };
      insertConversation(db, conversation);
      return conversation;
    },
    'conversations.open': ({ conversationId }) => {
      const conversation = findConversation(db, conversationId);
      if (!conversation) throw new CoreError('NOT_FOUND', 'This conversation no longer exists.');
      const leaf = findActiveLeafId(db, conversationId);
      return { conversation, messages: leaf ? listPathToLeaf(db, leaf) : [] };
    },
    'chat.send': (input, context) => chat.send(context.clientId, input),
    'chat.cancel': ({ streamId }, context) => ({
      cancelled: chat.cancel(context.clientId, streamId),
    }),
  };
  const dispatch = createDispatcher(handlers, logger);

  let closed = false;
  return {
    dispatch,
    connectClient(deliver) {
      const clientId = randomUUID();
      clients.set(clientId, deliver);
      return clientId;
    },
    disconnectClient(clientId) {
      clients.delete(clientId);
      chat.cancelClientStreams(clientId);
    },
    async close() {
      if (closed) return;
      closed = true;
      await chat.close();
      db.close();
    },
  };
}
