/**
 * `npm run bench:search-folding`: what migration 0007 (folded search indexes) costs a heavy
 * user's history, and what search costs after it.
 *
 * Builds, in a temporary folder, a store at schema version 6 (the real migrations up to 0006)
 * holding 10,000 conversations and 1,000,000 messages of English, French and Chinese text from
 * bench/lib/corpus.ts, in the proportions and lengths bench:store uses, indexed as version 6
 * indexes them. Then, on a fresh copy of that file each time, times `migrate` to version 7 (the
 * index rebuild: folded trigram index, pair index, titles), several runs, with the load average.
 * After the last run it checks the indexes (FTS5 integrity-check at --check), measures search
 * latency on the migrated store (plain, quoted, short, CJK, Simplified ↔ Traditional) and the
 * per-row trigger write rate before and after (the fold runs in every insert), and writes
 * bench/results/search-folding.json (at full scale, or with --write).
 *
 * Options: --scale=0.1 (a tenth of the data), --runs=N (migration runs, 3 by default),
 * --seed=N, --keep (leave the temporary folder), --check, --write.
 */
import { copyFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import {
  configureConnection,
  migrate,
  readSchemaVersion,
  type Db,
} from '../electron/core/store/openDatabase';
import { MIGRATIONS } from '../electron/core/store/migrations';
import { searchMessages } from '../electron/core/store/repos/search';
import {
  message as sentenceText,
  seededRandom,
  title as titleText,
  type Language,
} from './lib/corpus';

const { values: options } = parseArgs({
  options: {
    scale: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    seed: { type: 'string', default: '20260101' },
    keep: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
  },
});
const scale = Number(options.scale);
const RUNS = Math.max(1, Number(options.runs));
const TOTAL_MESSAGES = Math.round(1_000_000 * scale);
const TOTAL_CONVERSATIONS = Math.round(10_000 * scale);
const BATCH = 5_000;
const TRIGGER_SAMPLE = 5_000;
const BEFORE = MIGRATIONS.filter((m) => m.version <= 6);
const AFTER = MIGRATIONS.filter((m) => m.version <= 7);

const root = process.env.BENCH_ROOT ?? process.cwd();
const resultsFile = path.join(root, 'bench', 'results', 'search-folding.json');
const log = (text: string) => console.log(`[search-folding] ${text}`);
const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const loadAverage = () => os.loadavg().map((value) => round(value, 2));
function timed<T>(fn: () => T): [T, number] {
  const started = performance.now();
  const value = fn();
  return [value, performance.now() - started];
}
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};
const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return (
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? 0
  );
};
const fileBytes = (file: string) =>
  ['', '-wal'].reduce((sum, suffix) => {
    try {
      return sum + statSync(file + suffix).size;
    } catch {
      return sum;
    }
  }, 0);

/**
 * The pages in use (file size less the free list, after a checkpoint), and those of the tables
 * that 0007 adds or rebuilds, in MiB: a migration leaves the dropped tables' pages free in the
 * file (a VACUUM would return them) and its writes in the WAL, so the file size alone misleads.
 */
function liveSizes(db: Db) {
  db.pragma('wal_checkpoint(TRUNCATE)');
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  const free = db.pragma('freelist_count', { simple: true }) as number;
  const byTable = db
    .prepare<[], { name: string; bytes: number }>(
      `SELECT CASE WHEN name LIKE 'messages_fts%' THEN 'messages_fts'
                   WHEN name LIKE 'messages_cjk%' THEN 'messages_cjk'
                   WHEN name LIKE 'conversations_fts%' THEN 'conversations_fts'
                   ELSE name END AS name, sum(pgsize) AS bytes
         FROM dbstat
        WHERE name IN ('messages', 'messages_folded') OR name LIKE 'messages_fts%'
           OR name LIKE 'messages_cjk%' OR name LIKE 'conversations_fts%'
        GROUP BY 1 ORDER BY 1`,
    )
    .all();
  const mib = (bytes: number) => round(bytes / 2 ** 20, 0);
  return {
    fileMiB: mib(pages * pageSize),
    freeMiB: mib(free * pageSize),
    liveMiB: mib((pages - free) * pageSize),
    tablesMiB: Object.fromEntries(byTable.map((row) => [row.name, mib(row.bytes)])),
  };
}

const open = (file: string): Db => {
  const db = new Database(file);
  configureConnection(db);
  return db;
};

/**
 * The version-6 store: rows written with raw inserts while the message triggers are dropped,
 * then indexed the way version 6 indexes (its own `rebuild` and pair function), then the
 * triggers put back, so the file is what a version-6 user has.
 */
function buildVersionSix(file: string, random: () => number) {
  const db = open(file);
  migrate(db, BEFORE);
  const languages: Language[] = Array.from({ length: TOTAL_CONVERSATIONS }, () => {
    const r = random();
    return r < 0.45 ? 'en' : r < 0.75 ? 'fr' : 'zh';
  });
  const START = Date.UTC(2024, 0, 1);
  db.transaction(() => {
    const insert = db.prepare(
      `INSERT INTO conversations (id, title, provider, model, created_at, updated_at)
       VALUES (?, ?, 'mistral', 'mistral-small-latest', ?, ?)`,
    );
    languages.forEach((language, c) =>
      insert.run(`c${c}`, titleText(random, language), START, START),
    );
  })();
  const triggers = db
    .prepare<[], { sql: string }>(
      "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'messages'",
    )
    .all();
  for (const trigger of db
    .prepare<[], { name: string }>(
      "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'messages'",
    )
    .all())
    db.exec(`DROP TRIGGER ${trigger.name}`);
  const insert = db.prepare(
    `INSERT INTO messages (id, conversation_id, role, content, status, provider, model,
       created_at, updated_at)
     VALUES (?, ?, ?, ?, 'complete', ?, ?, ?, ?)`,
  );
  let chars = 0;
  const [, insertMs] = timed(() => {
    for (let start = 0; start < TOTAL_MESSAGES; start += BATCH) {
      db.transaction(() => {
        for (let i = start; i < Math.min(TOTAL_MESSAGES, start + BATCH); i++) {
          const c = Math.floor(random() * TOTAL_CONVERSATIONS);
          const assistant = i % 2 === 1;
          const language = random() < 0.08 ? (['en', 'fr', 'zh'] as const)[i % 3] : languages[c];
          const target = assistant
            ? 80 + Math.floor(random() * 520)
            : 20 + Math.floor(Math.pow(random(), 2) * 280);
          const content = sentenceText(random, language ?? 'en', target, 600);
          chars += content.length;
          const at = START + i * 1000;
          insert.run(
            `m${i}`,
            `c${c}`,
            assistant ? 'assistant' : 'user',
            content,
            assistant ? 'mistral' : null,
            assistant ? 'mistral-small-latest' : null,
            at,
            at,
          );
        }
      })();
    }
  });
  const [, indexMs] = timed(() =>
    db.transaction(() => {
      db.exec(`
        INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
        INSERT INTO messages_cjk (rowid, bigrams)
          SELECT message_rowid, b
            FROM (SELECT message_rowid, causerie_cjk_bigrams(content) AS b FROM messages_searchable)
           WHERE b <> '';
      `);
      for (const trigger of triggers) db.exec(trigger.sql);
    })(),
  );
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { insertMs, indexMs, averageChars: chars / TOTAL_MESSAGES };
}

/** Messages per second through the per-row triggers, in transactions of 5,000. */
function triggerWriteRate(db: Db, random: () => number): number {
  const insert = db.prepare(
    `INSERT INTO messages (id, conversation_id, role, content, status, created_at, updated_at)
     VALUES (?, 'c0', 'user', ?, 'complete', 1, 1)`,
  );
  const rows = Array.from({ length: TRIGGER_SAMPLE }, (_, i) => [
    `t${i}-${random()}`,
    sentenceText(random, (['en', 'fr', 'zh'] as const)[i % 3] ?? 'en', 250, 600),
  ]);
  const [, ms] = timed(() =>
    db.transaction(() => {
      for (const [id, content] of rows) insert.run(id, content);
    })(),
  );
  return Math.round(TRIGGER_SAMPLE / (ms / 1000));
}

const QUERIES: { query: string; chineseVariants?: boolean }[] = [
  { query: 'database' },
  { query: 'resume' },
  { query: 'réunion' },
  { query: 'RAPPORT' },
  { query: 'harpsichord' },
  { query: 'sourdough kombucha' },
  { query: '"the database"' },
  { query: '"base de données"' },
  { query: 'strasse' },
  { query: 'zebra' },
  { query: 'ça' },
  { query: 'C#' },
  { query: 'qz' },
  { query: '数据' },
  { query: '火山' },
  { query: '数据库' },
  { query: '人工智能' },
  { query: '數據', chineseVariants: true },
  { query: '數據庫', chineseVariants: true },
  { query: '数据', chineseVariants: true },
  { query: '京剧', chineseVariants: true },
];

function searchLatency(db: Db) {
  return QUERIES.map(({ query, chineseVariants }) => {
    const run = () => searchMessages(db, { query, chineseVariants, limit: 50 });
    const [firstHits, firstMs] = timed(run);
    const times = [0, 1, 2].map(() => timed(run)[1]);
    return {
      query,
      chineseVariants: chineseVariants === true,
      hits: firstHits.length,
      firstMs: round(firstMs, 2),
      medianMs: round(median(times), 2),
    };
  });
}

/**
 * The scan version 6 ran for a query of short words only (LIKE on the raw text, which ignores
 * ASCII case only), on the same file: the baseline for the new scan's cost.
 */
function likeScanBaseline(db: Db) {
  const statement = db.prepare(
    `SELECT m.id FROM messages m JOIN conversations c ON c.id = m.conversation_id
      WHERE c.deleted_at IS NULL AND m.content LIKE ? ESCAPE '\\'
      ORDER BY m.rowid DESC LIMIT 50`,
  );
  return ['C#', 'ça', 'qz'].map((query) => {
    const run = () => statement.all(`%${query}%`);
    run();
    const times = [0, 1, 2].map(() => timed(run)[1]);
    return { query, medianMs: round(median(times), 2) };
  });
}

function main() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'causerie-bench-folding-'));
  const template = path.join(dir, 'v6.db');
  try {
    log(
      `building a version-6 store: ${TOTAL_CONVERSATIONS} conversations, ${TOTAL_MESSAGES} messages`,
    );
    const built = buildVersionSix(template, seededRandom(Number(options.seed)));
    log(
      `  inserted in ${(built.insertMs / 1000).toFixed(1)} s, indexed (v6) in ${(built.indexMs / 1000).toFixed(1)} s; ${(fileBytes(template) / 2 ** 20).toFixed(0)} MiB`,
    );
    const templateDb = open(template);
    const sizesBefore = liveSizes(templateDb);
    templateDb.close();
    log(`  version 6: ${JSON.stringify(sizesBefore)}`);
    copyFileSync(template, path.join(dir, 'v6-writes.db'));
    const v6Writes = open(path.join(dir, 'v6-writes.db'));
    const writeRateBefore = triggerWriteRate(v6Writes, seededRandom(7));
    v6Writes.close();
    rmSync(path.join(dir, 'v6-writes.db'), { force: true });

    const runs: { ms: number; loadBefore: number[]; loadAfter: number[] }[] = [];
    const file = path.join(dir, 'run.db');
    let db: Db | null = null;
    for (let run = 0; run < RUNS; run++) {
      db?.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
      copyFileSync(template, file);
      db = open(file);
      if (readSchemaVersion(db) !== 6) throw new Error('the copy is not at version 6');
      const loadBefore = loadAverage();
      const [, ms] = timed(() => migrate(db as Db, AFTER));
      runs.push({ ms: round(ms, 0), loadBefore, loadAfter: loadAverage() });
      log(
        `  run ${run + 1}/${RUNS}: migration 0007 in ${(ms / 1000).toFixed(1)} s (load ${loadBefore.join(' ')})`,
      );
    }
    if (!db) throw new Error('no run');
    if (readSchemaVersion(db) !== 7) throw new Error('not migrated');
    if (options.check) {
      const [, checkMs] = timed(() =>
        db?.exec(`
          INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1);
          INSERT INTO conversations_fts (conversations_fts, rank) VALUES ('integrity-check', 1);
        `),
      );
      log(`  integrity-check passed in ${(checkMs / 1000).toFixed(1)} s`);
    }
    const sizesAfter = liveSizes(db);
    log(`  version 7: ${JSON.stringify(sizesAfter)}`);
    db.close();
    db = open(file);
    const search = searchLatency(db);
    for (const row of search) {
      log(
        `  ${row.query}${row.chineseVariants ? ' (简↔繁)' : ''}: ${row.hits} hits, first ${row.firstMs} ms, median ${row.medianMs} ms`,
      );
    }
    const baseline = likeScanBaseline(db);
    for (const row of baseline) log(`  v6-style LIKE scan ${row.query}: median ${row.medianMs} ms`);
    const writeRateAfter = triggerWriteRate(db, seededRandom(7));
    db.close();

    const times = runs.map((run) => run.ms);
    const medians = search.map((row) => row.medianMs);
    const result = {
      date: new Date().toISOString(),
      machine: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'CPU'}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`,
      scale,
      messages: TOTAL_MESSAGES,
      conversations: TOTAL_CONVERSATIONS,
      averageMessageChars: round(built.averageChars, 0),
      sizes: { before: sizesBefore, after: sizesAfter },
      migration0007: {
        runs: runs.length,
        medianMs: median(times),
        minMs: Math.min(...times),
        maxMs: Math.max(...times),
        perRun: runs,
      },
      searchAfter: {
        p50Ms: round(percentile(medians, 50), 2),
        p95Ms: round(percentile(medians, 95), 2),
        maxMs: round(Math.max(...medians), 2),
        queries: search,
        likeScanBaselineV6: baseline,
      },
      triggerInsertPerSec: { before: writeRateBefore, after: writeRateAfter },
    };
    log(
      `migration 0007: median ${(result.migration0007.medianMs / 1000).toFixed(1)} s (min ${(result.migration0007.minMs / 1000).toFixed(1)}, max ${(result.migration0007.maxMs / 1000).toFixed(1)}) over ${runs.length} runs`,
    );
    log(
      `search after: p50 ${result.searchAfter.p50Ms} ms, p95 ${result.searchAfter.p95Ms} ms, max ${result.searchAfter.maxMs} ms`,
    );
    log(`insert through triggers: ${writeRateBefore} msg/s at v6, ${writeRateAfter} msg/s at v7`);
    if (scale === 1 || options.write) {
      writeFileSync(resultsFile, `${JSON.stringify(result, null, 2)}\n`);
      log(`wrote ${path.relative(root, resultsFile)}`);
    }
  } finally {
    if (options.keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

main();
