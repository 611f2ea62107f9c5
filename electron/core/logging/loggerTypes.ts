// The logger's shape, which every module depends on; kept apart so the log writers can import it without a cycle.

/** Structured log fields; never message content or secrets. An `error` field is expanded. */
export type LogFields = Record<string, unknown>;

/** A structured logger; each line is one JSON object. */
export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}
