/**
 * Hardware-aware defaults for the local runtime: how many layers go to the GPU, how many threads,
 * how large a context, and whether the model fits at all. Pure functions over figures measured
 * elsewhere (os for RAM and cores, the worker's llama.cpp for the GPU), so they are easy to test.
 */
import os from 'node:os';
import type { WorkerHardware } from './localProtocol';

/** Everything the planner needs to know about the machine. */
export interface SystemInfo {
  totalMemoryBytes: number;
  /** Memory the OS can hand out now (MemAvailable on Linux). */
  freeMemoryBytes: number;
  cpuCount: number;
  /** llama.cpp's GPU backend ('cuda', 'vulkan', 'metal') or null for CPU only. */
  gpu: string | null;
  gpuDeviceNames: string[];
  vramTotalBytes: number;
  vramFreeBytes: number;
  /** Cores llama.cpp considers worth using for math; 0 when unknown. */
  cpuMathCores: number;
}

/** The shape of a model, as read from its GGUF header (see gguf.ts). */
export interface ModelShape {
  fileSizeBytes: number;
  /** Trained context length; null when the file does not say. */
  contextLength: number | null;
  blockCount: number | null;
  embeddingLength: number | null;
  headCount: number | null;
  headCountKv: number | null;
}

/** What the user or the settings asked for; anything left out is chosen here. */
export interface LoadPreferences {
  contextSize?: number;
  gpuLayers?: number;
  threads?: number;
  /** How many conversations keep their KV cache at once (default 2). */
  cachedConversations?: number;
}

/** The settings a model is loaded with. */
export interface LoadPlan {
  contextSize: number;
  gpuLayers: number;
  threads: number;
  cachedConversations: number;
  estimate: MemoryEstimate;
}

/** Where the memory of a loaded model goes. */
export interface MemoryEstimate {
  weightsBytes: number;
  kvCacheBytes: number;
  overheadBytes: number;
  totalBytes: number;
}

const MIB = 1024 * 1024;
const GIB = 1024 * MIB;
/** What we aim for when the model allows it: long enough for real chats, cheap enough for laptops. */
export const DEFAULT_CONTEXT_SIZE = 8192;
const MIN_CONTEXT_SIZE = 512;
/** Leave this share of the machine's RAM to the OS and other apps. */
const RAM_HEADROOM = 0.1;
const VRAM_HEADROOM = 0.1;

/** RAM and cores from the OS, plus what the worker found out about the GPU. */
export function describeSystem(hardware: WorkerHardware | null): SystemInfo {
  return {
    totalMemoryBytes: os.totalmem(),
    freeMemoryBytes: os.freemem(),
    cpuCount: os.availableParallelism(),
    gpu: hardware?.gpu ?? null,
    gpuDeviceNames: hardware?.gpuDeviceNames ?? [],
    vramTotalBytes: hardware?.vramTotalBytes ?? 0,
    vramFreeBytes: hardware?.vramFreeBytes ?? 0,
    cpuMathCores: hardware?.cpuMathCores ?? 0,
  };
}

/**
 * KV-cache bytes for `contextSize` tokens in each of `sequences` sequences (f16 keys and values).
 * Without the model's shape, assumes a 7B-class model with grouped-query attention.
 */
export function kvCacheBytes(
  shape: Partial<ModelShape>,
  contextSize: number,
  sequences = 1,
): number {
  const layers = shape.blockCount ?? 32;
  const embedding = shape.embeddingLength ?? 4096;
  const heads = shape.headCount ?? 32;
  const headsKv = shape.headCountKv ?? 8;
  const kvWidth = (embedding / heads) * headsKv;
  return 2 * layers * contextSize * sequences * kvWidth * 2;
}

/**
 * Memory a model needs once loaded: its weights (about the file size), the KV cache, and llama.cpp's
 * compute buffers and runtime (a fixed part plus a share that grows with the vocabulary and context).
 */
export function estimateModelMemory(
  fileSizeBytes: number,
  contextSize: number,
  shape: Partial<ModelShape> = {},
  sequences = 1,
): MemoryEstimate {
  const kv = kvCacheBytes(shape, contextSize, sequences);
  const overhead = Math.round(128 * MIB + 0.02 * fileSizeBytes + 0.1 * kv);
  return {
    weightsBytes: fileSizeBytes,
    kvCacheBytes: kv,
    overheadBytes: overhead,
    totalBytes: fileSizeBytes + kv + overhead,
  };
}

/** Threads for token generation: llama.cpp's own choice when known, else all but one core on big machines. */
export function defaultThreads(system: SystemInfo): number {
  if (system.cpuMathCores > 0) return system.cpuMathCores;
  return Math.max(1, system.cpuCount > 4 ? system.cpuCount - 1 : system.cpuCount);
}

/** Layers that fit in free VRAM (all of them plus the output layer when the whole model fits). */
export function defaultGpuLayers(
  system: SystemInfo,
  shape: Partial<ModelShape> & { fileSizeBytes: number },
  contextSize: number,
): number {
  if (!system.gpu || system.vramFreeBytes <= 0) return 0;
  const layers = shape.blockCount ?? 32;
  const usable = system.vramFreeBytes * (1 - VRAM_HEADROOM);
  const full = estimateModelMemory(shape.fileSizeBytes, contextSize, shape).totalBytes;
  if (full <= usable) return layers + 1;
  const perLayer = full / (layers + 1);
  return Math.max(0, Math.min(layers, Math.floor(usable / perLayer)));
}

/** Human-readable size, e.g. "4.4 GB". */
export function formatBytes(bytes: number): string {
  if (bytes >= GIB) return `${(bytes / GIB).toFixed(1)} GB`;
  if (bytes >= MIB) return `${Math.round(bytes / MIB)} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** RAM the loaded model would take: the part of it that is not on the GPU. */
function ramNeeded(estimate: MemoryEstimate, gpuLayers: number, layers: number): number {
  const onGpu = Math.min(1, gpuLayers / (layers + 1));
  return (
    Math.round((estimate.weightsBytes + estimate.kvCacheBytes) * (1 - onGpu)) +
    estimate.overheadBytes
  );
}

/**
 * Picks load settings that fit this machine, or explains what is missing. The context shrinks
 * (never below 512 tokens or the trained length) before the model is refused.
 */
export function planLoad(
  system: SystemInfo,
  shape: ModelShape,
  preferences: LoadPreferences = {},
):
  | { ok: true; plan: LoadPlan }
  | { ok: false; message: string; requiredBytes: number; availableBytes: number } {
  const layers = shape.blockCount ?? 32;
  const trained = shape.contextLength ?? DEFAULT_CONTEXT_SIZE;
  const available = Math.min(system.freeMemoryBytes, system.totalMemoryBytes * (1 - RAM_HEADROOM));
  const threads = preferences.threads ?? defaultThreads(system);
  const wantedSequences = preferences.cachedConversations ?? 2;
  const minimum = Math.min(trained, MIN_CONTEXT_SIZE);
  let contextSize = Math.min(preferences.contextSize ?? DEFAULT_CONTEXT_SIZE, trained);

  const attempt = (size: number, sequences: number) => {
    const gpuLayers = preferences.gpuLayers ?? defaultGpuLayers(system, shape, size * sequences);
    const estimate = estimateModelMemory(shape.fileSizeBytes, size, shape, sequences);
    return { gpuLayers, estimate, ram: ramNeeded(estimate, gpuLayers, layers) };
  };

  let result = attempt(contextSize, 1);
  while (result.ram > available && contextSize > minimum && preferences.contextSize === undefined) {
    contextSize = Math.max(minimum, Math.floor(contextSize / 2 / 256) * 256);
    result = attempt(contextSize, 1);
  }
  if (result.ram > available) {
    return {
      ok: false,
      requiredBytes: result.ram,
      availableBytes: available,
      message:
        `This model needs about ${formatBytes(result.ram)} of memory with a ${contextSize}-token context, ` +
        `but only ${formatBytes(available)} is available. Close other apps, choose a smaller context, or use a smaller (more quantized) model.`,
    };
  }
  let sequences = 1;
  while (sequences < wantedSequences) {
    const next = attempt(contextSize, sequences + 1);
    if (next.ram > available) break;
    sequences++;
    result = next;
  }
  return {
    ok: true,
    plan: {
      contextSize,
      gpuLayers: result.gpuLayers,
      threads,
      cachedConversations: sequences,
      estimate: result.estimate,
    },
  };
}
