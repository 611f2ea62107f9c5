/* eslint-disable max-lines -- The whole contract is one table on purpose: every method and event, its input and its output side by side, so that no channel is declared twice. */
import { z } from 'zod';
import { AppErrorSchema } from './errors';
import {
  BranchPositionSchema,
  ConversationSchema,
  FolderSchema,
  GenerationParamsSchema,
  IdSchema,
  MAX_MESSAGE_CHARS,
  MAX_SYSTEM_PROMPT_CHARS,
  MessageSchema,
  ModelRefSchema,
} from './domain';
import { ReplyLanguageCodeSchema } from './languages';

/** The largest export `import.json` accepts (a whole history of plain text fits easily). */
export const MAX_IMPORT_CHARS = 64 * 1024 * 1024;

const MessageTextSchema = z
  .string()
  .max(MAX_MESSAGE_CHARS)
  .refine((text) => text.trim().length > 0, 'The message is empty.');

const ConversationRefSchema = z.strictObject({ conversationId: IdSchema });

/** How many sidebar rows `conversations.page` answers when no limit is given. */
export const SIDEBAR_PAGE_SIZE = 100;

/** A list the sidebar pages through: live conversations outside any folder, one folder's, or the archive. */
export const SidebarListSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('unfiled') }),
  z.strictObject({ kind: z.literal('folder'), folderId: IdSchema }),
  z.strictObject({ kind: z.literal('archive') }),
]);
/** A list of the sidebar (see {@link SidebarListSchema}). */
export type SidebarList = z.infer<typeof SidebarListSchema>;

/** Where a page of a sidebar list ended: the last row's sort key (the archive ignores `pinned`). */
export const ConversationCursorSchema = z.strictObject({
  pinned: z.boolean(),
  updatedAt: z.number().int(),
  id: IdSchema,
});
/** A sidebar page's end (see {@link ConversationCursorSchema}). */
export type ConversationCursor = z.infer<typeof ConversationCursorSchema>;

/** The sizes of the sidebar lists; per folder, `shown` leaves out archived ones and `filed` does not. */
export const SidebarCountsSchema = z.object({
  live: z.number().int(),
  unfiled: z.number().int(),
  archived: z.number().int(),
  folders: z.record(IdSchema, z.object({ shown: z.number().int(), filed: z.number().int() })),
});
/** The sizes of the sidebar lists (see {@link SidebarCountsSchema}). */
export type SidebarCounts = z.infer<typeof SidebarCountsSchema>;

/** A model the picker can offer, with whether it can be used right now and why not. */
export const CatalogModelSchema = z.object({
  ref: ModelRefSchema,
  displayName: z.string(),
  contextLength: z.number().int().nullable(),
  capabilities: z.array(z.string()).nullable(),
  deprecated: z.object({ date: z.string(), replacement: z.string().nullable() }).nullable(),
});

/** One provider's models, grouped as the picker shows them. */
export const CatalogGroupSchema = z.object({
  provider: z.string(),
  name: z.string(),
  available: z.boolean(),
  /** Why nothing from this provider can be used now (no key, unreachable…), in English. */
  reason: z.string().nullable(),
  reasonCode: z.enum(['no-api-key', 'unreachable', 'key-rejected', 'error']).nullable(),
  models: z.array(CatalogModelSchema),
});

/** An OpenAI-compatible server the user added. */
export const EndpointSchema = z.object({
  id: z.string(),
  name: z.string(),
  baseUrl: z.string(),
  keyConfigured: z.boolean(),
});

/** One search hit; the snippet marks matches with U+E000 … U+E001. */
export const SearchHitSchema = z.object({
  messageId: IdSchema,
  conversationId: IdSchema,
  conversationTitle: z.string(),
  role: z.enum(['user', 'assistant', 'system']),
  snippet: z.string(),
  createdAt: z.number(),
});

/** How many messages of a thread are sent at a time: opening a 10,000-message conversation sends its last page. */
export const THREAD_PAGE_SIZE = 100;

/** A window of the visible thread: messages in order, and "‹ 2/3 ›" positions where there are several. */
const ThreadPageSchema = z.object({
  messages: z.array(MessageSchema),
  branches: z.record(IdSchema, BranchPositionSchema),
  /** How many messages of the thread come before the first one sent. */
  earlier: z.number().int().min(0),
});

/** What new conversations start with: null leaves the model to the app and the language on Auto. */
const ConversationDefaultsSchema = z.object({
  model: ModelRefSchema.nullable(),
  replyLanguage: ReplyLanguageCodeSchema.nullable(),
  params: GenerationParamsSchema.nullable(),
});

const ImportReportSchema = z.object({
  conversationsImported: z.number().int(),
  messagesImported: z.number().int(),
  foldersImported: z.number().int(),
  refused: z.array(z.object({ index: z.number().int(), reason: z.string() })),
});

/** Declares one request/response method of the contract. */
function method<I extends z.ZodType, O extends z.ZodType>(input: I, output: O) {
  return { input, output };
}

/**
 * Every method the renderer may call, declared once. Inputs are strict objects: unknown keys
 * (including `__proto__` and friends) are a validation error, not silently dropped.
 */
export const methods = {
  'settings.get': method(
    z.strictObject({}),
    z.object({
      mistral: z.object({
        keyConfigured: z.boolean(),
        keyLast4: z.string().nullable(),
        baseUrl: z.string(),
      }),
      defaultModel: ModelRefSchema,
      /**
       * Where keys live: the OS keychain, a 0600 file, or the environment; `plain-text-warning`
       * when the keychain only obfuscates (saving needs `acceptWeakStorage`), `unavailable` when
       * keys cannot be saved at all.
       */
      keyStorage: z.enum([
        'os-keychain',
        'file',
        'environment',
        'plain-text-warning',
        'unavailable',
      ]),
      /** Why the store was reset at start-up, if it was (the damaged file was kept). */
      storeRecovery: z.object({ movedTo: z.string(), reason: z.string() }).nullable(),
      dataDir: z.string(),
      /** Whether a new conversation's model writes its title after the first reply. */
      modelTitles: z.boolean(),
      /** What new conversations start with, as the user set it in Settings. */
      defaults: ConversationDefaultsSchema,
    }),
  ),
  'settings.setMistralKey': method(
    z.strictObject({
      key: z.string().max(500).nullable(),
      /** The user chose to store the key although it will only be obfuscated (see `keyStorage`). */
      acceptWeakStorage: z.boolean().optional(),
    }),
    z.object({ keyConfigured: z.boolean(), keyLast4: z.string().nullable() }),
  ),
  'settings.testMistralKey': method(z.strictObject({}), z.object({ models: z.number().int() })),

  'models.list': method(
    z.strictObject({ refresh: z.boolean().optional() }),
    z.object({ groups: z.array(CatalogGroupSchema) }),
  ),
  'endpoints.list': method(
    z.strictObject({}),
    z.object({
      endpoints: z.array(EndpointSchema),
      presets: z.array(z.object({ id: z.string(), name: z.string(), baseUrl: z.string() })),
    }),
  ),
  'endpoints.add': method(
    z.strictObject({
      name: z.string().trim().min(1).max(80),
      baseUrl: z.url({ protocol: /^https?$/ }).max(500),
      apiKey: z.string().max(500).nullable().optional(),
      /** As for `settings.setMistralKey`: the user chose to store the key obfuscated only. */
      acceptWeakStorage: z.boolean().optional(),
    }),
    EndpointSchema,
  ),
  'endpoints.remove': method(z.strictObject({ endpointId: z.string().max(80) }), z.object({})),
  'endpoints.test': method(
    z.strictObject({ endpointId: z.string().max(80) }),
    z.object({ models: z.number().int() }),
  ),

  'conversations.list': method(
    z.strictObject({ includeArchived: z.boolean().optional() }),
    z.object({ conversations: z.array(ConversationSchema) }),
  ),
  /** One page of a sidebar list (unfiled, one folder, or the archive); `next` is null on the last. */
  'conversations.page': method(
    z.strictObject({
      list: SidebarListSchema,
      before: ConversationCursorSchema.nullable().optional(),
      limit: z.number().int().min(1).max(500).optional(),
    }),
    z.object({
      conversations: z.array(ConversationSchema),
      next: ConversationCursorSchema.nullable(),
    }),
  ),
  /** How many conversations each sidebar list holds, so counts show before the pages load. */
  'conversations.counts': method(z.strictObject({}), SidebarCountsSchema),
  'conversations.create': method(
    z.strictObject({
      model: ModelRefSchema.optional(),
      replyLanguage: ReplyLanguageCodeSchema.nullable().optional(),
    }),
    ConversationSchema,
  ),
  /**
   * The conversation and the last page of its visible thread (the page is widened upward to
   * include `aroundMessageId`, a search hit, when it is on the thread).
   */
  'conversations.open': method(
    z.strictObject({ conversationId: IdSchema, aroundMessageId: IdSchema.optional() }),
    ThreadPageSchema.extend({ conversation: ConversationSchema }),
  ),
  /** The page of the thread just above `beforeMessageId`, when the user scrolls up. */
  'conversations.loadEarlier': method(
    z.strictObject({ beforeMessageId: IdSchema }),
    ThreadPageSchema,
  ),
  'conversations.rename': method(
    z.strictObject({ conversationId: IdSchema, title: z.string().trim().min(1).max(200) }),
    ConversationSchema,
  ),
  'conversations.update': method(
    z.strictObject({
      conversationId: IdSchema,
      model: ModelRefSchema.optional(),
      replyLanguage: ReplyLanguageCodeSchema.nullable().optional(),
      languageCorrection: z.enum(['auto', 'ask', 'off']).optional(),
      systemPrompt: z.string().max(MAX_SYSTEM_PROMPT_CHARS).nullable().optional(),
      params: GenerationParamsSchema.nullable().optional(),
      allowRemoteImages: z.boolean().optional(),
    }),
    ConversationSchema,
  ),
  'conversations.setPinned': method(
    z.strictObject({ conversationId: IdSchema, pinned: z.boolean() }),
    ConversationSchema,
  ),
  'conversations.setArchived': method(
    z.strictObject({ conversationId: IdSchema, archived: z.boolean() }),
    ConversationSchema,
  ),
  'conversations.moveToFolder': method(
    z.strictObject({ conversationId: IdSchema, folderId: IdSchema.nullable() }),
    ConversationSchema,
  ),
  /**
   * Deletes one message; the messages after it stay (they move up to its parent). Answers with the
   * thread's last page, as `conversations.open` does.
   */
  'messages.delete': method(z.strictObject({ messageId: IdSchema }), ThreadPageSchema),
  'conversations.trash': method(ConversationRefSchema, z.object({})),
  'conversations.restore': method(ConversationRefSchema, ConversationSchema),
  /** Shows the branch through a message, or through its previous / next sibling ("‹ 2/3 ›"). */
  'conversations.switchBranch': method(
    z.strictObject({ messageId: IdSchema, direction: z.enum(['previous', 'next']).optional() }),
    ThreadPageSchema,
  ),
  'trash.list': method(
    z.strictObject({}),
    z.object({ conversations: z.array(ConversationSchema) }),
  ),
  'trash.empty': method(
    z.strictObject({ olderThanDays: z.number().int().min(0).max(3650).optional() }),
    z.object({ purged: z.number().int() }),
  ),
  'folders.list': method(z.strictObject({}), z.object({ folders: z.array(FolderSchema) })),
  'folders.create': method(
    z.strictObject({ name: z.string().trim().min(1).max(100) }),
    FolderSchema,
  ),
  'folders.rename': method(
    z.strictObject({ folderId: IdSchema, name: z.string().trim().min(1).max(100) }),
    FolderSchema,
  ),
  'folders.delete': method(z.strictObject({ folderId: IdSchema }), z.object({})),

  'search.messages': method(
    z.strictObject({
      query: z.string().trim().min(1).max(500),
      conversationId: IdSchema.optional(),
      /** Only conversations filed in this folder. */
      folderId: IdSchema.optional(),
      role: z.enum(['user', 'assistant']).optional(),
      model: z.string().max(200).optional(),
      from: z.number().int().optional(),
      to: z.number().int().optional(),
      limit: z.number().int().min(1).max(200).optional(),
      /** Simplified and Traditional Chinese match each other (数据 finds 數據); off by default. */
      chineseVariants: z.boolean().optional(),
    }),
    z.object({ hits: z.array(SearchHitSchema) }),
  ),

  'export.json': method(
    z.strictObject({
      conversationIds: z.array(IdSchema).max(100_000).optional(),
      folderId: IdSchema.optional(),
    }),
    z.object({ fileName: z.string(), json: z.string() }),
  ),
  'export.markdown': method(
    ConversationRefSchema,
    z.object({ fileName: z.string(), markdown: z.string() }),
  ),
  'import.json': method(
    z.strictObject({ json: z.string().max(MAX_IMPORT_CHARS) }),
    ImportReportSchema,
  ),

  /**
   * A remote image from a reply, fetched by the core for the page (whose CSP allows no remote
   * source) after the user asked for it: http(s) only, raster formats, at most 8 MB.
   */
  'images.fetch': method(
    z.strictObject({ url: z.string().min(1).max(8_000) }),
    z.object({ dataUrl: z.string(), bytes: z.number().int() }),
  ),

  'backups.list': method(
    z.strictObject({}),
    z.object({
      backups: z.array(z.object({ name: z.string(), size: z.number(), createdAt: z.number() })),
    }),
  ),
  'backups.create': method(z.strictObject({}), z.object({ name: z.string() })),
  'backups.restore': method(
    z.strictObject({ name: z.string().regex(/^causerie-\d{4}-\d{2}-\d{2}\.db$/) }),
    z.object({ restored: z.string() }),
  ),

  'local.status': method(
    z.strictObject({}),
    z.object({
      modelsDir: z.string(),
      hardware: z.object({
        totalMemoryBytes: z.number(),
        freeMemoryBytes: z.number(),
        cpuCount: z.number(),
      }),
      catalogue: z.array(
        z.object({
          id: z.string(),
          name: z.string(),
          fileName: z.string(),
          sizeBytes: z.number(),
          licence: z.string(),
          contextLength: z.number(),
          parameterCount: z.number(),
          verified: z.boolean(),
          downloaded: z.boolean(),
          downloading: z.boolean(),
          partialBytes: z.number().nullable(),
          memoryNeededBytes: z.number(),
          fits: z.boolean(),
          fitMessage: z.string().nullable(),
        }),
      ),
      models: z.array(
        z.object({
          fileName: z.string(),
          sizeBytes: z.number(),
          architecture: z.string().nullable(),
          contextLength: z.number().nullable(),
          parameterCount: z.number().nullable(),
          error: z.string().nullable(),
        }),
      ),
    }),
  ),
  'local.download': method(z.strictObject({ catalogueId: z.string().max(100) }), z.object({})),
  'local.pauseDownload': method(z.strictObject({ catalogueId: z.string().max(100) }), z.object({})),
  'local.cancelDownload': method(
    z.strictObject({ catalogueId: z.string().max(100) }),
    z.object({}),
  ),
  'local.delete': method(
    z.strictObject({ fileName: z.string().regex(/^[^/\\]{1,200}\.gguf$/i) }),
    z.object({}),
  ),

  'chat.send': method(
    z.strictObject({ conversationId: IdSchema, text: MessageTextSchema }),
    z.object({ streamId: IdSchema, userMessage: MessageSchema, assistantMessage: MessageSchema }),
  ),
  'chat.edit': method(
    z.strictObject({ messageId: IdSchema, text: MessageTextSchema }),
    z.object({ streamId: IdSchema, userMessage: MessageSchema, assistantMessage: MessageSchema }),
  ),
  'chat.regenerate': method(
    z.strictObject({ messageId: IdSchema, strongLanguageRule: z.boolean().optional() }),
    z.object({ streamId: IdSchema, assistantMessage: MessageSchema }),
  ),
  'chat.cancel': method(
    z.strictObject({ streamId: IdSchema }),
    z.object({ cancelled: z.boolean() }),
  ),

  // Continuing replies and model-written titles.
  /**
   * Carries on writing a reply that stopped part-way (stopped, interrupted, failed) in the same
   * message: its text is kept and the new text streams after it, with the usual stream events.
   */
  'chat.continue': method(
    z.strictObject({ messageId: IdSchema }),
    z.object({ streamId: IdSchema, assistantMessage: MessageSchema }),
  ),
  /** Turns model-written titles for new conversations on or off (off: the first words). */
  'settings.setModelTitles': method(
    z.strictObject({ enabled: z.boolean() }),
    z.object({ modelTitles: z.boolean() }),
  ),
  /** The page's interface language, which Auto falls back on when a message says too little. */
  'settings.setUiLanguage': method(
    z.strictObject({ uiLanguage: ReplyLanguageCodeSchema }),
    z.object({ uiLanguage: ReplyLanguageCodeSchema }),
  ),
  /** Sets what new conversations start with; a key left out keeps its value, null clears it. */
  'settings.setDefaults': method(
    z.strictObject({
      model: ModelRefSchema.nullable().optional(),
      replyLanguage: ReplyLanguageCodeSchema.nullable().optional(),
      params: GenerationParamsSchema.nullable().optional(),
    }),
    ConversationDefaultsSchema,
  ),
} as const;

/** Declares one event the main side pushes to the page that started it. */
function event<P extends z.ZodType>(payload: P) {
  return { payload };
}

/**
 * Every event the main side may push. A stream sends `chat.delta` events in `seq` order and then
 * exactly one of `chat.done`, `chat.error` or `chat.cancelled`.
 */
export const events = {
  'chat.delta': event(
    z.object({ streamId: IdSchema, seq: z.number().int().nonnegative(), text: z.string() }),
  ),
  'chat.done': event(
    z.object({
      streamId: IdSchema,
      message: MessageSchema,
      /** Oldest turns left out so the request fit the model's context. */
      droppedTurns: z.number().int().nonnegative(),
    }),
  ),
  /** The main side started a reply on its own: a language correction, shown in place of `replaces`. */
  'chat.started': event(
    z.object({
      streamId: IdSchema,
      message: MessageSchema,
      replaces: IdSchema,
      reason: z.literal('language-correction'),
    }),
  ),
  /** A model download moved on: progress, or how it ended. */
  'local.download': event(
    z.object({
      catalogueId: z.string(),
      fileName: z.string(),
      status: z.enum(['downloading', 'complete', 'paused', 'cancelled', 'error']),
      receivedBytes: z.number(),
      totalBytes: z.number().nullable(),
      bytesPerSecond: z.number(),
      etaSeconds: z.number().nullable(),
      error: AppErrorSchema.nullable(),
    }),
  ),
  /** The local runtime is loading (with progress 0–1), ready, unloaded or crashed. */
  'local.runtime': event(
    z.object({
      state: z.enum(['loading', 'loaded', 'unloaded', 'crashed']),
      progress: z.number(),
    }),
  ),
  /** The model catalogue changed (a refresh finished, a key was added). */
  'models.changed': event(z.object({})),
  'chat.error': event(
    z.object({ streamId: IdSchema, message: MessageSchema, error: AppErrorSchema }),
  ),
  'chat.cancelled': event(z.object({ streamId: IdSchema, message: MessageSchema })),

  // Model-written titles.
  /**
   * A conversation changed on the main side's own initiative (its model wrote its title); sent to
   * every page.
   */
  'conversations.changed': event(z.object({ conversation: ConversationSchema })),
  /** A conversation left every sidebar list (moved to the trash); sent to every page. */
  'conversations.removed': event(z.object({ conversationId: IdSchema })),
} as const;

/** The name of a contract method, e.g. `conversations.list`. */
export type MethodName = keyof typeof methods;
/** The validated input of a method. */
export type MethodInput<M extends MethodName> = z.infer<(typeof methods)[M]['input']>;
/** The output of a method. */
export type MethodOutput<M extends MethodName> = z.infer<(typeof methods)[M]['output']>;
/** The name of a contract event, e.g. `chat.delta`. */
export type EventName = keyof typeof events;
/** The payload of an event. */
export type EventPayload<E extends EventName> = z.infer<(typeof events)[E]['payload']>;
/** Any event with its payload, as transports carry it. */
export type AnyEvent = { [E in EventName]: { name: E; payload: EventPayload<E> } }[EventName];

/** All method names, for transports that must refuse anything else. */
export const METHOD_NAMES = Object.keys(methods) as MethodName[];
/** All event names. */
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** Narrows an arbitrary string to a method name without trusting the prototype chain. */
export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.hasOwn(methods, name);
}

/** Narrows an arbitrary string to an event name. */
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

/** The Electron IPC channel that carries every method call. */
export const IPC_INVOKE_CHANNEL = 'causerie:invoke';
/** The Electron IPC channel that carries every event. */
export const IPC_EVENT_CHANNEL = 'causerie:event';
/** The name under which the preload exposes its one object on `window`. */
export const PRELOAD_GLOBAL = 'causerie';

/** What the preload exposes: invoke a contract method, subscribe to contract events. */
export interface PreloadBridge {
  invoke(method: MethodName, input: unknown): Promise<unknown>;
  onEvent(listener: (event: AnyEvent) => void): () => void;
}

/** Frames exchanged over the browser host's WebSocket. */
export const WsClientFrameSchema = z.strictObject({
  id: z.number().int().nonnegative(),
  method: z.string().max(100),
  input: z.unknown(),
});
/** A call from the page to the browser host. */
export type WsClientFrame = z.infer<typeof WsClientFrameSchema>;
/** A frame from the browser host to the page: a call's result or a pushed event. */
export type WsServerFrame =
  { type: 'result'; id: number | null; result: unknown } | { type: 'event'; event: AnyEvent };
