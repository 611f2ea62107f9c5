import { afterEach, describe, expect, it, vi } from 'vitest';

// Electron cannot run here; utilityProcess.fork is replaced by a recorder of its options.
const forked = vi.hoisted(() => [] as { entry: string; options: { env?: object } }[]);
vi.mock('electron', () => {
  const utilityProcess = {
    fork(entry: string, _args: string[], options: { env?: object }) {
      forked.push({ entry, options });
      return { pid: 1, on() {}, once() {}, postMessage() {}, kill() {} };
    },
  };
  return { utilityProcess, default: { utilityProcess } };
});

const { utilityWorker } = await import('./utilityWorker');

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('utilityWorker', () => {
  it('starts the llama.cpp process without the API keys of the main process', () => {
    vi.stubEnv('MISTRAL_API_KEY', 'sk-must-not-leak-123456');
    vi.stubEnv('PATH', '/usr/bin');
    utilityWorker('/app/dist/local/localWorker.js')();
    const last = forked.at(-1)!;
    expect(last.entry).toBe('/app/dist/local/localWorker.js');
    expect(last.options.env).toMatchObject({ PATH: '/usr/bin' });
    expect(last.options.env).not.toHaveProperty('MISTRAL_API_KEY');
    expect(JSON.stringify(last.options)).not.toContain('sk-must-not-leak');
  });
});
