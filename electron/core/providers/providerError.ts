import { CoreError } from '../coreError';
import type { ErrorCode } from '../../../shared/errors';

/**
 * How the retry wrapper may treat a failure: `rate-limit` waits for the server's Retry-After,
 * `transient` (5xx, network) backs off and tries again, `never` is final.
 */
export type RetryClass = 'rate-limit' | 'transient' | 'never';

/**
 * A provider failure: a {@link CoreError} plus what the retry wrapper needs to know. The extra
 * fields stay in the main process; only `appError` crosses to the UI.
 */
export class ProviderError extends CoreError {
  readonly retryClass: RetryClass;
  /** The HTTP status, when the server answered. */
  readonly status: number | null;
  /** How long the server asked us to wait (from `Retry-After`), when it said. */
  readonly retryAfterMs: number | null;

  constructor(
    code: ErrorCode,
    message: string,
    options: {
      retryClass?: RetryClass;
      status?: number | null;
      retryAfterMs?: number | null;
      retryable?: boolean;
      cause?: unknown;
    } = {},
  ) {
    super(code, message, { retryable: options.retryable, cause: options.cause });
    this.name = 'ProviderError';
    this.retryClass = options.retryClass ?? 'never';
    this.status = options.status ?? null;
    this.retryAfterMs = options.retryAfterMs ?? null;
  }
}

/** An HTTP error answer, as a provider adapter extracted it. */
export interface HttpFailure {
  /** As users know it: "Mistral", "Ollama", … */
  providerName: string;
  status: number;
  /** The server's own explanation (already redacted), or ''. */
  detail: string;
  retryAfterMs: number | null;
  /** Where the user sets the key, appended to the "key rejected" message. */
  authHint: string;
  cause?: unknown;
}

/** Maps an HTTP error status to a {@link ProviderError} whose message says what to do. */
export function httpStatusError(failure: HttpFailure): ProviderError {
  const { providerName: name, status, detail, cause } = failure;
  const suffix = detail ? `: ${detail}` : '.';
  if (status === 401 || status === 403) {
    return new ProviderError('PROVIDER_AUTH', `API key rejected by ${name}. ${failure.authHint}`, {
      status,
      cause,
    });
  }
  if (status === 402) {
    return new ProviderError(
      'PAYMENT_REQUIRED',
      `Payment required: your ${name} workspace has no active plan or credit.`,
      { status, cause },
    );
  }
  if (status === 429) {
    return new ProviderError(
      'RATE_LIMITED',
      `${name} is rate-limiting requests. Wait a moment and try again.`,
      { status, cause, retryClass: 'rate-limit', retryAfterMs: failure.retryAfterMs },
    );
  }
  if (status === 400 || status === 404 || status === 422) {
    return new ProviderError('VALIDATION', `${name} refused the request${suffix}`, {
      status,
      cause,
    });
  }
  if (status === 408) {
    return new ProviderError('TIMEOUT', `${name} did not answer in time.`, {
      status,
      cause,
      retryClass: 'transient',
    });
  }
  if (status >= 500) {
    return new ProviderError(
      'PROVIDER_ERROR',
      `${name} had a server error (HTTP ${status})${suffix}`,
      {
        status,
        cause,
        retryClass: 'transient',
      },
    );
  }
  return new ProviderError('PROVIDER_ERROR', `${name} answered HTTP ${status}${suffix}`, {
    status,
    cause,
  });
}

/** Pulls the human part out of an error body: `{message}`, `{detail}` or `{error: {message}}`. */
export function errorDetail(body: string): string {
  try {
    const parsed: unknown = JSON.parse(body);
    const message = findMessage(parsed);
    if (typeof message === 'string') return message.slice(0, 500);
    if (message !== undefined) return JSON.stringify(message).slice(0, 500);
  } catch {
    // Not JSON: fall through and show the raw body, cut short.
  }
  return body.trim().slice(0, 500);
}

function findMessage(value: unknown): unknown {
  if (!value || typeof value !== 'object') return undefined;
  const record = value as Record<string, unknown>;
  if (record.message !== undefined) return record.message;
  if (record.detail !== undefined) return record.detail;
  if (typeof record.error === 'string') return record.error;
  return findMessage(record.error);
}

/** Removes a secret from text that came from a server, in case it echoes the key. */
export function redact(text: string, secret: string | null): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}
