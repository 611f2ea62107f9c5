import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createAppLogger,
  debugLoggingRequested,
  LOG_FILE_NAME,
  LOGS_DIR_NAME,
  openRotatingLogFile,
} from './rotatingLog';

const KEY = 'aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY';
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'causerie-log-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function readLines(file: string): Record<string, unknown>[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('openRotatingLogFile', () => {
  it('rotates at the size limit and keeps only the newest files', () => {
    const dir = tempDir();
    const log = openRotatingLogFile({ dir, maxBytes: 1_000, keep: 3 });
    for (let i = 0; i < 100; i++) log.write(`line ${String(i).padStart(3, '0')} ${'x'.repeat(90)}`);
    log.close();
    const files = readdirSync(dir).sort();
    expect(files).toEqual([
      LOG_FILE_NAME,
      `${LOG_FILE_NAME}.1`,
      `${LOG_FILE_NAME}.2`,
      `${LOG_FILE_NAME}.3`,
    ]);
    for (const file of files)
      expect(statSync(path.join(dir, file)).size).toBeLessThanOrEqual(1_000);
    // The newest line is in the current file, the oldest kept ones in `.3`; older ones are gone.
    expect(readFileSync(path.join(dir, LOG_FILE_NAME), 'utf8')).toContain('line 099');
    const all = files.map((file) => readFileSync(path.join(dir, file), 'utf8')).join('');
    expect(all).not.toContain('line 000');
    expect(readFileSync(path.join(dir, `${LOG_FILE_NAME}.1`), 'utf8')).not.toContain('line 099');
  });

  it('appends to an existing file across restarts and rotates it when it is already full', () => {
    const dir = tempDir();
    const first = openRotatingLogFile({ dir, maxBytes: 100 });
    first.write('a'.repeat(60));
    first.close();
    const second = openRotatingLogFile({ dir, maxBytes: 100 });
    second.write('b'.repeat(60));
    second.close();
    expect(readFileSync(path.join(dir, LOG_FILE_NAME), 'utf8')).toBe(`${'b'.repeat(60)}\n`);
    expect(readFileSync(path.join(dir, `${LOG_FILE_NAME}.1`), 'utf8')).toBe(`${'a'.repeat(60)}\n`);
  });

  it('never throws when the file cannot be written, says so once, and recovers', () => {
    const parent = tempDir();
    const dir = path.join(parent, 'logs');
    // A file where the folder should be: every open fails, as on a full or read-only disk.
    writeFileSync(dir, 'in the way');
    const errors: Error[] = [];
    const log = openRotatingLogFile({ dir, onWriteError: (error) => errors.push(error) });
    expect(() => log.write('one')).not.toThrow();
    expect(() => log.write('two')).not.toThrow();
    expect(errors).toHaveLength(1);

    rmSync(dir);
    log.write('three');
    log.close();
    expect(readFileSync(path.join(dir, LOG_FILE_NAME), 'utf8')).toBe('three\n');
  });
});

describe('createAppLogger', () => {
  it('tees redacted JSON lines to stderr and logs/causerie.log, without content or keys', () => {
    const dataDir = tempDir();
    const stderr: string[] = [];
    const logger = createAppLogger({ dataDir, env: {}, stderr: (line) => stderr.push(line) });
    logger.info('chat.sent', { conversationId: 'c1', text: 'mon secret', apiKey: KEY });
    logger.error('provider.failed', { error: new Error(`401 with Bearer ${KEY}`) });
    logger.debug('chat.delta', { text: 'not written' });
    logger.close();

    const file = path.join(dataDir, LOGS_DIR_NAME, LOG_FILE_NAME);
    expect(logger.filePath).toBe(file);
    const lines = readLines(file);
    expect(lines.map((line) => line.event)).toEqual(['chat.sent', 'provider.failed']);
    expect(stderr.map((line) => JSON.parse(line) as unknown)).toEqual(lines);
    const raw = readFileSync(file, 'utf8');
    expect(raw).not.toContain('mon secret');
    expect(raw).not.toContain(KEY);
    expect(lines[0]).toMatchObject({
      level: 'info',
      conversationId: 'c1',
      text: '[content: 10 chars]',
      apiKey: '[redacted]',
    });
    expect(lines[1]).toMatchObject({ level: 'error', errorName: 'Error' });
    expect(String(lines[1]?.stack)).toContain('rotatingLog.test.ts');
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('in debug mode warns first, keeps content and debug lines, still removes keys', () => {
    const dataDir = tempDir();
    const stderr: string[] = [];
    const logger = createAppLogger({
      dataDir,
      env: { CAUSERIE_DEBUG_LOG: '1' },
      stderr: (line) => stderr.push(line),
    });
    expect(logger.debugEnabled).toBe(true);
    expect(JSON.parse(stderr[0] ?? '{}')).toMatchObject({
      level: 'warn',
      event: 'log.debug_enabled',
    });
    logger.debug('chat.delta', { text: 'bonjour', authorization: `Bearer ${KEY}` });
    logger.close();
    const lines = readLines(path.join(dataDir, LOGS_DIR_NAME, LOG_FILE_NAME));
    expect(lines.map((line) => line.event)).toEqual(['log.debug_enabled', 'chat.delta']);
    expect(lines[1]).toMatchObject({
      level: 'debug',
      text: 'bonjour',
      authorization: '[redacted]',
      pid: process.pid,
    });
  });

  it('opens the file lazily when the folder is only known later', () => {
    const dataDir = tempDir();
    let known: string | null = null;
    const logger = createAppLogger({
      dataDir: () => known ?? 'never-used',
      env: {},
      stderr: () => {},
    });
    known = dataDir;
    logger.warn('app.ready');
    logger.close();
    expect(existsSync(path.join(dataDir, LOGS_DIR_NAME, LOG_FILE_NAME))).toBe(true);
  });

  it('keeps writing to stderr when the data folder cannot hold a log', () => {
    const stderr: string[] = [];
    const logger = createAppLogger({
      dataDir: '/proc/self/status',
      env: {},
      stderr: (line) => stderr.push(line),
    });
    expect(() => logger.info('still.here', { count: 1 })).not.toThrow();
    expect(stderr.some((line) => line.includes('still.here'))).toBe(true);
    expect(stderr.some((line) => line.includes('log.file_'))).toBe(true);
  });

  it.each([
    ['1', true],
    ['true', true],
    ['0', false],
    ['', false],
    ['off', false],
  ])('CAUSERIE_DEBUG_LOG=%j means debug %s', (value, expected) => {
    expect(debugLoggingRequested({ CAUSERIE_DEBUG_LOG: value })).toBe(expected);
  });
});
