/**
 * The local provider: runs llama.cpp in a worker process (see localWorker.ts) and streams its
 * replies like any other ChatProvider. It loads the model on first use, unloads it after a quiet
 * period, and survives the worker dying: the stream in flight fails with a clear message (its
 * partial text was already yielded), and the next request starts a fresh worker.
 */
import { randomUUID } from 'node:crypto';
import { CoreError } from '../coreError';
import type { ChatProvider, ChatRequest, ProviderChunk } from '../providers/chatProvider';
import { readGgufInfo, type GgufInfo } from './gguf';
import { describeSystem, planLoad, type LoadPreferences, type SystemInfo } from './hardware';
import {
  FromWorkerSchema,
  type FromWorker,
  type LoadSettings,
  type TurnStats,
  type WorkerHardware,
} from './localProtocol';
import type { SpawnWorker, WorkerHandle } from './workerProcess';
import { EventQueue } from './eventQueue';

/** A chat request that may name its conversation, so its KV cache is found again directly. */
export type LocalChatRequest = ChatRequest & { conversationId?: string };

/** What the runtime reports besides the reply text (load progress, cache use, unloads, crashes). */
export type LocalRuntimeEvent =
  | { type: 'loading'; modelPath: string }
  | { type: 'loadProgress'; modelPath: string; progress: number }
  | {
      type: 'loaded';
      modelPath: string;
      contextSize: number;
      gpuLayers: number;
      threads: number;
      chatWrapper: string;
      loadMs: number;
    }
  | { type: 'turn'; stats: TurnStats }
  | { type: 'contextTrimmed'; droppedMessages: number }
  | { type: 'unloaded'; reason: 'idle' | 'requested' | 'modelChanged' }
  | { type: 'crashed'; code: number | null; signal: string | null };

/** Options for {@link createLocalRuntime}. */
export interface LocalRuntimeOptions {
  spawnWorker: SpawnWorker;
  /** Maps the `model` of a request to a GGUF file path. */
  resolveModelPath: (model: string) => string | Promise<string>;
  /** 'auto' lets llama.cpp use a GPU it finds; 'off' keeps everything on the CPU. */
  gpu?: 'auto' | 'off';
  /** The model is unloaded (memory released) after this long without a request. */
  idleUnloadMs?: number;
  load?: LoadPreferences & { batchSize?: number; reuseCache?: boolean };
  /** Defaults for requests that do not set their own `params`. */
  generation?: { maxTokens?: number; temperature?: number; seed?: number | null };
  /** Machine figures; tests inject small or large ones. Defaults to os + the worker's probe. */
  describeSystem?: (hardware: WorkerHardware) => SystemInfo;
  onEvent?: (event: LocalRuntimeEvent) => void;
  /** How long the worker may take to start before it is considered broken. */
  startTimeoutMs?: number;
}

/** The local provider plus the controls the app needs around it. */
export interface LocalRuntime extends ChatProvider {
  streamChat(request: LocalChatRequest): AsyncIterable<ProviderChunk>;
  /** Loads `model` ahead of the first message, e.g. when the user picks it. */
  preload(model: string): Promise<void>;
  /** Stops the worker and releases the model's memory. */
  unload(): Promise<void>;
  /** Unloads and refuses further requests. */
  dispose(): Promise<void>;
  /** The running worker's process id, if any (diagnostics and tests). */
  workerPid(): number | undefined;
}

type Sink = (
  event: FromWorker | { type: 'exit'; code: number | null; signal: string | null },
) => void;

interface Session {
  handle: WorkerHandle;
  modelPath: string;
  ready: Promise<void>;
  sinks: Map<string, Sink>;
  exited: boolean;
  exit: Promise<void>;
  expectedExit: boolean;
}

/** Thrown into a stream whose worker died. */
export const WORKER_CRASHED_MESSAGE =
  'The local model stopped unexpectedly. The partial reply was kept; send again to restart it.';

/** Creates the local provider. Nothing is spawned until the first request or `preload`. */
export function createLocalRuntime(options: LocalRuntimeOptions): LocalRuntime {
  const idleUnloadMs = options.idleUnloadMs ?? 10 * 60_000;
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const emit = (event: LocalRuntimeEvent) => {
    try {
      options.onEvent?.(event);
    } catch {
      // A listener's failure must not break the runtime.
    }
  };
  let session: Session | null = null;
  let idleTimer: NodeJS.Timeout | undefined;
  let activeStreams = 0;
  let disposed = false;
  let switching: Promise<void> = Promise.resolve();

  function startSession(modelPath: string, info: GgufInfo): Session {
    emit({ type: 'loading', modelPath });
    const handle = options.spawnWorker();
    const sinks = new Map<string, Sink>();
    let resolveExit!: () => void;
    const current: Session = {
      handle,
      modelPath,
      sinks,
      exited: false,
      exit: new Promise<void>((resolve) => (resolveExit = resolve)),
      expectedExit: false,
      ready: Promise.resolve(),
    };
    let loadWaiter: Sink | null = null;
    let exitInfo: { code: number | null; signal: string | null } | null = null;
    const installWaiter = (listener: Sink) => {
      loadWaiter = listener;
      if (exitInfo) listener({ type: 'exit', ...exitInfo });
    };
    handle.onMessage((raw) => {
      const parsed = FromWorkerSchema.safeParse(raw);
      if (!parsed.success) return;
      const message = parsed.data;
      if ('requestId' in message) sinks.get(message.requestId)?.(message);
      else loadWaiter?.(message);
    });
    handle.onExit(({ code, signal }) => {
      exitInfo = { code, signal };
      current.exited = true;
      if (session === current) session = null;
      if (!current.expectedExit) emit({ type: 'crashed', code, signal });
      for (const sink of [...sinks.values()]) sink({ type: 'exit', code, signal });
      loadWaiter?.({ type: 'exit', code, signal });
      resolveExit();
    });

    current.ready = (async () => {
      const hello = waitFor(
        installWaiter,
        (message) => (message.type === 'hello' ? message : undefined),
        startTimeoutMs,
        'The local model runtime did not start.',
      );
      handle.send({ type: 'init', gpu: options.gpu ?? 'auto' });
      const { hardware } = await hello;
      const settings = chooseSettings(modelPath, info, hardware);
      const loaded = waitFor(
        installWaiter,
        (message) => {
          if (message.type === 'loadProgress') {
            emit({ type: 'loadProgress', modelPath, progress: message.progress });
            return undefined;
          }
          if (message.type === 'loadFailed')
            throw new CoreError('MODEL_LOAD', message.error.message);
          return message.type === 'loaded' ? message : undefined;
        },
        0,
        '',
      );
      handle.send({ type: 'load', settings });
      const done = await loaded;
      loadWaiter = null;
      emit({
        type: 'loaded',
        modelPath,
        contextSize: done.contextSize,
        gpuLayers: done.gpuLayers,
        threads: settings.threads,
        chatWrapper: done.chatWrapper,
        loadMs: done.loadMs,
      });
    })();
    return current;
  }

  function chooseSettings(
    modelPath: string,
    info: GgufInfo,
    hardware: WorkerHardware,
  ): LoadSettings {
    const system = (options.describeSystem ?? describeSystem)(hardware);
    const planned = planLoad(system, info, options.load);
    if (!planned.ok) throw new CoreError('MODEL_LOAD', planned.message);
    return {
      modelPath,
      contextSize: planned.plan.contextSize,
      gpuLayers: planned.plan.gpuLayers,
      threads: planned.plan.threads,
      cachedConversations: planned.plan.cachedConversations,
      reuseCache: options.load?.reuseCache ?? true,
      ...(options.load?.batchSize ? { batchSize: options.load.batchSize } : {}),
    };
  }

  async function stopSession(target: Session, reason: 'idle' | 'requested' | 'modelChanged') {
    target.expectedExit = true;
    if (session === target) session = null;
    if (!target.exited) {
      target.handle.send({ type: 'shutdown' });
      const timer = setTimeout(() => target.handle.kill(), 5_000);
      await target.exit;
      clearTimeout(timer);
    }
    emit({ type: 'unloaded', reason });
  }

  /** Returns a session whose model is loaded, starting or replacing the worker as needed. */
  async function ensureLoaded(model: string): Promise<Session> {
    if (disposed) throw new CoreError('INTERNAL', 'The local runtime has been shut down.');
    const modelPath = await options.resolveModelPath(model);
    // One switch at a time, so two first requests do not start two workers.
    const previous = switching;
    let release!: () => void;
    switching = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      if (session && session.modelPath !== modelPath) await stopSession(session, 'modelChanged');
      if (!session || session.exited)
        session = startSession(modelPath, await readGgufInfo(modelPath));
      const current = session;
      try {
        await current.ready;
      } catch (error) {
        current.expectedExit = true;
        if (!current.exited) current.handle.kill();
        if (session === current) session = null;
        if (error instanceof CoreError) throw error;
        throw new CoreError('MODEL_LOAD', `The local model could not be loaded: ${String(error)}`, {
          cause: error,
        });
      }
      return current;
    } finally {
      release();
    }
  }

  function scheduleIdleUnload(): void {
    clearTimeout(idleTimer);
    if (activeStreams > 0 || !session) return;
    idleTimer = setTimeout(() => {
      if (activeStreams === 0 && session) void stopSession(session, 'idle');
    }, idleUnloadMs);
    idleTimer.unref();
  }

  async function* streamChat(request: LocalChatRequest): AsyncGenerator<ProviderChunk> {
    activeStreams++;
    clearTimeout(idleTimer);
    try {
      const current = await ensureLoaded(request.model);
      if (request.signal.aborted) return;
      const requestId = randomUUID();
      const queue = new EventQueue<Parameters<Sink>[0]>();
      current.sinks.set(requestId, (event) => queue.push(event));
      const onAbort = () => {
        current.handle.send({ type: 'abort', requestId });
        queue.close();
      };
      request.signal.addEventListener('abort', onAbort, { once: true });
      try {
        if (current.exited) throw crashed();
        current.handle.send({
          type: 'generate',
          requestId,
          conversationId: request.conversationId ?? null,
          messages: request.messages,
          // The request's own sampling settings win over the runtime's defaults.
          maxTokens: request.params?.maxTokens ?? options.generation?.maxTokens ?? 2048,
          temperature: request.params?.temperature ?? options.generation?.temperature ?? 0.7,
          topP: request.params?.topP ?? null,
          seed: request.params?.randomSeed ?? options.generation?.seed ?? null,
        });
        for await (const event of queue) {
          switch (event.type) {
            case 'text':
              yield { type: 'text', text: event.text };
              break;
            case 'done': {
              const { stats } = event;
              emit({ type: 'turn', stats });
              if (stats.droppedMessages > 0) {
                emit({ type: 'contextTrimmed', droppedMessages: stats.droppedMessages });
              }
              yield {
                type: 'usage',
                usage: {
                  promptTokens: stats.promptTokens,
                  completionTokens: stats.completionTokens,
                  totalTokens: stats.promptTokens + stats.completionTokens,
                },
              };
              return;
            }
            case 'failed':
              throw new CoreError(event.error.code, event.error.message);
            case 'exit':
              throw crashed();
            default:
              break;
          }
        }
      } finally {
        request.signal.removeEventListener('abort', onAbort);
        current.sinks.delete(requestId);
      }
    } finally {
      activeStreams--;
      scheduleIdleUnload();
    }
  }

  return {
    streamChat,
    async preload(model) {
      await ensureLoaded(model);
      scheduleIdleUnload();
    },
    async unload() {
      clearTimeout(idleTimer);
      if (session) await stopSession(session, 'requested');
    },
    async dispose() {
      disposed = true;
      clearTimeout(idleTimer);
      if (session) await stopSession(session, 'requested');
    },
    workerPid: () => session?.handle.pid,
  };
}

function crashed(): CoreError {
  return new CoreError('INTERNAL', WORKER_CRASHED_MESSAGE, { retryable: true });
}

/**
 * Installs a listener through `install` and resolves with the first message `pick` accepts. The
 * worker exiting rejects with MODEL_LOAD; `timeoutMs` 0 waits as long as loading takes.
 */
function waitFor<T>(
  install: (listener: Sink) => void,
  pick: (message: FromWorker) => T | undefined,
  timeoutMs: number,
  timeoutMessage: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer =
      timeoutMs > 0
        ? setTimeout(() => reject(new CoreError('MODEL_LOAD', timeoutMessage)), timeoutMs)
        : undefined;
    install((message) => {
      try {
        if (message.type === 'exit') {
          clearTimeout(timer);
          reject(
            new CoreError(
              'MODEL_LOAD',
              `The local model runtime stopped while loading the model (exit code ${message.code ?? message.signal}). The file may be damaged or too large for this computer.`,
            ),
          );
          return;
        }
        const value = pick(message);
        if (value !== undefined) {
          clearTimeout(timer);
          resolve(value);
        }
      } catch (error) {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}
