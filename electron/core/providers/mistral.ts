import { Mistral } from '@mistralai/mistralai';
import * as SdkErrors from '@mistralai/mistralai/models/errors';
import { CoreError } from '../coreError';
import type { ChatProvider, ChatRequest, ProviderChunk } from './chatProvider';

/** Where La Plateforme lives unless MISTRAL_BASE_URL or settings say otherwise. */
export const MISTRAL_DEFAULT_BASE_URL = 'https://api.mistral.ai';

export interface MistralProviderOptions {
  /** Read on every request so a key added in settings applies without a restart. */
  getApiKey: () => string | null;
  baseUrl: string;
  /** Longest silence allowed before the first token or between two chunks. */
  idleTimeoutMs?: number;
}

/** Mistral's chat API through the official SDK, with the SDK's own retries turned off. */
export function createMistralProvider(options: MistralProviderOptions): ChatProvider {
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  return {
    async *streamChat(request: ChatRequest): AsyncGenerator<ProviderChunk> {
      const apiKey = options.getApiKey();
      if (!apiKey) {
        throw new CoreError(
          'NOT_CONFIGURED',
          'No Mistral API key is set. Set the MISTRAL_API_KEY environment variable and restart Causerie.',
        );
      }
      const client = new Mistral({
        apiKey,
        serverURL: options.baseUrl,
        retryConfig: { strategy: 'none' },
      });
      const idle = new IdleTimer(idleTimeoutMs);
      const signal = AbortSignal.any([request.signal, idle.signal]);
      let finished = false;
      try {
        idle.restart();
        const stream = await client.chat.stream(
          { model: request.model, messages: request.messages },
          { signal, retries: { strategy: 'none' } },
        );
        for await (const event of stream) {
          idle.restart();
          const chunk = event.data;
          for (const choice of chunk.choices) {
            const text = contentText(choice.delta.content);
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
        throw new CoreError(
          'NETWORK',
          'The connection to Mistral closed before the reply was finished. The partial reply was kept.',
          { retryable: true },
        );
      }
    },
  };
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: unknown) =>
      part && typeof part === 'object' && 'text' in part && typeof part.text === 'string'
        ? part.text
        : '',
    )
    .join('');
}

class IdleTimer {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  readonly signal = this.controller.signal;
  private readonly ms: number;

  constructor(ms: number) {
    this.ms = ms;
  }

  restart(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new Error('idle timeout')), this.ms);
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}

/** Maps the SDK's errors to ours; the messages say what to do and never echo the key. */
function toCoreError(
  error: unknown,
  userSignal: AbortSignal,
  idleSignal: AbortSignal,
  apiKey: string,
): CoreError {
  if (error instanceof CoreError) return error;
  if (userSignal.aborted) return new CoreError('CANCELLED', 'Stopped.', { cause: error });
  if (idleSignal.aborted) {
    return new CoreError(
      'TIMEOUT',
      'Mistral stopped sending data for too long. The partial reply was kept; try again.',
      { retryable: true, cause: error },
    );
  }
  if (error instanceof SdkErrors.MistralError) {
    const status = error.statusCode;
    if (status === 401 || status === 403) {
      return new CoreError(
        'PROVIDER_AUTH',
        'API key rejected by Mistral. Check MISTRAL_API_KEY and that the key is still active.',
        { cause: error },
      );
    }
    if (status === 402) {
      return new CoreError(
        'PAYMENT_REQUIRED',
        'Payment required: your Mistral workspace has no active plan or credit.',
        { cause: error },
      );
    }
    if (status === 429) {
      return new CoreError('RATE_LIMITED', 'Mistral is rate-limiting requests. Wait a moment.', {
        retryable: true,
        cause: error,
      });
    }
    if (status === 422 || status === 400) {
      return new CoreError(
        'VALIDATION',
        `Mistral refused the request: ${redact(apiDetail(error.body), apiKey)}`,
        { cause: error },
      );
    }
    if (status >= 500) {
      return new CoreError('PROVIDER_ERROR', `Mistral had a server error (HTTP ${status}).`, {
        retryable: true,
        cause: error,
      });
    }
    return new CoreError('PROVIDER_ERROR', `Mistral answered HTTP ${status}.`, { cause: error });
  }
  if (error instanceof SdkErrors.RequestTimeoutError) {
    return new CoreError('TIMEOUT', 'Mistral did not answer in time.', {
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof SdkErrors.ConnectionError) {
    return new CoreError(
      'NETWORK',
      'Could not reach Mistral. Check your connection or MISTRAL_BASE_URL.',
      { retryable: true, cause: error },
    );
  }
  if (error instanceof SyntaxError || error instanceof SdkErrors.SDKValidationError) {
    return new CoreError(
      'PROVIDER_ERROR',
      'Mistral sent a malformed stream. The partial reply was kept.',
      { retryable: true, cause: error },
    );
  }
  return new CoreError(
    'NETWORK',
    'The connection to Mistral was lost while the reply was streaming. The partial reply was kept.',
    { retryable: true, cause: error },
  );
}

function apiDetail(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    if (parsed && typeof parsed === 'object') {
      const record = parsed as Record<string, unknown>;
      const message = record.message ?? record.detail;
      if (typeof message === 'string') return message.slice(0, 500);
      if (message !== undefined) return JSON.stringify(message).slice(0, 500);
    }
  } catch {
    // Not JSON: fall through and show the raw body, cut short.
  }
  return body.slice(0, 500);
}

function redact(text: string, secret: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}
