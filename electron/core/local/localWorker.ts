/**
 * The local-model worker: a separate process that owns llama.cpp (through node-llama-cpp). A native
 * assert or an out-of-memory kill ends this process only; the main process notices and starts a
 * fresh one. Talks to its parent over `process.send` (child_process.fork) or `process.parentPort`
 * (Electron's utilityProcess); see localProtocol.ts for the messages.
 *
 * One context holds a few sequences; each keeps the evaluated tokens of one conversation, so a
 * follow-up turn evaluates only what is new since the last turn.
 */
import {
  getLlama,
  InsufficientMemoryError,
  LlamaChat,
  LlamaLogLevel,
  resolveChatWrapper,
  type ChatHistoryItem,
  type ChatWrapper,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaModel,
  type Token,
} from 'node-llama-cpp';
import { toChatHistory } from './chatHistory';
import { ToWorkerSchema, type FromWorker, type LoadSettings, type ToWorker } from './localProtocol';

interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;

function post(message: FromWorker): void {
  if (parentPort) parentPort.postMessage(message);
  else process.send?.(message);
}

interface Slot {
  sequence: LlamaContextSequence;
  chat: LlamaChat;
  conversationId: string | null;
  lastUsed: number;
}

interface Loaded {
  model: LlamaModel;
  context: LlamaContext;
  wrapper: ChatWrapper;
  settings: LoadSettings;
  slots: Slot[];
}

let llama: Llama | null = null;
let loaded: Loaded | null = null;
let queue: Promise<void> = Promise.resolve();
const controllers = new Map<string, AbortController>();
let useClock = 0;

async function handle(message: ToWorker): Promise<void> {
  switch (message.type) {
    case 'init':
      return init(message.gpu);
    case 'load':
      return load(message.settings);
    case 'generate': {
      const controller = new AbortController();
      controllers.set(message.requestId, controller);
      queue = queue.then(() => generate(message, controller.signal));
      return;
    }
    case 'abort':
      controllers.get(message.requestId)?.abort();
      return;
    case 'shutdown':
      return shutdown();
  }
}

async function init(gpu: 'auto' | 'off'): Promise<void> {
  llama = await getLlama({
    gpu: gpu === 'auto' ? 'auto' : false,
    // Never compile or download llama.cpp at run time: use the prebuilt binaries that shipped.
    build: 'never',
    skipDownload: true,
    progressLogs: false,
    logLevel: LlamaLogLevel.error,
  });
  const vram = await llama.getVramState().catch(() => ({ total: 0, free: 0 }));
  const names = await llama.getGpuDeviceNames().catch(() => [] as string[]);
  post({
    type: 'hello',
    hardware: {
      gpu: llama.gpu === false ? null : llama.gpu,
      gpuDeviceNames: names,
      vramTotalBytes: vram.total,
      vramFreeBytes: vram.free,
      cpuMathCores: llama.cpuMathCores,
    },
  });
}

async function load(settings: LoadSettings): Promise<void> {
  const started = performance.now();
  try {
    if (!llama) throw new Error('The worker was asked to load a model before init.');
    if (loaded) await unload();
    const model = await llama.loadModel({
      modelPath: settings.modelPath,
      gpuLayers: settings.gpuLayers,
      onLoadProgress: (progress) => post({ type: 'loadProgress', progress }),
    });
    let context: LlamaContext;
    try {
      context = await model.createContext({
        contextSize: settings.contextSize,
        sequences: settings.cachedConversations,
        threads: settings.threads,
        ...(settings.batchSize ? { batchSize: settings.batchSize } : {}),
      });
    } catch (error) {
      await model.dispose();
      throw error;
    }
    const wrapper = resolveChatWrapper(model);
    loaded = { model, context, wrapper, settings, slots: [] };
    post({
      type: 'loaded',
      contextSize: context.contextSize,
      gpuLayers: model.gpuLayers,
      chatWrapper: wrapper.wrapperName,
      loadMs: performance.now() - started,
    });
  } catch (error) {
    const message =
      error instanceof InsufficientMemoryError
        ? 'There is not enough memory to load this model with these settings. Try a smaller context or a smaller model.'
        : `llama.cpp could not load this model: ${errorText(error)}`;
    post({ type: 'loadFailed', error: { code: 'MODEL_LOAD', message } });
  }
}

function promptTokens(state: Loaded, history: ChatHistoryItem[]): Token[] {
  return state.wrapper
    .generateContextState({ chatHistory: history })
    .contextText.tokenize(state.model.tokenizer);
}

/**
 * Leaves out the oldest turns (never the leading system prompt, never the last user message) until
 * the prompt leaves room for a reply. If the last message alone is still too long, its beginning is cut.
 */
function fitHistory(
  state: Loaded,
  history: ChatHistoryItem[],
  budget: number,
): { history: ChatHistoryItem[]; tokens: Token[]; dropped: number } {
  let current = history;
  let dropped = 0;
  let tokens = promptTokens(state, current);
  const firstDroppable = () => current.findIndex((item) => item.type !== 'system');
  while (tokens.length > budget) {
    const index = firstDroppable();
    // Keep at least the last user message and the open model turn.
    if (index < 0 || index >= current.length - 2) break;
    current = [...current.slice(0, index), ...current.slice(index + 1)];
    dropped++;
    tokens = promptTokens(state, current);
  }
  while (tokens.length > budget) {
    const last = current[current.length - 2];
    const open = current[current.length - 1];
    if (!last || !open || last.type !== 'user' || last.text.length < 2) break;
    const keep = Math.floor(last.text.length * Math.max(0.1, budget / tokens.length) * 0.9);
    // The open model turn is kept as it is: it may hold the start of a reply being continued.
    current = [
      ...current.slice(0, -2),
      { type: 'user', text: last.text.slice(last.text.length - keep) },
      open,
    ];
    dropped = Math.max(dropped, 1);
    tokens = promptTokens(state, current);
  }
  return { history: current, tokens, dropped };
}

function pickSlot(state: Loaded, conversationId: string | null, tokens: Token[]): Slot {
  const { context, wrapper } = state;
  if (conversationId) {
    const own = state.slots.find((slot) => slot.conversationId === conversationId);
    if (own) return own;
  }
  // Without an id (or for a new one), the sequence that already holds the longest prefix wins:
  // that also catches a regenerated reply or an edited last message.
  let best: Slot | null = null;
  let bestPrefix = 1;
  for (const slot of state.slots) {
    const prefix = slot.sequence.compareContextTokens(tokens).firstDifferentIndex;
    if (prefix > bestPrefix) {
      best = slot;
      bestPrefix = prefix;
    }
  }
  if (best && (conversationId === null || best.conversationId === null)) return best;
  if (context.sequencesLeft > 0) {
    const sequence = context.getSequence();
    const slot: Slot = {
      sequence,
      chat: new LlamaChat({ contextSequence: sequence, chatWrapper: wrapper }),
      conversationId,
      lastUsed: 0,
    };
    state.slots.push(slot);
    return slot;
  }
  const leastRecent = state.slots.reduce((a, b) => (a.lastUsed <= b.lastUsed ? a : b));
  leastRecent.conversationId = conversationId;
  return leastRecent;
}

async function generate(
  message: Extract<ToWorker, { type: 'generate' }>,
  signal: AbortSignal,
): Promise<void> {
  const { requestId } = message;
  try {
    const state = loaded;
    if (!state) throw new Error('No model is loaded.');
    const started = performance.now();
    const contextSize = state.context.contextSize;
    const replyReserve = Math.min(message.maxTokens, Math.max(64, Math.floor(contextSize / 4)));
    const fitted = fitHistory(state, toChatHistory(message.messages), contextSize - replyReserve);
    const slot = pickSlot(state, message.conversationId, fitted.tokens);
    slot.conversationId = message.conversationId ?? slot.conversationId;
    slot.lastUsed = ++useClock;
    if (!state.settings.reuseCache) await slot.sequence.clearHistory();
    const reused = slot.sequence.compareContextTokens(fitted.tokens).firstDifferentIndex;
    const meterBefore = slot.sequence.tokenMeter.getState();
    let firstTokenAt: number | null = null;
    let completionTokens = 0;
    let stopReason = 'abort';
    if (!signal.aborted) {
      try {
        const response = await slot.chat.generateResponse(fitted.history, {
          signal,
          stopOnAbortSignal: true,
          maxTokens: message.maxTokens,
          temperature: message.temperature,
          ...(message.topP !== null ? { topP: message.topP } : {}),
          ...(message.seed !== null ? { seed: message.seed } : {}),
          onToken: (tokens) => {
            completionTokens += tokens.length;
          },
          onTextChunk: (text) => {
            firstTokenAt ??= performance.now();
            if (text) post({ type: 'text', requestId, text });
          },
        });
        stopReason = response.metadata.stopReason;
      } catch (error) {
        if (!signal.aborted) throw error;
      }
    }
    const meter = slot.sequence.tokenMeter.diff(meterBefore);
    const now = performance.now();
    post({
      type: 'done',
      requestId,
      stats: {
        promptTokens: fitted.tokens.length,
        reusedPromptTokens: Math.min(reused, fitted.tokens.length),
        evaluatedPromptTokens: meter.usedInputTokens,
        completionTokens,
        droppedMessages: fitted.dropped,
        timeToFirstTokenMs: (firstTokenAt ?? now) - started,
        generationMs: now - started,
        stopReason,
      },
    });
  } catch (error) {
    post({
      type: 'failed',
      requestId,
      error: { code: 'INTERNAL', message: `The local model failed: ${errorText(error)}` },
    });
  } finally {
    controllers.delete(requestId);
  }
}

async function unload(): Promise<void> {
  const state = loaded;
  loaded = null;
  if (!state) return;
  for (const slot of state.slots) slot.chat.dispose();
  await state.context.dispose();
  await state.model.dispose();
}

async function shutdown(): Promise<void> {
  for (const controller of controllers.values()) controller.abort();
  await queue.catch(() => undefined);
  await unload();
  await llama?.dispose();
  process.exit(0);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function receive(raw: unknown): void {
  const parsed = ToWorkerSchema.safeParse(raw);
  if (!parsed.success) {
    console.error('local worker: ignored a malformed message', parsed.error.message);
    return;
  }
  handle(parsed.data).catch((error: unknown) => {
    console.error('local worker: message failed', error);
    if (parsed.data.type === 'init') process.exit(1);
  });
}

if (parentPort) parentPort.on('message', (event) => receive(event.data));
else process.on('message', receive);
// The parent went away: nobody is left to answer.
process.on('disconnect', () => process.exit(0));
