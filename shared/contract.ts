import { z } from 'zod';
import { AppErrorSchema } from './errors';
import {
  ConversationSchema,
  IdSchema,
  MAX_MESSAGE_CHARS,
  MessageSchema,
  ModelRefSchema,
} from './domain';

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
      models: z.array(ModelRefSchema),
    }),
  ),
  'conversations.list': method(
    z.strictObject({}),
    z.object({ conversations: z.array(ConversationSchema) }),
  ),
  'conversations.create': method(
    z.strictObject({ model: ModelRefSchema.optional() }),
    ConversationSchema,
  ),
  'conversations.open': method(
    z.strictObject({ conversationId: IdSchema }),
    z.object({ conversation: ConversationSchema, messages: z.array(MessageSchema) }),
  ),
  'chat.send': method(
    z.strictObject({
      conversationId: IdSchema,
      text: z
        .string()
        .max(MAX_MESSAGE_CHARS)
        .refine((text) => text.trim().length > 0, 'The message is empty.'),
    }),
    z.object({ streamId: IdSchema, userMessage: MessageSchema, assistantMessage: MessageSchema }),
  ),
  'chat.cancel': method(
    z.strictObject({ streamId: IdSchema }),
    z.object({ cancelled: z.boolean() }),
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
  'chat.done': event(z.object({ streamId: IdSchema, message: MessageSchema })),
  'chat.error': event(
    z.object({ streamId: IdSchema, message: MessageSchema, error: AppErrorSchema }),
  ),
  'chat.cancelled': event(z.object({ streamId: IdSchema, message: MessageSchema })),
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
