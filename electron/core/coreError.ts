import { appError, type AppError, type ErrorCode } from '../../shared/errors';

/**
 * The one error type core code throws on purpose. The dispatcher and the stream loop turn it into
 * plain {@link AppError} data; anything else that is thrown becomes `INTERNAL`.
 */
export class CoreError extends Error {
  readonly appError: AppError;

  constructor(
    code: ErrorCode,
    message: string,
    options?: { retryable?: boolean; cause?: unknown },
  ) {
    super(message, { cause: options?.cause });
    this.name = 'CoreError';
    this.appError = appError(code, message, options?.retryable);
  }
}

/** What an unexpected exception looks like to the user: no stack, no internals. */
export const INTERNAL_ERROR_MESSAGE =
  'Something went wrong inside Causerie. The details are in the log.';

/** Turns anything thrown into error data that is safe to show. */
export function toAppError(error: unknown): AppError {
  if (error instanceof CoreError) return error.appError;
  if (isDiskFull(error)) {
    return appError(
      'STORAGE',
      'The disk is full or cannot be written. Free some space; nothing already saved was lost.',
      true,
    );
  }
  return appError('INTERNAL', INTERNAL_ERROR_MESSAGE, false);
}

/** SQLite or the file system could not write: a full disk, a read-only or failing volume. */
function isDiskFull(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    typeof code === 'string' &&
    (code === 'ENOSPC' ||
      code === 'EROFS' ||
      code.startsWith('SQLITE_FULL') ||
      code.startsWith('SQLITE_IOERR') ||
      code === 'SQLITE_READONLY')
  );
}
