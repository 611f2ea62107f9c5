/**
 * Messages between the main process and the local-model worker. Both sides validate what they
 * receive: the worker is a separate program that may be older, newer or half-dead.
 */
import { z } from 'zod';

const ErrorDataSchema = z.object({
  code: z.enum(['MODEL_LOAD', 'VALIDATION', 'INTERNAL']),
  message: z.string(),
});

/** Settings the worker loads a model with; the parent chooses them (see hardware.ts). */
export const LoadSettingsSchema = z.object({
  modelPath: z.string().min(1),
  contextSize: z.number().int().min(64),
  gpuLayers: z.number().int().min(0),
  threads: z.number().int().min(1),
  batchSize: z.number().int().min(1).optional(),
  /** Conversations whose evaluated tokens stay cached (one context sequence each). */
  cachedConversations: z.number().int().min(1).max(16),
  /** Off only for measurements: every turn then evaluates its whole prompt. */
  reuseCache: z.boolean(),
});
/** Settings the worker loads a model with. */
export type LoadSettings = z.infer<typeof LoadSettingsSchema>;

const ChatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string(),
});

/** Parent → worker. */
export const ToWorkerSchema = z.discriminatedUnion('type', [
  /** First message: which GPU backend to try ('auto' or none). */
  z.object({ type: z.literal('init'), gpu: z.enum(['auto', 'off']) }),
  z.object({ type: z.literal('load'), settings: LoadSettingsSchema }),
  z.object({
    type: z.literal('generate'),
    requestId: z.string(),
    conversationId: z.string().nullable(),
    messages: z.array(ChatMessageSchema).min(1),
    maxTokens: z.number().int().min(1),
    temperature: z.number().min(0),
    topP: z.number().min(0).max(1).nullable(),
    seed: z.number().int().nullable(),
  }),
  z.object({ type: z.literal('abort'), requestId: z.string() }),
  /** Dispose the context and model, then exit. */
  z.object({ type: z.literal('shutdown') }),
]);
/** Parent → worker. */
export type ToWorker = z.infer<typeof ToWorkerSchema>;

/** What the worker found out about the machine through llama.cpp. */
export const WorkerHardwareSchema = z.object({
  gpu: z.string().nullable(),
  gpuDeviceNames: z.array(z.string()),
  vramTotalBytes: z.number().nonnegative(),
  vramFreeBytes: z.number().nonnegative(),
  cpuMathCores: z.number().int().nonnegative(),
});
/** What the worker found out about the machine through llama.cpp. */
export type WorkerHardware = z.infer<typeof WorkerHardwareSchema>;

/** Per-turn figures: how much of the prompt came from the cache, speed, trimming. */
export const TurnStatsSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  /** Prompt tokens already in the KV cache from an earlier turn. */
  reusedPromptTokens: z.number().int().nonnegative(),
  /** Tokens llama.cpp actually evaluated for the prompt this turn. */
  evaluatedPromptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  /** Oldest messages left out because the history did not fit the context. */
  droppedMessages: z.number().int().nonnegative(),
  timeToFirstTokenMs: z.number().nonnegative(),
  generationMs: z.number().nonnegative(),
  stopReason: z.string(),
});
/** Per-turn figures. */
export type TurnStats = z.infer<typeof TurnStatsSchema>;

/** Worker → parent. */
export const FromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('hello'), hardware: WorkerHardwareSchema }),
  z.object({ type: z.literal('loadProgress'), progress: z.number().min(0).max(1) }),
  z.object({
    type: z.literal('loaded'),
    contextSize: z.number().int(),
    gpuLayers: z.number().int(),
    chatWrapper: z.string(),
    loadMs: z.number(),
  }),
  z.object({ type: z.literal('loadFailed'), error: ErrorDataSchema }),
  z.object({ type: z.literal('text'), requestId: z.string(), text: z.string() }),
  z.object({ type: z.literal('done'), requestId: z.string(), stats: TurnStatsSchema }),
  z.object({ type: z.literal('failed'), requestId: z.string(), error: ErrorDataSchema }),
]);
/** Worker → parent. */
export type FromWorker = z.infer<typeof FromWorkerSchema>;
