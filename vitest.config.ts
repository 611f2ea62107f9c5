import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'eslint.layers.test.ts',
      'shared/**/*.test.ts',
      'electron/**/*.test.ts',
      'renderer/**/*.test.{ts,tsx}',
    ],
    environment: 'node',
    testTimeout: 20_000,
    // The 2-core CI machine: two workers keep runs fast without starving the fake servers.
    maxWorkers: 2,
  },
});
