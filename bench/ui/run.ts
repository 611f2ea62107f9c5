/**
 * `npm run bench:ui [-- options]`: bundles bench/ui/uiBench.ts and runs it.
 *
 * The benchmark imports the e2e fixtures (fake provider, host launcher), whose extensionless
 * imports Node's type stripping cannot resolve, so it is first bundled with Vite as an SSR build
 * (our code bundled, packages left as imports) into node_modules/.cache/bench-ui/, then run with
 * this same Node. bench/run.ts does the same for bench/<name>.ts; this one stays beside the UI
 * benchmark so the two can change independently. Options are passed through (see uiBench.ts).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outDir = path.join(root, 'node_modules', '.cache', 'bench-ui');

await build({
  configFile: false,
  root,
  logLevel: 'warn',
  ssr: { external: ['electron'] },
  build: {
    ssr: path.join(root, 'bench', 'ui', 'uiBench.ts'),
    outDir,
    emptyOutDir: true,
    target: 'node24',
    sourcemap: true,
    minify: false,
    rolldownOptions: { output: { format: 'es', entryFileNames: 'uiBench.mjs' } },
  },
});
const child = spawnSync(
  process.execPath,
  ['--enable-source-maps', path.join(outDir, 'uiBench.mjs'), ...process.argv.slice(2)],
  { stdio: 'inherit', cwd: root, env: { ...process.env, BENCH_ROOT: root } },
);
if (child.error) throw child.error;
if (child.signal) console.error(`bench:ui was killed by ${child.signal}`);
process.exitCode = child.status ?? 1;
