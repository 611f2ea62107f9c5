import { describe, expect, it } from 'vitest';
import {
  defaultGpuLayers,
  defaultThreads,
  estimateModelMemory,
  formatBytes,
  kvCacheBytes,
  planLoad,
  type ModelShape,
  type SystemInfo,
} from './hardware';

const GIB = 1024 ** 3;

const mistral7bQ4: ModelShape = {
  fileSizeBytes: 4.37e9,
  contextLength: 32768,
  blockCount: 32,
  embeddingLength: 4096,
  headCount: 32,
  headCountKv: 8,
};

const laptop = (overrides: Partial<SystemInfo> = {}): SystemInfo => ({
  totalMemoryBytes: 16 * GIB,
  freeMemoryBytes: 12 * GIB,
  cpuCount: 8,
  gpu: null,
  gpuDeviceNames: [],
  vramTotalBytes: 0,
  vramFreeBytes: 0,
  cpuMathCores: 0,
  ...overrides,
});

describe('memory estimates', () => {
  it('sizes the KV cache of a GQA model like llama.cpp does (f16 keys and values)', () => {
    // 32 layers × 1024 kv width × 2 (K and V) × 2 bytes = 128 KiB per token.
    expect(kvCacheBytes(mistral7bQ4, 4096)).toBe(512 * 1024 * 1024);
    expect(kvCacheBytes(mistral7bQ4, 4096, 2)).toBe(1024 * 1024 * 1024);
  });

  it('adds weights, cache and overhead', () => {
    const estimate = estimateModelMemory(mistral7bQ4.fileSizeBytes, 4096, mistral7bQ4);
    expect(estimate.totalBytes).toBe(
      estimate.weightsBytes + estimate.kvCacheBytes + estimate.overheadBytes,
    );
    expect(estimate.totalBytes / GIB).toBeGreaterThan(4.6);
    expect(estimate.totalBytes / GIB).toBeLessThan(5.6);
  });

  it('formats sizes for people', () => {
    expect(formatBytes(5.2 * GIB)).toBe('5.2 GB');
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MB');
  });
});

describe('defaults', () => {
  it('uses llama.cpp’s math cores when known, else leaves a core free on big machines', () => {
    expect(defaultThreads(laptop({ cpuMathCores: 6 }))).toBe(6);
    expect(defaultThreads(laptop({ cpuCount: 8 }))).toBe(7);
    expect(defaultThreads(laptop({ cpuCount: 2 }))).toBe(2);
  });

  it('offloads everything to a GPU with room, part of it to a small one, nothing without one', () => {
    expect(defaultGpuLayers(laptop(), mistral7bQ4, 4096)).toBe(0);
    const big = laptop({ gpu: 'cuda', vramTotalBytes: 24 * GIB, vramFreeBytes: 22 * GIB });
    expect(defaultGpuLayers(big, mistral7bQ4, 4096)).toBe(33);
    const small = laptop({ gpu: 'vulkan', vramTotalBytes: 4 * GIB, vramFreeBytes: 3 * GIB });
    const layers = defaultGpuLayers(small, mistral7bQ4, 4096);
    expect(layers).toBeGreaterThan(10);
    expect(layers).toBeLessThan(32);
  });
});

describe('planLoad', () => {
  it('chooses an 8k context with two cached conversations on a 16 GB laptop', () => {
    const result = planLoad(laptop(), mistral7bQ4);
    expect(result).toMatchObject({
      ok: true,
      plan: { contextSize: 8192, gpuLayers: 0, threads: 7, cachedConversations: 2 },
    });
  });

  it('never asks for more context than the model was trained with', () => {
    const result = planLoad(laptop(), { ...mistral7bQ4, contextLength: 2048 });
    expect(result.ok && result.plan.contextSize).toBe(2048);
  });

  it('shrinks the context and the cache before refusing on a tight machine', () => {
    const result = planLoad(
      laptop({ totalMemoryBytes: 8 * GIB, freeMemoryBytes: 5.2 * GIB }),
      mistral7bQ4,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.plan.contextSize).toBeLessThan(8192);
    expect(result.plan.cachedConversations).toBe(1);
  });

  it('refuses a model that cannot fit, saying how much memory it needs', () => {
    const result = planLoad(
      laptop({ totalMemoryBytes: 4 * GIB, freeMemoryBytes: 3 * GIB }),
      mistral7bQ4,
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.requiredBytes).toBeGreaterThan(4 * GIB);
    expect(result.message).toMatch(/needs about 4\.\d GB of memory .* only 3\.0 GB is available/);
  });

  it('counts only the CPU share of a model that is offloaded to the GPU', () => {
    const gpuBox = laptop({
      totalMemoryBytes: 8 * GIB,
      freeMemoryBytes: 3 * GIB,
      gpu: 'cuda',
      vramTotalBytes: 12 * GIB,
      vramFreeBytes: 11 * GIB,
    });
    const result = planLoad(gpuBox, mistral7bQ4, { contextSize: 4096 });
    expect(result).toMatchObject({ ok: true, plan: { gpuLayers: 33, contextSize: 4096 } });
  });

  it('respects explicit preferences', () => {
    const result = planLoad(laptop(), mistral7bQ4, {
      contextSize: 2048,
      threads: 3,
      gpuLayers: 0,
      cachedConversations: 1,
    });
    expect(result).toMatchObject({
      ok: true,
      plan: { contextSize: 2048, threads: 3, gpuLayers: 0, cachedConversations: 1 },
    });
  });
});
