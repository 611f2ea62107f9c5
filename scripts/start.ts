/**
 * `npm start`: build if needed, then launch the Electron app. Where the Electron runtime cannot
 * be obtained or started (no binary and no route to its download host, no display), say why in
 * one line and start the browser host instead, which prints the URL to open.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const passThrough = process.argv.slice(2);
// An Electron that dies this soon after launch never opened its window.
const EARLY_EXIT_MS = 8_000;

function run(args: string[]): number {
  return spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' }).status ?? 1;
}

function findElectron(): { path: string } | { reason: string } {
  // require('electron') resolves the binary and tries to download it when missing; run it apart
  // so a failed or slow download cannot take this process down.
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], {
    cwd: root,
    encoding: 'utf8',
    timeout: 120_000,
  });
  const binary = probe.stdout?.trim();
  if (probe.status === 0 && binary && existsSync(binary)) return { path: binary };
  const detail = `${probe.stderr ?? ''}`
    .split('\n')
    .map((line) => line.trim())
    .find((line) => /^(Error|RequestError|HTTPError)\b|failed/i.test(line));
  return {
    reason: probe.error
      ? `the Electron runtime could not be resolved (${probe.error.message})`
      : `the Electron runtime is not installed and could not be downloaded${detail ? ` (${detail.slice(0, 160)})` : ''}`,
  };
}

function startHost(reason: string): void {
  console.log(`Electron cannot start here: ${reason}. Starting the browser host instead.`);
  const host = spawn(process.execPath, [path.join(root, 'dist/host/index.js'), ...passThrough], {
    cwd: root,
    stdio: 'inherit',
  });
  const forward = (signal: NodeJS.Signals) => host.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  host.on('exit', (code) => process.exit(code ?? 0));
}

if (run([path.join(root, 'scripts/build.ts'), '--if-needed']) !== 0) process.exit(1);

const electron = findElectron();
if ('reason' in electron) {
  startHost(electron.reason);
} else {
  const startedAt = Date.now();
  const app = spawn(electron.path, [root, ...passThrough], {
    cwd: root,
    stdio: ['inherit', 'inherit', 'pipe'],
  });
  let stderr = '';
  app.stderr?.on('data', (part: Buffer) => {
    stderr += part.toString();
    process.stderr.write(part);
  });
  app.on('error', (error) => startHost(`Electron failed to launch (${error.message})`));
  app.on('exit', (code, signal) => {
    if (code !== 0 && signal === null && Date.now() - startedAt < EARLY_EXIT_MS) {
      const lastLine = stderr.trim().split('\n').at(-1)?.slice(0, 160) ?? `exit code ${code}`;
      startHost(`Electron exited at start-up (${lastLine})`);
      return;
    }
    process.exit(code ?? 0);
  });
}
