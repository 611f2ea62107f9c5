/**
 * The log file: JSON lines in `<dataDir>/logs/causerie.log`, rotated by size. Writes are
 * synchronous appends, so the last lines before a crash or a kill are on disk; a write that fails
 * (disk full, folder removed) is dropped rather than thrown, because logging must never be the
 * reason the app stops working.
 */
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import type { LogFields, Logger } from './loggerTypes';
import { redactField, redactValue } from './redact';

/** The folder inside the data folder that holds the log files. */
export const LOGS_DIR_NAME = 'logs';
/** The current log file; older ones are `causerie.log.1` (newest) to `.N`. */
export const LOG_FILE_NAME = 'causerie.log';
/** Rotate once the current file would grow past this. */
export const DEFAULT_MAX_LOG_BYTES = 5 * 1024 * 1024;
/** Rotated files kept besides the current one. */
export const DEFAULT_KEPT_LOG_FILES = 3;
/** The environment switch that turns debug logging on. */
export const DEBUG_LOG_ENV = 'CAUSERIE_DEBUG_LOG';

export interface RotatingLogFileOptions {
  /** Where the files go; created if missing. */
  dir: string;
  fileName?: string;
  maxBytes?: number;
  /** How many rotated files to keep (`.1` … `.keep`). */
  keep?: number;
  /** Told once when writing starts failing, so the failure is visible somewhere. */
  onWriteError?: (error: Error) => void;
}

/** An append-only, size-rotated text file of lines. */
export interface RotatingLogFile {
  /** The current file's path. */
  readonly path: string;
  /** Appends one line (a newline is added). Never throws. */
  write(line: string): void;
  close(): void;
}

/** Opens (or creates) the current log file, rotating it first if it is already full. */
export function openRotatingLogFile(options: RotatingLogFileOptions): RotatingLogFile {
  const fileName = options.fileName ?? LOG_FILE_NAME;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_LOG_BYTES;
  const keep = Math.max(0, options.keep ?? DEFAULT_KEPT_LOG_FILES);
  const filePath = path.join(options.dir, fileName);
  let fd: number | null = null;
  let size = 0;
  let failing = false;
  let closed = false;

  const reportFailure = (error: unknown) => {
    if (failing) return;
    failing = true;
    options.onWriteError?.(error instanceof Error ? error : new Error(String(error)));
  };

  const open = () => {
    mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    // 0600: the log names conversations' ids and the data folder; it is nobody else's business.
    fd = openSync(filePath, 'a', 0o600);
    size = fstatSync(fd).size;
  };

  const rotate = () => {
    if (fd !== null) closeSync(fd);
    fd = null;
    if (keep === 0) {
      rmSync(filePath, { force: true });
    } else {
      rmSync(`${filePath}.${keep}`, { force: true });
      for (let index = keep - 1; index >= 1; index -= 1) {
        renameIfPresent(`${filePath}.${index}`, `${filePath}.${index + 1}`);
      }
      renameIfPresent(filePath, `${filePath}.1`);
    }
    open();
  };

  try {
    open();
  } catch (error) {
    reportFailure(error);
  }

  return {
    path: filePath,
    write(line) {
      if (closed) return;
      const bytes = Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
      try {
        if (fd === null) open();
        if (size > 0 && size + bytes.length > maxBytes) rotate();
        size += writeSync(fd!, bytes);
        failing = false;
      } catch (error) {
        reportFailure(error);
        // Reopen on the next line: the folder may have been removed or the disk freed.
        if (fd !== null) {
          try {
            closeSync(fd);
          } catch {
            // Already unusable; nothing more to release.
          }
        }
        fd = null;
      }
    },
    close() {
      if (closed) return;
      closed = true;
      if (fd !== null) closeSync(fd);
      fd = null;
    },
  };
}

function renameIfPresent(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}

type Level = 'debug' | 'info' | 'warn' | 'error';

/** The app's logger: {@link Logger} plus debug lines (written only in debug mode). */
export interface AppLogger extends Logger {
  debug(event: string, fields?: LogFields): void;
  /** Whether debug logging is on (message content is then kept in the log). */
  readonly debugEnabled: boolean;
  /** The log file, or null when only stderr is written. */
  readonly filePath: string | null;
  close(): void;
}

export interface AppLoggerOptions {
  /**
   * The data folder; the file goes in its `logs/` folder. A function is called at the first line,
   * for hosts that learn the folder after the logger is created. Omit for stderr only.
   */
  dataDir?: string | (() => string);
  env?: NodeJS.ProcessEnv;
  /** Where the other copy of each line goes; stderr by default. */
  stderr?: (line: string) => void;
  maxBytes?: number;
  keep?: number;
  now?: () => Date;
}

/** Whether `CAUSERIE_DEBUG_LOG` asks for debug logging. */
export function debugLoggingRequested(env: NodeJS.ProcessEnv): boolean {
  const value = env[DEBUG_LOG_ENV]?.trim().toLowerCase();
  return value !== undefined && value !== '' && !['0', 'false', 'no', 'off'].includes(value);
}

/**
 * Builds one log line: time, level, event, then the fields after redaction. An `error` field is
 * expanded to its name, message, code and (redacted) stack.
 */
export function formatLogLine(
  level: Level,
  event: string,
  fields: LogFields,
  options: { keepContent: boolean; time: Date },
): string {
  const { error, ...rest } = fields;
  const line: Record<string, unknown> = { time: options.time.toISOString(), level, event };
  for (const [name, value] of Object.entries(rest)) {
    if (name === 'time' || name === 'level' || name === 'event') continue;
    line[name] = redactField(name, value, { keepContent: options.keepContent });
  }
  if (error instanceof Error) {
    line.errorName = error.name;
    line.errorMessage = redactValue(error.message, { keepContent: options.keepContent });
    const code = (error as NodeJS.ErrnoException).code;
    if (typeof code === 'string') line.errorCode = code;
    line.stack = redactValue(error.stack ?? '', { keepContent: options.keepContent });
  } else if (error !== undefined) {
    line.errorMessage = redactValue(
      typeof error === 'string' ? error : inspect(error, { depth: 2 }),
      { keepContent: options.keepContent },
    );
  }
  return JSON.stringify(line);
}

/**
 * The logger both hosts use: every line, redacted, goes to stderr and to the rotating file in the
 * data folder. With `CAUSERIE_DEBUG_LOG=1`, debug lines are written and message content is kept
 * (secrets never are), and the first line warns that this is so.
 */
export function createAppLogger(options: AppLoggerOptions = {}): AppLogger {
  const env = options.env ?? process.env;
  const debugEnabled = debugLoggingRequested(env);
  const toStderr = options.stderr ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  let file: RotatingLogFile | null = null;
  let fileResolved = options.dataDir === undefined;
  // Written to stderr at once and as the file's first line once the file is open.
  const debugWarning = debugEnabled
    ? formatLogLine(
        'warn',
        'log.debug_enabled',
        {
          note: `${DEBUG_LOG_ENV} is set: the log keeps message content and extra detail. Keys are still removed. Turn it off and delete the logs folder when you are done.`,
        },
        { keepContent: false, time: now() },
      )
    : null;

  const fileSink = (): RotatingLogFile | null => {
    if (fileResolved) return file;
    fileResolved = true;
    try {
      const dataDir =
        typeof options.dataDir === 'function' ? options.dataDir() : (options.dataDir as string);
      file = openRotatingLogFile({
        dir: path.join(dataDir, LOGS_DIR_NAME),
        ...(options.maxBytes !== undefined ? { maxBytes: options.maxBytes } : {}),
        ...(options.keep !== undefined ? { keep: options.keep } : {}),
        onWriteError: (error) =>
          toStderr(
            formatLogLine(
              'warn',
              'log.file_write_failed',
              { error },
              { keepContent: false, time: now() },
            ),
          ),
      });
      if (debugWarning) file.write(debugWarning);
    } catch (error) {
      toStderr(
        formatLogLine(
          'warn',
          'log.file_unavailable',
          { error },
          { keepContent: false, time: now() },
        ),
      );
    }
    return file;
  };

  const log = (level: Level, event: string, fields: LogFields = {}) => {
    if (level === 'debug' && !debugEnabled) return;
    let line: string;
    try {
      // Debug lines say which process wrote them: the app and the browser host share a folder.
      const detailed = debugEnabled ? { ...fields, pid: process.pid } : fields;
      line = formatLogLine(level, event, detailed, { keepContent: debugEnabled, time: now() });
    } catch (error) {
      line = JSON.stringify({
        time: now().toISOString(),
        level,
        event,
        logError: `fields could not be written: ${(error as Error).message}`,
      });
    }
    toStderr(line);
    fileSink()?.write(line);
  };

  if (debugWarning) toStderr(debugWarning);

  return {
    debugEnabled,
    get filePath() {
      return fileSink()?.path ?? null;
    },
    debug: (event, fields) => log('debug', event, fields),
    info: (event, fields) => log('info', event, fields),
    warn: (event, fields) => log('warn', event, fields),
    error: (event, fields) => log('error', event, fields),
    close() {
      file?.close();
    },
  };
}
