import { Mistral } from '@mistralai/mistralai';
import type { BaseModelCard, FTModelCard } from '@mistralai/mistralai/models/components';
import * as SdkErrors from '@mistralai/mistralai/models/errors';
import { CoreError } from '../coreError';
import type {
  ChatProvider,
  ChatRequest,
  GenerationParams,
  ModelCapability,
  ModelInfo,
  ProviderChunk,
  ProviderMessage,
} from './chatProvider';
import { deltaText } from './deltaText';
import { IdleTimer } from './idleTimer';
import { continuedPrefix, withoutEchoedPrefix } from './prefixEcho';
import { errorDetail, httpStatusError, ProviderError, redact } from './providerError';
import { parseRetryAfter, streamWithRetries, type RetryOptions } from './retry';

/** Where La Plateforme lives unless MISTRAL_BASE_URL or settings say otherwise. */
export const MISTRAL_DEFAULT_BASE_URL = 'https://api.mistral.ai';

const NAME = 'Mistral';
const AUTH_HINT = 'Check MISTRAL_API_KEY and that the key is still active.';

export interface MistralProviderOptions {
  /** Read on every request so a key added in settings applies without a restart. */
  getApiKey: () => string | null;
  baseUrl: string;
  /** Longest silence allowed before the first token or between two chunks. */
  idleTimeoutMs?: number;
  /** Our retry policy (the SDK's own retries are always off); tests inject `sleep` and `random`. */
  retry?: RetryOptions;
}

/**
 * Mistral's chat API through the official SDK, with the SDK's own retries turned off and ours
 * ({@link streamWithRetries}) in their place.
 */
export function createMistralProvider(options: MistralProviderOptions): ChatProvider {
  return {
    streamChat(request: ChatRequest): AsyncIterable<ProviderChunk> {
      // A continuation's echoed prefix is removed per attempt, so a retry never repeats it.
      const prefix = continuedPrefix(request.messages);
      return streamWithRetries(
        () => withoutEchoedPrefix(streamOnce(options, request), prefix),
        { signal: request.signal, providerName: NAME },
        options.retry,
      );
    },
  };
}

async function* streamOnce(
  options: MistralProviderOptions,
  request: ChatRequest,
): AsyncGenerator<ProviderChunk> {
  const apiKey = requireKey(options.getApiKey());
  const client = newClient(apiKey, options.baseUrl);
  const idle = new IdleTimer(options.idleTimeoutMs ?? 60_000);
  const signal = AbortSignal.any([request.signal, idle.signal]);
  let finished = false;
  try {
    idle.restart();
    const stream = await client.chat.stream(
      {
        model: request.model,
        messages: request.messages.map(toSdkMessage),
        ...sdkParams(request.params),
      },
      { signal, retries: { strategy: 'none' } },
    );
    for await (const event of stream) {
      // An abort that did not reach the HTTP body still ends the stream here.
      if (signal.aborted) break;
      idle.restart();
      const chunk = event.data;
      for (const choice of chunk.choices) {
        // Tool-call deltas are dropped on purpose: see ProviderChunk.
        const text = deltaText(choice.delta.content);
        if (text) yield { type: 'text', text };
        if (choice.finishReason) finished = true;
      }
      if (chunk.usage) {
        yield {
          type: 'usage',
          usage: {
            promptTokens: chunk.usage.promptTokens ?? 0,
            completionTokens: chunk.usage.completionTokens ?? 0,
            totalTokens: chunk.usage.totalTokens ?? 0,
          },
        };
      }
    }
  } catch (error) {
    throw toCoreError(error, request.signal, idle.signal, apiKey);
  } finally {
    idle.stop();
  }
  if (!finished && !request.signal.aborted) {
    throw new ProviderError(
      'NETWORK',
      'The connection to Mistral closed before the reply was finished. The partial reply was kept.',
      { retryClass: 'transient' },
    );
  }
}

export interface MistralListOptions {
  getApiKey: () => string | null;
  baseUrl: string;
  signal?: AbortSignal;
  /** Gives up on the list after this long; 15 s unless set. */
  timeoutMs?: number;
}

/**
 * Every model the key may use (`GET /v1/models`), chat or not; filter with `isChatModel`.
 * Archived fine-tunes and cards of a type the SDK does not know are left out. Throws
 * `CoreError`: NOT_CONFIGURED without a key, PROVIDER_AUTH, NETWORK, TIMEOUT, …
 */
export async function listMistralModels(options: MistralListOptions): Promise<ModelInfo[]> {
  const apiKey = requireKey(options.getApiKey());
  const client = newClient(apiKey, options.baseUrl);
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  const userSignal = options.signal ?? new AbortController().signal;
  try {
    const list = await client.models.list(undefined, {
      signal: AbortSignal.any([userSignal, timeout]),
      retries: { strategy: 'none' },
    });
    const models: ModelInfo[] = [];
    for (const card of list.data ?? []) {
      if ('isUnknown' in card) continue;
      if (card.type === 'fine-tuned' && card.archived) continue;
      models.push(toModelInfo(card));
    }
    return models;
  } catch (error) {
    throw toCoreError(error, userSignal, timeout, apiKey);
  }
}

function toModelInfo(card: BaseModelCard | FTModelCard): ModelInfo {
  const info: ModelInfo = {
    provider: 'mistral',
    id: card.id,
    // The card's `name` is the dated model behind an alias, so several cards share one: the id
    // is what tells them apart in a picker.
    displayName: card.id,
    contextLength: card.maxContextLength,
    capabilities: capabilitiesOf(card.capabilities),
  };
  if (card.description) info.description = card.description;
  if (card.aliases?.length) info.aliases = card.aliases;
  if (card.deprecation) {
    info.deprecated = {
      date: card.deprecation.toISOString(),
      replacement: card.deprecationReplacementModel ?? null,
    };
  }
  return info;
}

function capabilitiesOf(caps: BaseModelCard['capabilities']): ModelCapability[] {
  const flags: [boolean, ModelCapability][] = [
    [caps.completionChat, 'chat'],
    [caps.vision, 'vision'],
    [caps.functionCalling, 'functionCalling'],
    [caps.reasoning, 'reasoning'],
    [caps.completionFim, 'fim'],
    [caps.ocr, 'ocr'],
    [caps.classification, 'classification'],
    [caps.moderation, 'moderation'],
    [caps.audio || caps.audioTranscription || caps.audioSpeech, 'audio'],
    [caps.fineTuning, 'fineTuning'],
  ];
  return flags.filter(([on]) => on).map(([, name]) => name);
}

function requireKey(apiKey: string | null): string {
  if (!apiKey) {
    throw new CoreError(
      'NOT_CONFIGURED',
      'No Mistral API key is set. Set the MISTRAL_API_KEY environment variable and restart Causerie.',
    );
  }
  return apiKey;
}

function newClient(apiKey: string, baseUrl: string): Mistral {
  return new Mistral({ apiKey, serverURL: baseUrl, retryConfig: { strategy: 'none' } });
}

/**
 * One message as the SDK sends it. A reply being continued goes as Mistral's prefix message
 * (`{role: 'assistant', content, prefix: true}`): the model starts its answer with that text.
 */
function toSdkMessage(message: ProviderMessage) {
  if (message.role === 'assistant' && message.prefix) {
    return { role: 'assistant' as const, content: message.content, prefix: true };
  }
  return { role: message.role, content: message.content };
}

/** Only the fields that are set, so the server's defaults apply to the rest. */
function sdkParams(params: GenerationParams | undefined): GenerationParams {
  const out: GenerationParams = {};
  if (!params) return out;
  if (params.temperature !== undefined) out.temperature = params.temperature;
  if (params.topP !== undefined) out.topP = params.topP;
  if (params.maxTokens !== undefined) out.maxTokens = params.maxTokens;
  if (params.randomSeed !== undefined) out.randomSeed = params.randomSeed;
  if (params.safePrompt !== undefined) out.safePrompt = params.safePrompt;
  return out;
}

/** Maps the SDK's errors to ours; the messages say what to do and never echo the key. */
function toCoreError(
  error: unknown,
  userSignal: AbortSignal,
  timeoutSignal: AbortSignal,
  apiKey: string,
): CoreError {
  if (error instanceof CoreError) return error;
  if (userSignal.aborted) return new CoreError('CANCELLED', 'Stopped.', { cause: error });
  if (timeoutSignal.aborted) {
    return new ProviderError(
      'TIMEOUT',
      'Mistral stopped sending data for too long. The partial reply was kept; try again.',
      { retryable: true, cause: error },
    );
  }
  if (error instanceof SdkErrors.MistralError) {
    return httpStatusError({
      providerName: NAME,
      status: error.statusCode,
      detail: redact(errorDetail(error.body), apiKey),
      retryAfterMs: parseRetryAfter(error.headers.get('retry-after')),
      authHint: AUTH_HINT,
      cause: error,
    });
  }
  if (error instanceof SdkErrors.RequestTimeoutError) {
    return new ProviderError('TIMEOUT', 'Mistral did not answer in time.', {
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof SdkErrors.ConnectionError) {
    return new ProviderError(
      'NETWORK',
      'Could not reach Mistral. Check your connection or MISTRAL_BASE_URL.',
      { retryClass: 'transient', cause: error },
    );
  }
  if (
    error instanceof SyntaxError ||
    // The SDK checks each chunk with zod and throws its ZodError for one that is not JSON.
    (error instanceof Error && error.name === 'ZodError') ||
    error instanceof SdkErrors.SDKValidationError ||
    error instanceof SdkErrors.ResponseValidationError
  ) {
    return new ProviderError(
      'PROVIDER_ERROR',
      'Mistral sent a malformed response. Any partial reply was kept.',
      { retryable: true, cause: error },
    );
  }
  return new ProviderError(
    'NETWORK',
    'The connection to Mistral was lost while the reply was streaming. The partial reply was kept.',
    { retryClass: 'transient', cause: error },
  );
}
