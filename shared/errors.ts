import { z } from 'zod';

/** Every error code that may cross the process boundary; a closed union, so the UI can translate each one. */
export const ERROR_CODES = [
  'VALIDATION',
  'NOT_FOUND',
  'NOT_CONFIGURED',
  'PROVIDER_AUTH',
  'PAYMENT_REQUIRED',
  'RATE_LIMITED',
  'PROVIDER_ERROR',
  'NETWORK',
  'TIMEOUT',
  'CANCELLED',
  'MODEL_LOAD',
  'STORAGE',
  /** The key would only be obfuscated on disk (Linux without a keyring) and the user has not accepted that. */
  'KEY_STORAGE_WEAK',
  'INTERNAL',
] as const;

/** One of {@link ERROR_CODES}. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** An error as plain data: what crosses IPC, WebSocket and HTTP instead of a thrown object. */
export const AppErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  retryable: z.boolean(),
});

/** An error as plain data; never carries a stack. */
export type AppError = z.infer<typeof AppErrorSchema>;

/** Builds an {@link AppError}; `retryable` defaults to what the code usually means. */
export function appError(code: ErrorCode, message: string, retryable?: boolean): AppError {
  return { code, message, retryable: retryable ?? RETRYABLE_BY_DEFAULT.has(code) };
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  'RATE_LIMITED',
  'NETWORK',
  'TIMEOUT',
  'PROVIDER_ERROR',
]);

/** The outcome of every contract call. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** A successful {@link Result}. */
export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

/** A failed {@link Result}. */
export const fail = <T = never>(error: AppError): Result<T> => ({ ok: false, error });

/** Checks that an unknown value has the shape of a {@link Result}, for transports that receive JSON. */
export const ResultEnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: AppErrorSchema }),
]);
