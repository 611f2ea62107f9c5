// Where modules find the logger's shape, and the in-memory logger for tests.
import type { LogFields, Logger } from './logging/loggerTypes';
import { formatLogLine } from './logging/rotatingLog';

export type { LogFields, Logger } from './logging/loggerTypes';

/**
 * A logger that keeps its lines in memory, for tests. The lines are the ones the app writes
 * (redacted, as outside debug mode), so a test reads what a log file would hold.
 */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const writer =
    (level: 'info' | 'warn' | 'error') =>
    (event: string, fields: LogFields = {}): void => {
      lines.push(formatLogLine(level, event, fields, { keepContent: false, time: new Date() }));
    };
  return { lines, info: writer('info'), warn: writer('warn'), error: writer('error') };
}
