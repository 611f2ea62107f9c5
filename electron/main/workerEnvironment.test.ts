import { describe, expect, it } from 'vitest';
import { workerEnvironment } from './workerEnvironment';

describe('workerEnvironment', () => {
  it('gives the local-model worker no credential and none of the main process settings', () => {
    const env = workerEnvironment({
      MISTRAL_API_KEY: 'sk-secret',
      MISTRAL_BASE_URL: 'https://api.mistral.ai',
      CAUSERIE_DATA_DIR: '/data',
      OPENAI_API_KEY: 'sk-2',
      GITHUB_TOKEN: 'ghp_x',
      AWS_SECRET_ACCESS_KEY: 'aws',
      HF_TOKEN: 'hf',
      DB_PASSWORD: 'pw',
      npm_config__auth: 'npm',
      PATH: '/usr/bin',
      HOME: '/home/u',
      LD_LIBRARY_PATH: '/usr/local/cuda/lib64',
      CUDA_VISIBLE_DEVICES: '0',
      NODE_LLAMA_CPP_GPU: 'vulkan',
      KEYBOARD_LAYOUT: 'fr',
      TOKENIZERS_PARALLELISM: 'false',
      EMPTY: undefined,
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      HOME: '/home/u',
      LD_LIBRARY_PATH: '/usr/local/cuda/lib64',
      CUDA_VISIBLE_DEVICES: '0',
      NODE_LLAMA_CPP_GPU: 'vulkan',
      KEYBOARD_LAYOUT: 'fr',
      TOKENIZERS_PARALLELISM: 'false',
    });
  });
});
