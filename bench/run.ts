/**
 * Runs benchmarks.
 *
 *   node bench/run.ts store [args...]   builds bench/store.ts and runs it with the args
 *   node bench/run.ts --all             runs every `bench:*` script of package.json, one by one
 *                                       (`npm run bench`), however each one is run
 *
 * The app's sources use extensionless relative imports, which Node's type stripping cannot
 * resolve, so a benchmark is first bundled with Vite (an SSR build: our code bundled, packages
 * from node_modules left as imports) into node_modules/.cache/bench/<name>/, then run in a child
 * process with this same Node. The child gets BENCH_ROOT (the checkout) so it can find bench/
 * whatever folder the bundle sits in. The exit code is the benchmark's (for --all, 1 if any failed).
 * Benchmarks run by other means (a loader, a browser) just get their own `bench:*` script.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = path.join(root, 'bench');
const cacheDir = path.join(root, 'node_modules', '.cache', 'bench');

/** The benchmark files this runner can build: bench/*.ts except itself, by name. */
function allBenchmarks(): string[] {
  return readdirSync(benchDir)
    .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts') && file !== 'run.ts')
    .map((file) => file.slice(0, -'.ts'.length))
    .sort();
}

/** Bundles bench/<name>.ts and returns the path of the bundle. */
async function bundle(name: string): Promise<string> {
  const outDir = path.join(cacheDir, name);
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    ssr: { external: ['electron'] },
    build: {
      ssr: path.join(benchDir, `${name}.ts`),
      outDir,
      emptyOutDir: true,
      target: 'node24',
      sourcemap: true,
      minify: false,
      rolldownOptions: { output: { format: 'es', entryFileNames: `${name}.mjs` } },
    },
  });
  return path.join(outDir, `${name}.mjs`);
}

/** Builds and runs one benchmark; returns its exit code. */
async function runOne(name: string, args: string[]): Promise<number> {
  if (!existsSync(path.join(benchDir, `${name}.ts`))) {
    console.error(`No benchmark named "${name}". There are: ${allBenchmarks().join(', ')}.`);
    return 2;
  }
  const started = Date.now();
  const entry = await bundle(name);
  console.log(`[bench] built ${name} in ${Date.now() - started} ms; running ${entry}`);
  const child = spawnSync(process.execPath, ['--enable-source-maps', entry, ...args], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_ROOT: root },
  });
  if (child.error) throw child.error;
  if (child.signal) console.error(`[bench] ${name} was killed by ${child.signal}`);
  return child.status ?? 1;
}

/** Runs every `bench:*` script of package.json through npm; returns 1 if any failed. */
function runAllScripts(): number {
  const { scripts = {} } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts?: Record<string, string>;
  };
  const names = Object.keys(scripts)
    .filter((name) => name.startsWith('bench:'))
    .sort();
  // Inside `npm run`, npm_execpath is npm's own script: run it with this Node, no shell needed.
  const npm = process.env.npm_execpath;
  const failed: string[] = [];
  for (const name of names) {
    console.log(`[bench] npm run ${name}`);
    const child = npm
      ? spawnSync(process.execPath, [npm, 'run', name], { stdio: 'inherit', cwd: root })
      : spawnSync('npm', ['run', name], { stdio: 'inherit', cwd: root, shell: true });
    if (child.status !== 0) failed.push(`${name} (${child.status ?? child.signal})`);
  }
  if (failed.length > 0) console.error(`[bench] failed: ${failed.join(', ')}`);
  return failed.length === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  const [target, ...args] = process.argv.slice(2);
  if (!target) {
    console.error(
      `Usage: node bench/run.ts <name> [args...] | --all\nBenchmarks: ${allBenchmarks().join(', ')}`,
    );
    return 2;
  }
  return target === '--all' ? runAllScripts() : runOne(target, args);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
