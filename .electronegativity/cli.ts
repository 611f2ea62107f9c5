/**
 * Starts the Electronegativity CLI without network access. At start it downloads translations and
 * the list of Electron releases with `got`; offline, on the Node versions we use, those requests
 * throw from retry timers and kill the scan at a random moment. Here `got` fails at once instead,
 * so a run gives the same answer with or without a network. The one check that needs the release
 * list (AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK) then says it could not run, and run.ts reports
 * that. Set ELECTRONEGATIVITY_ONLINE=1 to let the downloads happen.
 */
import Module, { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
const CLI = path.resolve(
  import.meta.dirname,
  '..',
  'node_modules',
  '@doyensec',
  'electronegativity',
  'dist',
  'index.js',
);

if (process.env.ELECTRONEGATIVITY_ONLINE !== '1') {
  const offlineGot = () =>
    Promise.reject(new Error('lint:electron runs offline (ELECTRONEGATIVITY_ONLINE=1 to change)'));
  // Module._load is how CommonJS resolves every require; only `got` is replaced.
  const loader = Module as unknown as {
    _load: (request: string, parent: unknown, isMain: boolean) => unknown;
  };
  const load = loader._load;
  loader._load = function (request, parent, isMain) {
    if (request === 'got') return offlineGot;
    return load.call(this, request, parent, isMain);
  };
}

require(CLI);
