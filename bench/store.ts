/**
 * `npm run bench:store`: the conversation store at the scale of a heavy user's history.
 *
 * Builds, in a temporary folder, a real store (openDatabase, the real migrations) holding the
 * data set of bench/lib/storeDataSet.ts: 10,000 conversations and 1,000,000 messages of English,
 * French and Chinese text, one of them a 5,000-message thread. Then runs the scenarios in
 * bench/store/: `reads` (the sidebar's pages and counts, opening the long thread), `search`
 * (Latin and CJK queries against a LIKE scan in the same run) and `writes` (the per-row write
 * path, an export imported back). Prints a table with PASS/FAIL per target and writes
 * bench/results/store.json. The temporary folder is removed at the end.
 *
 * Options: --scale=0.1 (a tenth of the data for a quick try; results are then written only with
 * --write), --seed=N, --keep (leave the temporary folder), --check (verify the search index
 * after generation; slow at full scale).
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '../electron/core/store/openDatabase';
import { seededRandom } from './lib/corpus';
import { loadAverage, round, type Sample } from './lib/measure';
import { dataSetSize, generate } from './lib/storeDataSet';
import { readsScenario } from './store/reads';
import { searchScenario, type QuerySummary } from './store/search';
import { writesScenario } from './store/writes';

const { values: options } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    seed: { type: 'string', default: '20260101' },
    keep: { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
  },
});
const scale = Number(options.scale);
const SIZE = dataSetSize(scale);
const IMPORT_MESSAGES = Math.round(100_000 * scale);
const TRIGGER_SAMPLE = Math.round(20_000 * Math.min(1, scale * 10));
const TEMP_PREFIX = 'causerie-bench-store-';

const root = process.env.BENCH_ROOT ?? process.cwd();
const resultsFile = path.join(root, 'bench', 'results', 'store.json');
const log = (text: string) => console.log(`[store] ${text}`);

/** Removes folders an interrupted earlier run left behind (only this benchmark's prefix). */
function sweepStaleTempDirs(): void {
  for (const entry of readdirSync(os.tmpdir())) {
    if (entry.startsWith(TEMP_PREFIX)) {
      rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
    }
  }
}

const fileBytes = (file: string) =>
  ['', '-wal'].reduce((sum, suffix) => {
    try {
      return sum + statSync(file + suffix).size;
    } catch {
      return sum;
    }
  }, 0);

interface Target {
  name: string;
  value: number;
  unit: string;
  target: number;
  higherIsBetter: boolean;
  pass: boolean;
}

function target(
  name: string,
  unit: string,
  goal: number,
  higherIsBetter: boolean,
  value: number,
): Target {
  const pass = higherIsBetter ? value >= goal : value <= goal;
  return { name, value, unit, target: goal, higherIsBetter, pass };
}

function main(): number {
  sweepStaleTempDirs();
  const dir = mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
  const file = path.join(dir, 'causerie.db');
  const random = seededRandom(Number(options.seed));
  const benchStarted = performance.now();
  const loadAtStart = loadAverage();
  log(`${SIZE.conversations} conversations, ${SIZE.messages} messages, in ${dir}`);
  if ((loadAtStart[0] ?? 0) > os.cpus().length / 2) {
    log(
      `warning: load average ${loadAtStart.join(' ')} on ${os.cpus().length} cores: other work is running, figures will be pessimistic`,
    );
  }
  try {
    // ---------------------------------------------------------------- generation
    let db = openDatabase(file);
    const generated = generate(db, random, SIZE, log);
    if (options.check) {
      db.exec("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");
      log('search index integrity-check passed');
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const generateMessagesPerSec = Math.round(SIZE.messages / (generated.insertMs / 1000));
    const databaseMiB = round(fileBytes(file) / 2 ** 20, 0);
    log(
      `generated in ${(generated.totalMs / 1000).toFixed(0)} s: ${generateMessagesPerSec} msg/s ` +
        '(search indexing included), ' +
        `${Math.round(generated.textChars / SIZE.messages)} chars/message, ` +
        `${generated.branches} regenerated replies, ${databaseMiB} MiB`,
    );

    // A new connection, as after a restart: SQLite's cache is cold (the OS cache is not).
    db = openDatabase(file);
    const sqliteVersion = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    const reads = readsScenario(db, generated.longThread, SIZE.conversations);
    log(
      `reads measured (sidebar first page ${reads.firstSidebarPage.p50} ms p50, every conversation ${reads.listEverything.p50} ms; open: last page ${reads.openLastPage.p50} ms p50, whole thread ${reads.openWholeThread.p50} ms p50)`,
    );
    const search = searchScenario(db, log);
    const writes = writesScenario(db, {
      random,
      triggerSample: TRIGGER_SAMPLE,
      importMessages: IMPORT_MESSAGES,
      conversations: generated.conversations,
      dir,
      log,
    });
    db.close();

    const targets = [
      target('list page (50), p95', 'ms', 5, false, reads.listPage.p95),
      target('sidebar first page (100), p95', 'ms', 5, false, reads.firstSidebarPage.p95),
      target('open 5,000-message thread, p95', 'ms', 50, false, reads.openLastPage.p95),
      target('search p95, Latin', 'ms', 50, false, search.latin.p95),
      target('search p95, CJK', 'ms', 50, false, search.cjk.p95),
      target('search speed-up over LIKE (p95)', '×', 100, true, search.speedupVsLike),
      target('import (importExport)', 'msg/s', 100_000, true, writes.importMessagesPerSec),
    ]; // prettier-ignore

    const cpus = os.cpus();
    const results = {
      messages: SIZE.messages,
      conversations: SIZE.conversations,
      longThreadMessages: generated.longThread.messages,
      averageMessageChars: Math.round(generated.textChars / SIZE.messages),
      databaseMiB,
      listPageMs: reads.listPage.p95,
      listPage: reads.listPage,
      firstSidebarPageMs: reads.firstSidebarPage.p95,
      firstSidebarPage: reads.firstSidebarPage,
      sidebarCounts: reads.counts,
      /** Before paging, start-up read every conversation: the baseline in this run. */
      listEverything: reads.listEverything,
      listConversationsDefault500Ms: reads.listDefault.p95,
      listConversations50Ms: reads.listFifty.p95,
      openConversationMs: reads.openLastPage.p95,
      openConversation: reads.openLastPage,
      /** Before paging: the whole 5,000-message path sent at once (the baseline in this run). */
      openWholeThread: reads.openWholeThread,
      listThread: reads.listThread,
      searchP50Ms: search.latin.p50,
      searchP95Ms: search.latin.p95,
      searchCjkP50Ms: search.cjk.p50,
      searchCjkP95Ms: search.cjk.p95,
      likeScanP50Ms: search.like.p50,
      likeScanP95Ms: search.like.p95,
      searchSpeedupVsLike: search.speedupVsLike,
      ...writes,
      generateMessagesPerSec,
      generateSeconds: round(generated.totalMs / 1000, 0),
      insertMessageTriggerSample: TRIGGER_SAMPLE,
      targets,
      queries: { latin: search.latin, cjk: search.cjk, like: search.like },
      plans: { searchAsIs: search.plan },
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? 'unknown',
        memoryGiB: round(os.totalmem() / 2 ** 30, 1),
        loadAverageAtStart: loadAtStart,
        loadAverageAtEnd: loadAverage(),
        platform: `${os.platform()} ${os.release()} ${os.arch()}`,
        node: process.version,
        sqlite: sqliteVersion,
        betterSqlite3: (
          JSON.parse(
            readFileSync(path.join(root, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8'),
          ) as { version: string }
        ).version,
      },
      date: new Date().toISOString(),
      benchSeconds: round((performance.now() - benchStarted) / 1000, 0),
      scale,
      seed: Number(options.seed),
    };

    printReport(results, targets);
    if (scale === 1 || options.write) {
      mkdirSync(path.dirname(resultsFile), { recursive: true });
      writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
      log(`wrote ${path.relative(root, resultsFile)}`);
    } else {
      log(`--scale=${scale}: results not written (pass --write to write them)`);
    }
    return targets.every((t) => t.pass) ? 0 : 1;
  } finally {
    if (options.keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** The shape printReport reads (the results object has more). */
interface Results {
  messages: number;
  conversations: number;
  databaseMiB: number;
  generateMessagesPerSec: number;
  insertMessageTriggerPerSec: number;
  listPage: Sample;
  firstSidebarPage: Sample;
  sidebarCounts: Sample;
  listEverything: Sample;
  listConversationsDefault500Ms: number;
  openConversation: Sample;
  openWholeThread: Sample;
  listThread: Sample;
  searchSpeedupVsLike: number;
  importMessagesPerSec: number;
  importMessages: number;
  importBreakdownMs: { total: number; jsonParse: number; zodValidation: number };
  queries: Record<'latin' | 'cjk' | 'like', QuerySummary>;
}

function printReport(r: Results, targets: Target[]): void {
  const s = (x: Sample) => `${x.first} / ${x.p50} / ${x.p95} ms`;
  const q = (x: QuerySummary) => `${x.p50} / ${x.p95} / ${x.max} ms`;
  const rows: [string, string][] = [
    ['messages / conversations', `${r.messages} / ${r.conversations} (${r.databaseMiB} MiB)`],
    ['generate: insertMessage, FTS per batch', `${r.generateMessagesPerSec} msg/s`],
    ['insertMessage with the FTS trigger', `${r.insertMessageTriggerPerSec} msg/s`],
    ['list page of 50: first / p50 / p95', s(r.listPage)],
    ['sidebar first page (100): first / p50 / p95', s(r.firstSidebarPage)],
    ['sidebar counts: first / p50 / p95', s(r.sidebarCounts)],
    ['every conversation (before paging)', s(r.listEverything)],
    ['listConversations() (500 rows) p95', `${r.listConversationsDefault500Ms} ms`],
    ['open 5,000-msg thread: first / p50 / p95', s(r.openConversation)],
    ['whole 5,000-msg path (before paging)', s(r.openWholeThread)],
    ['listThread 5,000 msgs: first / p50 / p95', s(r.listThread)],
    ['search Latin (50 q): p50 / p95 / max', q(r.queries.latin)],
    ['search CJK (50 q): p50 / p95 / max', q(r.queries.cjk)],
    ['LIKE scan (10+10 q): p50 / p95 / max', q(r.queries.like)],
    ['search speed-up over LIKE (p95)', `${r.searchSpeedupVsLike}×`],
    ['importExport (re-import, new ids)', `${r.importMessagesPerSec} msg/s for ${r.importMessages} messages`],
    ['  of which JSON.parse / zod', `${r.importBreakdownMs.jsonParse} / ${r.importBreakdownMs.zodValidation} of ${r.importBreakdownMs.total} ms`],
  ]; // prettier-ignore
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  console.log('');
  for (const [label, list] of [
    ['Latin', r.queries.latin],
    ['CJK', r.queries.cjk],
  ] as const) {
    const slow = list.slowest.map((x) => `${x.query} ${x.ms} ms (${x.hits} hits)`).join(', ');
    console.log(`  slowest ${label} queries: ${slow}`);
  }
  console.log('');
  for (const t of targets) {
    const goal = `${t.higherIsBetter ? '≥' : '≤'} ${t.target} ${t.unit}`;
    console.log(
      `  ${`${t.name} (${goal})`.padEnd(46)} ${t.pass ? 'PASS' : 'FAIL'} ${String(t.value).padStart(8)} ${t.unit}`,
    );
  }
  console.log('');
}

process.exitCode = main();
