/**
 * `npm run lint:electron`: runs Electronegativity (Doyensec's Electron security linter) over the
 * shell's sources and fails on any finding that `accepted.json` in this folder does not list
 * with its reason, and on any listed finding that no longer occurs (so the list stays true).
 *
 * The sources are copied to a temporary folder first: pointed at the project root, the tool
 * walks all of node_modules before filtering it out. Tests are left out; they are not shipped.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

interface Accepted {
  /** Electronegativity's check id, e.g. CONTEXT_ISOLATION_JS_CHECK. */
  check: string;
  /** The file, relative to the project root; "N/A" for global checks. */
  file: string;
  /** Text that must appear on the reported line (not a line number, which moves with edits). */
  code?: string;
  reason: string;
  /** Where the behaviour the reason relies on is asserted. */
  tests: string[];
}

interface Finding {
  check: string;
  file: string;
  line: number;
  text: string;
  message: string;
}

const ROOT = path.resolve(import.meta.dirname, '..');
const CLI = path.join(ROOT, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
const WRAPPER = path.join(import.meta.dirname, 'cli.ts');
const SOURCES = ['electron', 'renderer', 'shared', 'package.json'];

function fail(message: string): never {
  console.error(`lint:electron: ${message}`);
  process.exit(1);
}

if (!existsSync(CLI)) {
  fail(`Electronegativity is not installed (${CLI} is missing): run npm ci.`);
}

const stage = mkdtempSync(path.join(tmpdir(), 'causerie-electronegativity-'));
try {
  for (const source of SOURCES) {
    cpSync(path.join(ROOT, source), path.join(stage, source), {
      recursive: true,
      filter: (file) => !/\.test\.tsx?$/.test(file) && !file.includes(`${path.sep}node_modules`),
    });
  }
  const electronVersion = (
    JSON.parse(
      readFileSync(path.join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8'),
    ) as {
      version: string;
    }
  ).version;
  const sarif = path.join(stage, 'results.sarif');
  const run = spawnSync(
    process.execPath,
    [
      WRAPPER,
      '--input',
      stage,
      '--relative',
      '--verbose',
      'false',
      '--output',
      sarif,
      '--electron-version',
      electronVersion,
    ],
    { encoding: 'utf8', timeout: 180_000 },
  );
  if (run.error) fail(`Electronegativity did not run: ${run.error.message}`);
  if (/No connectivity/.test(run.stdout)) {
    // Said out loud: without the release list, that one check cannot run.
    console.log(
      'lint:electron: AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK (newer Electron releases with security fixes) did not run: it needs the network (ELECTRONEGATIVITY_ONLINE=1).',
    );
  }
  if (!existsSync(sarif)) {
    fail(`Electronegativity wrote no results (exit ${run.status}):\n${run.stdout}\n${run.stderr}`);
  }
  const report = JSON.parse(readFileSync(sarif, 'utf8')) as {
    runs: {
      results: {
        ruleId: string;
        message?: { text?: string };
        locations: {
          physicalLocation: { artifactLocation: { uri: string }; region?: { startLine?: number } };
        }[];
      }[];
    }[];
  };
  const findings: Finding[] = report.runs.flatMap((entry) =>
    entry.results.map((result) => {
      const location = result.locations[0]?.physicalLocation;
      const file = (location?.artifactLocation.uri ?? 'N/A').replace(/^(?:\.\/)+/, '');
      const line = location?.region?.startLine ?? 0;
      let text = '';
      if (file !== 'N/A' && line > 0 && existsSync(path.join(stage, file))) {
        text = readFileSync(path.join(stage, file), 'utf8').split('\n')[line - 1]?.trim() ?? '';
      }
      return { check: result.ruleId, file, line, text, message: result.message?.text ?? '' };
    }),
  );

  const config = JSON.parse(
    readFileSync(path.join(import.meta.dirname, 'accepted.json'), 'utf8'),
  ) as {
    accepted: Accepted[];
  };
  const matches = (accepted: Accepted, finding: Finding) =>
    accepted.check === finding.check &&
    accepted.file === finding.file &&
    (accepted.code === undefined || finding.text.includes(accepted.code));

  const unexplained = findings.filter(
    (finding) => !config.accepted.some((item) => matches(item, finding)),
  );
  const stale = config.accepted.filter(
    (item) => !findings.some((finding) => matches(item, finding)),
  );
  const incomplete = config.accepted.filter(
    (item) => !item.reason.trim() || item.tests.length === 0,
  );
  for (const item of config.accepted) {
    for (const test of item.tests) {
      if (!existsSync(path.join(ROOT, test)))
        incomplete.push({ ...item, reason: `names a missing test: ${test}` });
    }
  }

  console.log(
    `Electronegativity on Electron ${electronVersion}: ${findings.length} finding(s), ${findings.length - unexplained.length} accepted in .electronegativity/accepted.json`,
  );
  for (const finding of unexplained) {
    console.error(
      `  NOT ACCEPTED ${finding.check} ${finding.file}:${finding.line} ${finding.text} — ${finding.message}`,
    );
  }
  for (const item of stale) {
    console.error(
      `  STALE ACCEPTANCE ${item.check} ${item.file} ${item.code ?? ''}: no longer reported; remove it`,
    );
  }
  for (const item of incomplete) {
    console.error(
      `  INCOMPLETE ACCEPTANCE ${item.check} ${item.file}: ${item.reason || 'no reason'}`,
    );
  }
  if (unexplained.length > 0 || stale.length > 0 || incomplete.length > 0) {
    fail(
      'fix the findings above, or accept each one in .electronegativity/accepted.json with its reason and test.',
    );
  }
} finally {
  rmSync(stage, { recursive: true, force: true });
}
