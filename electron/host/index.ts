import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readEnvironmentConfig } from '../core/config';
import { createCore } from '../core/createCore';
import { forkWorker } from '../core/local/workerProcess';
import { createAppLogger } from '../core/logging/rotatingLog';
import { createFileKeyVault } from '../core/settings/fileKeyVault';
import { isLoopbackHost, startHostServer } from './hostServer';

/** The same folder Electron's `app.getPath('userData')` uses, so both share one history. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CAUSERIE_DATA_DIR) return env.CAUSERIE_DATA_DIR;
  const home = os.homedir();
  if (process.platform === 'darwin')
    return path.join(home, 'Library', 'Application Support', 'Causerie');
  if (process.platform === 'win32') {
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Causerie');
  }
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Causerie');
}

const USAGE = `Usage: npm run serve -- [--data-dir DIR] [--port N] [--host ADDR]
  --data-dir DIR  where the history lives (default: ${defaultDataDir()})
  --port N        port to listen on; 0 picks a free one (default: 0)
  --host ADDR     address to listen on (default: 127.0.0.1)`;

async function main(): Promise<void> {
  let args;
  try {
    args = parseArgs({
      options: {
        'data-dir': { type: 'string' },
        port: { type: 'string', default: '0' },
        host: { type: 'string', default: '127.0.0.1' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(args.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    console.error(`--port must be a whole number from 0 to 65535.\n${USAGE}`);
    process.exit(2);
  }
  const host = args.host;
  if (!isLoopbackHost(host)) {
    console.warn(
      `Warning: listening on ${host}, which is not a loopback address. Anyone who can reach it and knows the token can read your history and use your keys.`,
    );
  }
  const dataDir = path.resolve(args['data-dir'] ?? defaultDataDir());
  // JSON lines to stderr and <data-dir>/logs/causerie.log, redacted (CAUSERIE_DEBUG_LOG=1 for more).
  const logger = createAppLogger({ dataDir });
  const core = createCore({
    // The local runtime runs in a plain child process; a native crash there cannot take us down.
    spawnLocalWorker: forkWorker({
      entry: fileURLToPath(new URL('../local/localWorker.js', import.meta.url)),
    }),
    ...(process.env.CAUSERIE_LOCAL_GPU === 'off' ? { localGpu: 'off' as const } : {}),
    ...(process.env.CAUSERIE_EXTRA_CATALOGUE
      ? { extraCatalogueFile: process.env.CAUSERIE_EXTRA_CATALOGUE }
      : {}),
    dataDir,
    // Keys from the environment first, then a 0600 keys.json in the data folder.
    keyVault: createFileKeyVault({ dataDir, env: process.env, logger }),
    keyStorage: 'file',
    logger,
    ...readEnvironmentConfig(process.env),
  });
  const rendererDir = fileURLToPath(new URL('../renderer/', import.meta.url));
  const server = await startHostServer({ core, rendererDir, host, port, logger });
  console.log(`Causerie is running at ${server.url}`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await server.close();
    await core.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(`Causerie could not start: ${(error as Error).message}`);
  process.exit(1);
});
