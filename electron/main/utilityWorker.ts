import { utilityProcess } from 'electron';
import type { SpawnWorker } from '../core/local/workerProcess';
import { workerEnvironment } from './workerEnvironment';

/**
 * Starts the local runtime with Electron's utilityProcess: a Node child that works with the
 * RunAsNode fuse off, and whose native crash (a llama.cpp assert) never takes the app down.
 * It keeps Node on purpose (docs/security-checklist.md, "Round two: Electron shell and CSP"):
 * it loads node-llama-cpp's native addon and reads model files. It gets no secrets from the
 * environment and talks to the main process only, over its message port.
 */
export function utilityWorker(entry: string): SpawnWorker {
  return () => {
    const child = utilityProcess.fork(entry, [], {
      serviceName: 'Causerie local model',
      stdio: 'inherit',
      env: workerEnvironment(process.env),
    });
    return {
      get pid() {
        return child.pid;
      },
      send(message) {
        child.postMessage(message);
      },
      onMessage(listener) {
        child.on('message', listener);
      },
      onExit(listener) {
        child.once('exit', (code) => listener({ code, signal: null }));
      },
      kill() {
        child.kill();
      },
    };
  };
}
