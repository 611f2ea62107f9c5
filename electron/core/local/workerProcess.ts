/**
 * How the main process starts the local-model worker. Plain Node uses child_process.fork; under
 * Electron the shell passes its own `SpawnWorker` built on utilityProcess. Either way the runtime
 * only sees a {@link WorkerHandle}.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ToWorker } from './localProtocol';

/** A running worker as the runtime sees it, whatever started it. */
export interface WorkerHandle {
  send(message: ToWorker): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once when the process ends, expectedly or not. */
  onExit(listener: (exit: { code: number | null; signal: string | null }) => void): void;
  /** Ends the process at once (SIGKILL where that exists). */
  kill(): void;
  readonly pid: number | undefined;
}

/** Starts one worker process. */
export type SpawnWorker = () => WorkerHandle;

/** Options for {@link forkWorker}. */
export interface ForkWorkerOptions {
  /** The worker's entry: the built `localWorker.js`, or `localWorker.ts` with {@link DEV_LOADER}. */
  entry: string;
  execPath?: string;
  execArgv?: string[];
  env?: NodeJS.ProcessEnv;
}

/** Spawns the worker with child_process.fork; its stderr goes to ours so native logs are not lost. */
export function forkWorker(options: ForkWorkerOptions): SpawnWorker {
  return () => {
    const child = fork(options.entry, [], {
      execPath: options.execPath ?? process.execPath,
      execArgv: options.execArgv ?? [],
      env: options.env ?? process.env,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      serialization: 'json',
    });
    return {
      pid: child.pid,
      send(message) {
        if (child.connected) child.send(message);
      },
      onMessage(listener) {
        child.on('message', listener);
      },
      onExit(listener) {
        child.once('exit', (code, signal) => listener({ code, signal }));
      },
      kill() {
        child.kill('SIGKILL');
      },
    };
  };
}

/**
 * Runs the worker from its TypeScript source, for tests and the benchmark: Node strips the types,
 * and {@link DEV_LOADER} resolves the extensionless relative imports the bundler would resolve.
 * The built app uses the bundled `localWorker.js` instead.
 */
export const DEV_LOADER = fileURLToPath(new URL('./devLoader.ts', import.meta.url));

/** The worker's TypeScript source, for {@link sourceWorker}. */
export const WORKER_SOURCE = fileURLToPath(new URL('./localWorker.ts', import.meta.url));

/** Spawns the worker from source under the current Node (24+, which strips types natively). */
export function sourceWorker(): SpawnWorker {
  return forkWorker({
    entry: WORKER_SOURCE,
    execArgv: ['--import', new URL('./devLoader.ts', import.meta.url).href, '--no-warnings'],
  });
}
