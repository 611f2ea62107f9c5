/**
 * Builds the four targets with Vite: the renderer (web), the Electron main process, the preload
 * (CommonJS, as sandboxed preloads require) and the browser host. `--if-needed` skips the build
 * when nothing under the sources changed since the last one; `--only=host,renderer` builds a subset.
 * `--no-sourcemaps` (the packaging build) writes no `.map` files: installers must not ship them.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type InlineConfig } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
const stampFile = path.join(dist, '.build-stamp');
const SOURCE_DIRS = ['shared', 'electron', 'renderer'];
const SOURCE_FILES = ['package.json', 'package-lock.json', 'scripts/build.ts'];
const sourcemap = !process.argv.includes('--no-sourcemaps');

function newestSourceMtime(): number {
  let newest = 0;
  const visit = (entry: string) => {
    const stat = statSync(entry);
    if (stat.isDirectory()) {
      for (const child of readdirSync(entry)) visit(path.join(entry, child));
    } else {
      newest = Math.max(newest, stat.mtimeMs);
    }
  };
  for (const dir of SOURCE_DIRS) visit(path.join(root, dir));
  for (const file of SOURCE_FILES)
    if (existsSync(path.join(root, file))) visit(path.join(root, file));
  return newest;
}

const nodeTarget = (
  entry: string,
  outDir: string,
  fileName: string,
  format: 'es' | 'cjs',
  bundleAll: boolean,
): InlineConfig => ({
  configFile: false,
  root,
  logLevel: 'warn',
  ssr: bundleAll ? { noExternal: true, external: ['electron'] } : { external: ['electron'] },
  build: {
    ssr: entry,
    outDir,
    emptyOutDir: true,
    target: 'node22',
    sourcemap,
    minify: false,
    rolldownOptions: {
      output: { format, entryFileNames: fileName },
    },
  },
});

const targets: { name: string; config: InlineConfig }[] = [
  {
    name: 'renderer',
    config: {
      configFile: false,
      root: path.join(root, 'renderer'),
      base: './',
      logLevel: 'warn',
      oxc: { jsx: { runtime: 'automatic' } },
      build: {
        outDir: path.join(dist, 'renderer'),
        emptyOutDir: true,
        target: 'chrome130',
        sourcemap,
        // One file per chunk type keeps the CSP simple: no inline scripts, no eval, and no
        // data: fonts (KaTeX's would be inlined otherwise, and font-src is 'self' only).
        modulePreload: { polyfill: false },
        assetsInlineLimit: 0,
      },
    },
  },
  {
    name: 'main',
    config: nodeTarget('electron/main/index.ts', path.join(dist, 'main'), 'index.js', 'es', false),
  },
  {
    name: 'preload',
    config: nodeTarget(
      'electron/preload/index.ts',
      path.join(dist, 'preload'),
      'index.cjs',
      'cjs',
      true,
    ),
  },
  {
    // The local llama.cpp runtime's child process; node-llama-cpp stays external (native binaries).
    name: 'local',
    config: nodeTarget(
      'electron/core/local/localWorker.ts',
      path.join(dist, 'local'),
      'localWorker.js',
      'es',
      false,
    ),
  },
  {
    name: 'host',
    config: nodeTarget('electron/host/index.ts', path.join(dist, 'host'), 'index.js', 'es', false),
  },
];

async function main(): Promise<void> {
  if (process.argv.includes('--if-needed') && existsSync(stampFile)) {
    if (statSync(stampFile).mtimeMs >= newestSourceMtime()) return;
  }
  const onlyArg = process.argv.find((arg) => arg.startsWith('--only='));
  const only = onlyArg ? new Set(onlyArg.slice('--only='.length).split(',')) : null;
  const started = Date.now();
  for (const target of targets) {
    if (!only || only.has(target.name)) await build(target.config);
  }
  // A partial build must not make --if-needed skip the full one.
  if (!only) writeFileSync(stampFile, new Date().toISOString());
  console.log(
    `Built ${targets
      .filter((t) => !only || only.has(t.name))
      .map((t) => t.name)
      .join(', ')} in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
