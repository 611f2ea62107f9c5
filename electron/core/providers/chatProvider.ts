import type { Usage } from '../../../shared/domain';

/** A turn of the history as providers receive it. */
export interface ProviderMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
  /**
   * Only on a last, assistant message: the start of the reply being written, which the model must
   * carry on from (resuming an interrupted reply) rather than answer anew. Providers yield only the
   * new text, never this prefix again.
   */
  prefix?: true;
}

/**
 * Sampling settings for one request; any field left out uses the server's default. Providers pass
 * on what their API understands and drop the rest (`safePrompt` is Mistral's own).
 */
export interface GenerationParams {
  temperature?: number;
  topP?: number;
  maxTokens?: number;
  randomSeed?: number;
  /** Mistral only: prepend Mistral's safety system prompt. */
  safePrompt?: boolean;
}

/** One streamed chat request. Aborting `signal` must end the stream promptly. */
export interface ChatRequest {
  model: string;
  messages: ProviderMessage[];
  signal: AbortSignal;
  params?: GenerationParams;
}

/**
 * What a provider yields while it streams. Tool-call deltas are not surfaced: Causerie sends no
 * tools, so a model that calls one anyway ends its reply with whatever text it streamed.
 */
export type ProviderChunk = { type: 'text'; text: string } | { type: 'usage'; usage: Usage };

/**
 * An engine that streams replies. It throws `CoreError` with a precise code (PROVIDER_AUTH,
 * RATE_LIMITED, NETWORK, …) when the request fails or the stream breaks.
 */
export interface ChatProvider {
  streamChat(request: ChatRequest): AsyncIterable<ProviderChunk>;
}

/** What a model can do, as far as its server says. */
export type ModelCapability =
  | 'chat'
  | 'vision'
  | 'functionCalling'
  | 'reasoning'
  | 'fim'
  | 'ocr'
  | 'classification'
  | 'moderation'
  | 'audio'
  | 'fineTuning';

/** One model a provider offers, in a shape that does not depend on the provider. */
export interface ModelInfo {
  /** `'mistral'`, or the id of the OpenAI-compatible endpoint that lists it. */
  provider: string;
  /** What requests send as `model`. */
  id: string;
  displayName: string;
  /** Tokens of prompt plus reply the model accepts; null when the server does not say. */
  contextLength: number | null;
  /** Null when the server does not say (OpenAI-compatible servers); then assume chat. */
  capabilities: ModelCapability[] | null;
  description?: string;
  /** Other ids the server accepts for the same model. */
  aliases?: string[];
  /** Set when the provider has announced the model's retirement. */
  deprecated?: {
    /** ISO 8601: when the model stops answering. */
    date: string;
    /** The model the provider suggests instead, if it names one. */
    replacement: string | null;
  };
}

/**
 * How a model's chat template takes instructions: cloud models have a system role; Mistral 7B
 * Instruct v0.2 ([INST] … [/INST]) has none, so instructions must travel inside user turns.
 */
export type TemplateKind = 'system-role' | 'no-system-role';

/** How a model is reached, and what it can take. */
export interface ResolvedModel {
  provider: ChatProvider;
  /** Tokens of context; null when unknown (a conservative default applies). */
  contextLength: number | null;
  /** Where a reply-language rule must go for this model's chat template. */
  templateKind: TemplateKind;
}

/** The local llama.cpp runtime, as the model registry needs it. */
export interface LocalModels {
  provider: ChatProvider;
  /** The models on disk, as catalogue entries (provider `local`). */
  list(): Promise<ModelInfo[]>;
  /** Where a reply-language rule goes for this model's template. */
  templateKind(model: string): TemplateKind;
}

/** Models a chat can use: those that say they chat, and those whose server does not say. */
export function isChatModel(model: ModelInfo): boolean {
  return model.capabilities === null || model.capabilities.includes('chat');
}
