import { utilityProcess } from 'electron';
import type { SpawnWorker } from '../core/local/workerProcess';

/**
 * Starts the local runtime with Electron's utilityProcess: a Node child that works with the
 * RunAsNode fuse off, and whose native crash (a llama.cpp assert) never takes the app down.
 */
export function utilityWorker(entry: string): SpawnWorker {
  return () => {
    const child = utilityProcess.fork(entry, [], {
      serviceName: 'Causerie local model',
      stdio: 'inherit',
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
