/** Structured log fields; never message content or secrets. An `error` field is expanded. */
export type LogFields = Record<string, unknown>;

/** A structured logger; each line is one JSON object. */
export interface Logger {
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
}

type Level = 'info' | 'warn' | 'error';

/** Writes JSON lines to a sink (stderr by default). */
export function createLogger(
  write: (line: string) => void = (line) => process.stderr.write(line + '\n'),
): Logger {
  const log = (level: Level, event: string, fields: Record<string, unknown> = {}) => {
    const { error, ...rest } = fields;
    const line: Record<string, unknown> = { time: new Date().toISOString(), level, event, ...rest };
    if (error instanceof Error) {
      line.errorName = error.name;
      line.errorMessage = error.message;
      line.stack = error.stack;
    } else if (error !== undefined) {
      line.errorMessage = String(error);
    }
    write(JSON.stringify(line));
  };
  return {
    info: (event, fields) => log('info', event, fields),
    warn: (event, fields) => log('warn', event, fields),
    error: (event, fields) => log('error', event, fields),
  };
}

/** A logger that keeps its lines in memory, for tests. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return Object.assign(
    createLogger((line) => lines.push(line)),
    { lines },
  );
}
