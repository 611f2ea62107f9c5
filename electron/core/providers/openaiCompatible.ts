/**
 * Servers that speak OpenAI's chat-completions API (llama-server, vLLM, LM Studio, Ollama, and
 * hosted ones), over plain `fetch`. Shares the error mapping and the retry policy with Mistral.
 *
 * Continuing an interrupted reply: the API has no standard prefix field, so the partial reply is
 * sent as a trailing assistant message. llama-server carries such a message on (assistant
 * prefill), as do recent Ollama releases; a server that takes it as a finished turn (vLLM unless
 * told `continue_final_message`, OpenAI itself) writes a new reply instead, which is still appended
 * after the partial text. A repeat of the partial text at the start is removed either way.
 *
 * What is deliberately ignored in the stream: `tool_calls` deltas (Causerie sends no tools) and
 * `reasoning_content` (thinking text some servers stream beside the reply).
 */
import { CoreError } from '../coreError';
import type {
  ChatProvider,
  ChatRequest,
  GenerationParams,
  ModelInfo,
  ProviderChunk,
  ProviderMessage,
} from './chatProvider';
import { deltaText } from './deltaText';
import { IdleTimer } from './idleTimer';
import { continuedPrefix, withoutEchoedPrefix } from './prefixEcho';
import { errorDetail, ProviderError, redact } from './providerError';
import { streamWithRetries, type RetryOptions } from './retry';
import { readSseEvents } from './sse';
import { listOpenAiCompatibleModels } from './openaiCompatibleModels';
import {
  apiKeyOf,
  headersFor,
  httpFailure,
  normalizeBaseUrl,
  unreachable,
  type FailureContext,
  type FetchFn,
  type OpenAiCompatibleConfig,
} from './openaiCompatibleEndpoint';

// The endpoint's configuration and its model list live beside this file; importers of the
// provider find them here too.
export {
  normalizeBaseUrl,
  type FetchFn,
  type OpenAiCompatibleConfig,
} from './openaiCompatibleEndpoint';
export { listOpenAiCompatibleModels, type ListModelsOptions } from './openaiCompatibleModels';

export interface OpenAiCompatibleOptions {
  config: OpenAiCompatibleConfig;
  /** Read on every request (e.g. the key vault by endpoint id); wins over `config.apiKey`. */
  getApiKey?: () => string | null;
  /** Longest silence before the first token or between two chunks; 120 s (local models load slowly). */
  idleTimeoutMs?: number;
  retry?: RetryOptions;
  fetch?: FetchFn;
}

/** A {@link ChatProvider} that can also list the endpoint's models. */
export interface OpenAiCompatibleProvider extends ChatProvider {
  listModels(signal?: AbortSignal): Promise<ModelInfo[]>;
}

/** Streams chat from an OpenAI-compatible endpoint, with the shared retry policy. */
export function createOpenAiCompatibleProvider(
  options: OpenAiCompatibleOptions,
): OpenAiCompatibleProvider {
  const { config } = options;
  return {
    streamChat(request: ChatRequest): AsyncIterable<ProviderChunk> {
      const prefix = continuedPrefix(request.messages);
      return streamWithRetries(
        () => withoutEchoedPrefix(streamOnce(options, request), prefix),
        { signal: request.signal, providerName: config.name },
        options.retry,
      );
    },
    listModels(signal) {
      return listOpenAiCompatibleModels(config, {
        ...(options.getApiKey ? { getApiKey: options.getApiKey } : {}),
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(signal ? { signal } : {}),
      });
    },
  };
}

/** The request body: OpenAI's field names; `safePrompt` is Mistral's and is not sent. */
export function chatCompletionBody(
  model: string,
  messages: ProviderMessage[],
  params: GenerationParams | undefined,
): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model,
    // Only the standard fields: a continued reply is a plain trailing assistant message here.
    messages: messages.map(({ role, content }) => ({ role, content })),
    stream: true,
    stream_options: { include_usage: true },
  };
  if (params?.temperature !== undefined) body.temperature = params.temperature;
  if (params?.topP !== undefined) body.top_p = params.topP;
  if (params?.maxTokens !== undefined) body.max_tokens = params.maxTokens;
  if (params?.randomSeed !== undefined) body.seed = params.randomSeed;
  return body;
}

async function* streamOnce(
  options: OpenAiCompatibleOptions,
  request: ChatRequest,
): AsyncGenerator<ProviderChunk> {
  const { config } = options;
  const fetchFn = options.fetch ?? fetch;
  const apiKey = apiKeyOf(config, options.getApiKey);
  const base = normalizeBaseUrl(config.baseUrl);
  const idle = new IdleTimer(options.idleTimeoutMs ?? 120_000);
  const signal = AbortSignal.any([request.signal, idle.signal]);
  const context: FailureContext = { config, apiKey, userSignal: request.signal, idle: idle.signal };
  let finished = false;
  let responded = false;
  try {
    idle.restart();
    const response = await fetchFn(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        ...headersFor(apiKey, 'text/event-stream'),
        'content-type': 'application/json',
      },
      body: JSON.stringify(chatCompletionBody(request.model, request.messages, request.params)),
      signal,
    });
    if (!response.ok) throw await httpFailure(response, config, apiKey);
    responded = true;
    idle.restart();
    const contentType = response.headers.get('content-type') ?? '';
    if (!contentType.includes('text/event-stream')) {
      // The server ignored `stream: true` and sent the whole completion at once.
      yield* wholeCompletion(await response.text(), config.name);
      return;
    }
    if (!response.body) throw lostConnection(config.name, null);
    for await (const event of readSseEvents(response.body)) {
      // An abort that did not reach the HTTP body still ends the stream here.
      if (signal.aborted) break;
      idle.restart();
      if (event.data === '[DONE]') {
        finished = true;
        break;
      }
      const chunk = parseChunk(event.data, config.name, apiKey);
      for (const choice of chunk.choices) {
        const text = deltaText(choice.delta?.content);
        if (text) yield { type: 'text', text };
        if (choice.finish_reason) finished = true;
      }
      const usage = usageOf(chunk.usage);
      if (usage) yield usage;
    }
  } catch (error) {
    throw streamFailure(error, context, responded);
  } finally {
    idle.stop();
  }
  if (!finished && !request.signal.aborted) throw lostConnection(config.name, null);
}

interface StreamChunk {
  choices: { delta?: { content?: unknown }; finish_reason?: string | null }[];
  usage?: unknown;
}

function parseChunk(data: string, name: string, apiKey: string | null): StreamChunk {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    throw malformed(name, error);
  }
  if (!parsed || typeof parsed !== 'object') throw malformed(name, null);
  const record = parsed as Record<string, unknown>;
  if (record.error !== undefined) {
    // vLLM and Ollama report a failure after the 200 as an `error` event.
    const detail = redact(errorDetail(data), apiKey);
    throw new ProviderError(
      'PROVIDER_ERROR',
      `${name} reported an error while replying: ${detail}`,
      {
        retryable: true,
      },
    );
  }
  if (record.choices !== undefined && !Array.isArray(record.choices)) throw malformed(name, null);
  return {
    choices: (record.choices as StreamChunk['choices'] | undefined) ?? [],
    usage: record.usage,
  };
}

function usageOf(usage: unknown): ProviderChunk | null {
  if (!usage || typeof usage !== 'object') return null;
  const u = usage as Record<string, unknown>;
  const count = (value: unknown) =>
    typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value) : 0;
  const promptTokens = count(u.prompt_tokens);
  const completionTokens = count(u.completion_tokens);
  return {
    type: 'usage',
    usage: {
      promptTokens,
      completionTokens,
      totalTokens: count(u.total_tokens) || promptTokens + completionTokens,
    },
  };
}

function* wholeCompletion(body: string, name: string): Generator<ProviderChunk> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw malformed(name, error);
  }
  const record = (parsed ?? {}) as {
    choices?: { message?: { content?: unknown } }[];
    usage?: unknown;
  };
  const text = deltaText(record.choices?.[0]?.message?.content);
  if (text) yield { type: 'text', text };
  const usage = usageOf(record.usage);
  if (usage) yield usage;
}

function malformed(name: string, cause: unknown): ProviderError {
  return new ProviderError(
    'PROVIDER_ERROR',
    `${name} sent a malformed stream chunk. Any partial reply was kept.`,
    { retryable: true, cause },
  );
}

function lostConnection(name: string, cause: unknown): ProviderError {
  return new ProviderError(
    'NETWORK',
    `The connection to ${name} closed before the reply was finished. Any partial reply was kept.`,
    { retryClass: 'transient', cause },
  );
}

function streamFailure(error: unknown, context: FailureContext, responded: boolean): CoreError {
  if (context.userSignal.aborted) {
    return error instanceof CoreError && error.appError.code === 'CANCELLED'
      ? error
      : new CoreError('CANCELLED', 'Stopped.', { cause: error });
  }
  if (error instanceof CoreError) return error;
  const { name } = context.config;
  if (context.idle.aborted) {
    return new ProviderError(
      'TIMEOUT',
      `${name} stopped sending data for too long. Any partial reply was kept; try again.`,
      { retryable: true, cause: error },
    );
  }
  if (!responded) return unreachable(context.config, error);
  return lostConnection(name, error);
}
