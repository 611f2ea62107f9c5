import type { Usage } from '../../../shared/domain';

/** A turn of the history as providers receive it. */
export interface ProviderMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** One streamed chat request. Aborting `signal` must end the stream promptly. */
export interface ChatRequest {
  model: string;
  messages: ProviderMessage[];
  signal: AbortSignal;
}

/** What a provider yields while it streams. */
export type ProviderChunk = { type: 'text'; text: string } | { type: 'usage'; usage: Usage };

/**
 * An engine that streams replies. It throws `CoreError` with a precise code (PROVIDER_AUTH,
 * RATE_LIMITED, NETWORK, …) when the request fails or the stream breaks.
 */
export interface ChatProvider {
  streamChat(request: ChatRequest): AsyncIterable<ProviderChunk>;
}
