/**
 * `npm run bench:store`: the conversation store at the scale of a heavy user's history.
 *
 * Builds, in a temporary folder, a real store (openDatabase, the real migrations) holding 10,000
 * conversations and 1,000,000 messages of English, French and Chinese text, written through the
 * store's own insertConversation / insertMessage in transactions, one conversation among them a
 * 5,000-message thread. Then measures what the user waits for: the sidebar's first page, opening
 * the long conversation, message search (Latin and CJK queries) against a naive LIKE scan in the
 * same run, and importing an export file with importExport. Prints a table and PASS/FAIL per
 * target, measures prototypes of the store changes proposed in bench/README.md next to the code
 * as it is, and writes bench/results/store.json. The temporary folder is removed at the end.
 *
 * Options: --scale=0.1 (a tenth of the data for a quick try; results are then written only with
 * --write), --seed=N, --keep (leave the temporary folder), --check (verify the search index
 * after generation; slow at full scale).
 */
import { randomUUID } from 'node:crypto';
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
import type { Message } from '../shared/domain';
import {
  ExportConversationSchema,
  exportConversations,
  importExport,
  parseExportJson,
} from '../electron/core/store/exportImport';
import { openDatabase, type Db } from '../electron/core/store/openDatabase';
import {
  findActiveLeafId,
  findConversation,
  insertConversation,
  listConversations,
  listConversationsPage,
  setActiveLeaf,
} from '../electron/core/store/repos/conversations';
import {
  insertMessage,
  listPathToLeaf,
  listThread,
  listThreadPage,
  type MessageExtras,
} from '../electron/core/store/repos/messages';
import { THREAD_PAGE_SIZE } from '../shared/contract';
import { searchMessages } from '../electron/core/store/repos/search';
import {
  message as sentenceText,
  seededRandom,
  title as titleText,
  type Language,
} from './lib/corpus';
import {
  createCjkBigramIndex,
  pathByConversation,
  pathSqlAsIs,
  pathSqlRowid,
  searchPrototype,
  SELECTIVE_BELOW,
  withBulkSearchIndexing,
} from './lib/storePrototypes';

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
const TOTAL_MESSAGES = Math.round(1_000_000 * scale);
const TOTAL_CONVERSATIONS = Math.round(10_000 * scale);
const LONG_THREAD = 5_000;
const IMPORT_MESSAGES = Math.round(100_000 * scale);
const TRIGGER_SAMPLE = Math.round(20_000 * Math.min(1, scale * 10));
const BATCH = 5_000;
const TEMP_PREFIX = 'causerie-bench-store-';
const MMAP_BYTES = 1024 * 2 ** 20;

const root = process.env.BENCH_ROOT ?? process.cwd();
const resultsFile = path.join(root, 'bench', 'results', 'store.json');

// ------------------------------------------------------------------------------------ helpers

const now = () => performance.now();
function timed<T>(fn: () => T): [T, number] {
  const start = now();
  const value = fn();
  return [value, now() - start];
}
/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return at(
    sorted,
    Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)),
  );
}
const round = (value: number, digits = 2) => Number(value.toFixed(digits));
/** `list[i]`, which must exist (the data set's arrays are indexed only within bounds). */
function at<T>(list: ArrayLike<T>, i: number): T {
  const value = list[i];
  if (value === undefined) throw new RangeError(`index ${i} out of ${list.length}`);
  return value;
}
const log = (text: string) => console.log(`[store] ${text}`);

interface Sample {
  first: number;
  p50: number;
  p95: number;
}
/** Runs `fn` once (reported as `first`: cold SQLite cache), then `runs` times. */
function sample(fn: () => unknown, runs: number): Sample {
  const [, first] = timed(fn);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(timed(fn)[1]);
  return {
    first: round(first),
    p50: round(percentile(times, 50)),
    p95: round(percentile(times, 95)),
  };
}

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

const queryPlan = (db: Db, sql: string, params: unknown): string[] =>
  (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map(
    (r) => r.detail,
  );

// ------------------------------------------------------------------------------ the data set

interface ConversationPlan {
  id: string;
  language: Language;
  count: number;
  /** Index of this conversation's first message in the global message arrays. */
  first: number;
  pinned: boolean;
  archived: boolean;
  trashed: boolean;
}

const DAY = 24 * 60 * 60 * 1000;
const END = Date.UTC(2026, 0, 1);
const SPAN = 730 * DAY;

/**
 * Decides how many messages each conversation has (a long-tailed spread; conversation 0 is the
 * 5,000-message one) and when each message was written, then orders all messages by time, so
 * the file fills the way a real history does: conversations interleaved, each one's messages
 * scattered over the file.
 */
function planDataSet(random: () => number) {
  const longThread = Math.min(LONG_THREAD, Math.floor(TOTAL_MESSAGES / 4));
  const weights = Array.from({ length: TOTAL_CONVERSATIONS - 1 }, () => {
    // log-normal (sigma 1): most conversations are short, a few run to hundreds of messages.
    const gauss = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return Math.exp(gauss);
  });
  const rest = TOTAL_MESSAGES - longThread - 2 * weights.length;
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  const counts = [longThread, ...weights.map((w) => 2 + Math.floor((w / weightSum) * rest))];
  // Hand out what flooring lost, one message each, to the conversations after the long one.
  let missing = TOTAL_MESSAGES - counts.reduce((sum, c) => sum + c, 0);
  for (let i = 1; missing > 0; i = (i % (counts.length - 1)) + 1, missing--)
    counts[i] = at(counts, i) + 1;

  const conversationOf = new Int32Array(TOTAL_MESSAGES);
  const time = new Float64Array(TOTAL_MESSAGES);
  const conversations: ConversationPlan[] = [];
  let index = 0;
  counts.forEach((count, c) => {
    const r = random();
    const language: Language = r < 0.45 ? 'en' : r < 0.75 ? 'fr' : 'zh';
    const gaps = new Float64Array(count);
    let duration = 0;
    for (let j = 1; j < count; j++) {
      const comeBack = random() < 0.03; // returning to the conversation days later
      const gap = comeBack
        ? DAY * (1 + random() * 30)
        : j % 2 === 1
          ? 2_000 + random() * 40_000 // the reply
          : 20_000 + random() * 600_000; // the next question
      gaps[j] = gap;
      duration += gap;
    }
    const squeeze = duration > SPAN * 0.9 ? (SPAN * 0.9) / duration : 1;
    let clock = END - SPAN + random() * (SPAN - duration * squeeze);
    for (let j = 0; j < count; j++) {
      clock += Math.max(1, at(gaps, j) * squeeze);
      conversationOf[index + j] = c;
      time[index + j] = Math.floor(clock);
    }
    const special = c > 0 ? random() : 1;
    conversations.push({
      id: randomUUID(),
      language,
      count,
      first: index,
      pinned: special < 0.02,
      archived: special >= 0.02 && special < 0.07,
      trashed: special >= 0.07 && special < 0.08,
    });
    index += count;
  });
  const order = new Uint32Array(TOTAL_MESSAGES).map((_, i) => i);
  order.sort((x, y) => at(time, x) - at(time, y) || x - y);
  return { conversations, conversationOf, time, order };
}

const MODELS = ['mistral-small-latest', 'mistral-large-latest', 'magistral-medium-latest'];
const OTHER: Record<Language, Language[]> = {
  en: ['fr', 'zh'],
  fr: ['en', 'zh'],
  zh: ['en', 'fr'],
};

type NewMessage = Message & Partial<MessageExtras>;

/** One message's fields: metadata as the chat service writes it. */
function messageFields(
  random: () => number,
  fields: Pick<Message, 'conversationId' | 'parentId' | 'role' | 'createdAt'>,
  language: Language,
  model: string,
): NewMessage {
  const { role } = fields;
  const target =
    role === 'user'
      ? 20 + Math.floor(Math.pow(random(), 2) * 280)
      : 80 + Math.floor(random() * 520);
  const content = sentenceText(random, language, target, 600);
  const failed = role === 'assistant' && random() < 0.005;
  const tokens = Math.ceil(content.length / 4);
  const assistant = role === 'assistant';
  return {
    ...fields,
    id: randomUUID(),
    content,
    status: failed ? 'error' : 'complete',
    model: assistant ? { provider: 'mistral', model } : null,
    usage:
      assistant && !failed
        ? { promptTokens: 200 + tokens, completionTokens: tokens, totalTokens: 200 + 2 * tokens }
        : null,
    error: failed ? { code: 'RATE_LIMITED', message: 'Too many requests.', retryable: true } : null,
    updatedAt: fields.createdAt + (assistant ? 1_500 : 0),
    replyLanguage: assistant ? language : null,
    detectedLanguage: language,
    ttftMs: assistant ? 150 + Math.floor(random() * 600) : null,
    tokensPerSec: assistant ? round(40 + random() * 80, 1) : null,
  };
}

/**
 * Writes the data set through insertConversation / insertMessage, BATCH messages per
 * transaction. The FTS index is filled once per batch rather than by the per-row trigger
 * (withBulkSearchIndexing, one of the proposed changes): the trigger path would make this phase
 * alone take 5 minutes here. The trigger path is measured separately (insertWithTrigger).
 */
function generate(db: Db, random: () => number) {
  const started = now();
  const { conversations, conversationOf, time, order } = planDataSet(random);

  // Conversations first (messages reference them), in the order they were started.
  const startOf = (c: ConversationPlan) => at(time, c.first);
  const endOf = (c: ConversationPlan) => at(time, c.first + c.count - 1);
  const byStart = [...conversations].sort((x, y) => startOf(x) - startOf(y));
  db.transaction(() => {
    for (const c of byStart) {
      insertConversation(db, {
        id: c.id,
        title: titleText(random, c.language),
        model: { provider: 'mistral', model: at(MODELS, Math.floor(random() * MODELS.length)) },
        createdAt: startOf(c),
        updatedAt: endOf(c),
        pinned: c.pinned,
        archived: c.archived,
        deletedAt: c.trashed ? endOf(c) + DAY : null,
      });
    }
  })();

  const leaf: (string | null)[] = conversations.map(() => null);
  const leafParent: (string | null)[] = conversations.map(() => null);
  const leafRole: (Message['role'] | null)[] = conversations.map(() => null);
  let insertMs = 0;
  let indexMs = 0;
  let textChars = 0;
  let branches = 0;
  for (let start = 0; start < order.length; start += BATCH) {
    const batch: NewMessage[] = [];
    for (let k = start; k < Math.min(order.length, start + BATCH); k++) {
      const i = at(order, k);
      const c = at(conversationOf, i);
      const conversation = at(conversations, c);
      // Now and then a reply is regenerated: a sibling of the previous reply (never in the
      // long thread, whose path must stay 5,000 messages long).
      const regenerate = c > 0 && leafRole[c] === 'assistant' && random() < 0.03;
      const role: Message['role'] = regenerate || leafRole[c] === 'user' ? 'assistant' : 'user';
      const parentId = at(regenerate ? leafParent : leaf, c);
      if (regenerate) branches++;
      const language =
        random() < 0.08
          ? at(OTHER[conversation.language], random() < 0.5 ? 0 : 1)
          : conversation.language;
      const message = messageFields(
        random,
        { conversationId: conversation.id, parentId, role, createdAt: at(time, i) },
        language,
        at(MODELS, c % MODELS.length),
      );
      textChars += message.content.length;
      batch.push(message);
      leafParent[c] = parentId;
      leaf[c] = message.id;
      leafRole[c] = role;
    }
    const [{ indexMs: batchIndexMs }, ms] = timed(() =>
      withBulkSearchIndexing(db, () => {
        for (const m of batch) insertMessage(db, m);
      }),
    );
    insertMs += ms;
    indexMs += batchIndexMs;
    const done = start + batch.length;
    if (done % 200_000 === 0) {
      log(`  ${done} messages, ${Math.round(done / (insertMs / 1000))} msg/s`);
    }
  }
  db.transaction(() => {
    conversations.forEach((c, i) => {
      const leafId = leaf[i];
      if (leafId) setActiveLeaf(db, c.id, leafId);
    });
  })();
  const long = at(conversations, 0);
  return {
    conversations,
    longThread: { id: long.id, leafId: at(leaf, 0) as string, messages: long.count },
    insertMs,
    indexMs,
    totalMs: now() - started,
    textChars,
    branches,
  };
}

/**
 * The app's own write path, per-row FTS trigger included: `count` messages in a new
 * conversation of the full store, BATCH per transaction. Returns messages per second.
 */
function insertWithTrigger(db: Db, random: () => number, count: number): number {
  const conversationId = randomUUID();
  insertConversation(db, {
    id: conversationId,
    title: 'Trigger sample',
    model: { provider: 'mistral', model: at(MODELS, 0) },
    createdAt: END,
    updatedAt: END,
  });
  let parentId: string | null = null;
  let ms = 0;
  for (let start = 0; start < count; start += BATCH) {
    const batch: NewMessage[] = [];
    for (let k = start; k < Math.min(count, start + BATCH); k++) {
      const language = at(['en', 'fr', 'zh'] as const, k % 3);
      const role = k % 2 === 0 ? 'user' : 'assistant';
      const m = messageFields(
        random,
        { conversationId, parentId, role, createdAt: END + k * 1000 },
        language,
        at(MODELS, 0),
      );
      batch.push(m);
      parentId = m.id;
    }
    ms += timed(() =>
      db.transaction(() => {
        for (const m of batch) insertMessage(db, m);
      })(),
    )[1];
  }
  return Math.round(count / (ms / 1000));
}

// -------------------------------------------------------------------------------- the queries

// Words of each frequency class from bench/lib/corpus.ts (its lists are Zipf-ranked: early
// words common, late words rare), accented and accent-less forms, phrases, names, and words that
// occur nowhere: people search for those too, and they are the expensive ones for a scan.
const LATIN_QUERIES = [
  // English
  'database', 'meeting', 'budget', 'report', 'server', 'deadline', 'translation', 'spreadsheet',
  'deployment', 'latency', 'volcano', 'saxophone', 'quasar', 'summarize', 'refactor',
  'idempotent', 'whimsical', 'cover letter', 'next week', 'the final report', 'Thomas',
  'password reset', 'kubernetes', 'photosynthesis', 'ok',
  // French, with and without accents
  'réunion', 'reunion', 'résumé', 'resume', 'données', 'donnees', 'base de données',
  'mise à jour', 'équipe', 'equipe', 'problème', 'probleme', 'sécurité', 'fenêtre', 'fenetre',
  'déjà', 'hôpital', 'crème brûlée', 'creme brulee', 'tartiflette', 'pétanque', 'aquarelle',
  'Élodie', 'elodie', 'ornithorynque',
]; // prettier-ignore
const CJK_QUERIES = [
  // two characters: the most common length of a Chinese word
  '数据', '项目', '会议', '预算', '报告', '错误', '问题', '团队', '客户', '测试', '翻译', '代码',
  '密码', '网络', '市场', '天气', '餐厅', '医生', '保险', '疫苗', '灯塔', '折纸', '书法', '京剧',
  '兰花', '冰川', '优化', '部署', '迁移', '谈判', '量子', '恐龙', '火山', '地铁', '足球',
  // three and four characters
  '数据库', '服务器', '浏览器', '编译器', '望远镜', '自行车', '马拉松', '酸面包', '博物馆',
  '人工智能', '机器学习', '工作流程', '截止日期', '演示文稿', '基准测试', '火山爆发', '量子计算',
]; // prettier-ignore

interface QueryTiming {
  query: string;
  ms: number;
  hits: number;
}

/**
 * Each query once to warm up, then timed once; a query that took under 100 ms is timed twice
 * more and its median kept (the slow ones are stable enough, and would blow the time budget).
 */
function timeQueries(queries: string[], run: (query: string) => unknown[]): QueryTiming[] {
  return queries.map((query) => {
    const hits = run(query).length;
    const times = [timed(() => run(query))[1]];
    if (at(times, 0) < 100) times.push(timed(() => run(query))[1], timed(() => run(query))[1]);
    return { query, ms: round(percentile(times, 50)), hits };
  });
}

/** One run each: a LIKE scan reads the whole table, so a warm-up would only double the wait. */
function timeOnce(queries: string[], run: (query: string) => unknown[]): QueryTiming[] {
  return queries.map((query) => {
    const [rows, ms] = timed(() => run(query));
    return { query, ms: round(ms), hits: rows.length };
  });
}

interface QuerySummary {
  count: number;
  p50: number;
  p95: number;
  max: number;
  slowest: QueryTiming[];
}
const summarize = (timings: QueryTiming[]): QuerySummary => ({
  count: timings.length,
  p50: round(
    percentile(
      timings.map((t) => t.ms),
      50,
    ),
  ),
  p95: round(
    percentile(
      timings.map((t) => t.ms),
      95,
    ),
  ),
  max: round(Math.max(...timings.map((t) => t.ms))),
  slowest: [...timings].sort((x, y) => y.ms - x.ms).slice(0, 5),
});

// The current searchMessages SQL for a one-word query (from repos/search.ts), for its plan.
const CURRENT_SEARCH_SQL = `SELECT m.id, snippet(messages_fts, 0, '[', ']', '…', 24) AS snippet,
    bm25(messages_fts) AS rank
  FROM messages_fts JOIN messages m ON m.rowid = messages_fts.rowid
  JOIN conversations c ON c.id = m.conversation_id
  WHERE messages_fts MATCH @match AND c.deleted_at IS NULL
  ORDER BY rank, m.created_at DESC, m.rowid DESC LIMIT 50`;

// ------------------------------------------------------------------------------------- main

interface Target {
  name: string;
  value: number;
  unit: string;
  target: number;
  higherIsBetter: boolean;
  pass: boolean;
  /** The same figure with the proposed changes (bench/lib/storePrototypes.ts). */
  proposed: number;
  proposedPass: boolean;
}

function target(
  name: string,
  unit: string,
  goal: number,
  higherIsBetter: boolean,
  value: number,
  proposed: number,
): Target {
  const ok = (v: number) => (higherIsBetter ? v >= goal : v <= goal);
  return {
    name,
    value,
    unit,
    target: goal,
    higherIsBetter,
    pass: ok(value),
    proposed,
    proposedPass: ok(proposed),
  };
}

function main(): number {
  sweepStaleTempDirs();
  const dir = mkdtempSync(path.join(os.tmpdir(), TEMP_PREFIX));
  const file = path.join(dir, 'causerie.db');
  const random = seededRandom(Number(options.seed));
  const benchStarted = now();
  const loadAtStart = os.loadavg().map((l) => round(l, 1));
  log(`${TOTAL_CONVERSATIONS} conversations, ${TOTAL_MESSAGES} messages, in ${dir}`);
  if ((loadAtStart[0] ?? 0) > os.cpus().length / 2) {
    log(
      `warning: load average ${loadAtStart.join(' ')} on ${os.cpus().length} cores: other work is running, figures will be pessimistic`,
    );
  }
  try {
    // ---------------------------------------------------------------- generation
    let db = openDatabase(file);
    const generated = generate(db, random);
    if (options.check) {
      db.exec("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");
      log('search index integrity-check passed');
    }
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const generateMessagesPerSec = Math.round(TOTAL_MESSAGES / (generated.insertMs / 1000));
    const databaseMiB = round(fileBytes(file) / 2 ** 20, 0);
    log(
      `generated in ${(generated.totalMs / 1000).toFixed(0)} s: ${generateMessagesPerSec} msg/s ` +
        `(${Math.round((generated.indexMs / generated.insertMs) * 100)}% of it search indexing), ` +
        `${Math.round(generated.textChars / TOTAL_MESSAGES)} chars/message, ` +
        `${generated.branches} regenerated replies, ${databaseMiB} MiB`,
    );

    // ---------------------------------------------------------------- reads
    // A new connection, as after a restart: SQLite's cache is cold (the OS cache is not).
    db = openDatabase(file);
    const sqliteVersion = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
    const { id: longId, leafId } = generated.longThread;
    const listPage = sample(() => listConversationsPage(db, { limit: 50 }), 200);
    const listDefault = sample(() => listConversations(db), 50);
    const listFifty = sample(() => listConversations(db, { limit: 50 }), 200);
    const open = () => {
      // What conversations.open did before paging: the whole path, every message in full.
      const conversation = findConversation(db, longId);
      const leaf = findActiveLeafId(db, longId);
      return { conversation, messages: leaf ? listPathToLeaf(db, leaf) : [] };
    };
    const openPage = () => {
      // What conversations.open does (electron/core/handlers/conversationHandlers.ts): the last page.
      const conversation = findConversation(db, longId);
      const leaf = findActiveLeafId(db, longId);
      return {
        conversation,
        page: leaf ? listThreadPage(db, leaf, { limit: THREAD_PAGE_SIZE }) : undefined,
      };
    };
    if (openPage().page?.earlier !== generated.longThread.messages - THREAD_PAGE_SIZE) {
      throw new Error('the paged open did not stop at the last page');
    }
    const opened = open().messages.length;
    if (opened !== generated.longThread.messages) {
      throw new Error(
        `the long thread opened with ${opened} messages, not ${generated.longThread.messages}`,
      );
    }
    for (const variant of [pathSqlRowid, pathByConversation]) {
      if (variant(db, leafId).length !== opened) throw new Error(`${variant.name} lost messages`);
    }
    const openLong = sample(open, 20);
    const openLastPage = sample(openPage, 50);
    const thread = sample(() => listThread(db, leafId), 20);
    // conversations.open with another way of reading the path (rows mapped the same way).
    const openWith = (readPath: (db: Db, leafId: string) => unknown[]) => () => {
      const conversation = findConversation(db, longId);
      const leaf = findActiveLeafId(db, longId);
      return { conversation, messages: leaf ? readPath(db, leaf) : [] };
    };
    const openVariants = () => ({
      asIs: sample(open, 20),
      pathSqlAsIs: sample(() => pathSqlAsIs(db, leafId), 20),
      pathSqlRowid: sample(openWith(pathSqlRowid), 20),
      byConversation: sample(openWith(pathByConversation), 20),
    });
    const openProposed = openVariants();
    db.pragma(`mmap_size = ${MMAP_BYTES}`);
    const openProposedMmap = openVariants();
    db.pragma('mmap_size = 0');
    log(
      `listing and opening measured (open: last page ${openLastPage.p50} ms p50, whole thread ${openLong.p50} ms p50)`,
    );

    // ---------------------------------------------------------------- search as it is
    const search = (query: string) => searchMessages(db, { query, limit: 50 });
    const latin = timeQueries(LATIN_QUERIES, search);
    const cjk = timeQueries(CJK_QUERIES, search);
    const latinSummary = summarize(latin);
    const cjkSummary = summarize(cjk);
    log(`search measured (p95 Latin ${latinSummary.p95} ms, CJK ${cjkSummary.p95} ms)`);

    // The baseline other chat apps use: a LIKE scan over every message. Raw SQL is fine here:
    // it is a measurement in bench/, not app code (app SQL lives in electron/core/store/repos).
    // It reads the whole table each time, so only 10 Latin + 10 CJK queries (every fifth).
    const likeStatement = db.prepare<[string], { id: string }>(
      `SELECT id, conversation_id, content, created_at FROM messages
        WHERE content LIKE ? ORDER BY created_at DESC LIMIT 50`,
    );
    const like = (query: string) => likeStatement.all(`%${query}%`);
    const everyFifth = (list: string[]) => list.filter((_, i) => i % 5 === 0).slice(0, 10);
    const likeLatin = timeOnce(everyFifth(LATIN_QUERIES), like);
    const likeCjk = timeOnce(everyFifth(CJK_QUERIES), like);
    const likeSummary = summarize([...likeLatin, ...likeCjk]);
    log(`LIKE baseline measured (p95 ${likeSummary.p95} ms)`);

    // ---------------------------------------------------------------- search, proposed
    const bigrams = createCjkBigramIndex(db);
    const proposed = (mode: 'newest' | 'hybrid') => (query: string) =>
      searchPrototype(db, query, { mode }) ?? search(query);
    const latinNewest = summarize(timeQueries(LATIN_QUERIES, proposed('newest')));
    const cjkNewest = summarize(timeQueries(CJK_QUERIES, proposed('newest')));
    const latinHybrid = timeQueries(LATIN_QUERIES, proposed('hybrid'));
    const cjkHybrid = timeQueries(CJK_QUERIES, proposed('hybrid'));
    const latinHybridSummary = summarize(latinHybrid);
    const cjkHybridSummary = summarize(cjkHybrid);
    // The bigram index must find exactly what LIKE finds for a two-character word.
    const bigramCount = (
      db
        .prepare(
          `SELECT count(*) AS n FROM bench_messages_cjk WHERE bench_messages_cjk MATCH '"数据"'`,
        )
        .get() as { n: number }
    ).n;
    const likeCount = (
      db.prepare(`SELECT count(*) AS n FROM messages WHERE content LIKE '%数据%'`).get() as {
        n: number;
      }
    ).n;
    if (bigramCount !== likeCount) {
      throw new Error(`bigram index found ${bigramCount} messages with 数据, LIKE ${likeCount}`);
    }
    const plans = {
      searchAsIs: queryPlan(db, CURRENT_SEARCH_SQL, { match: '"database"' }),
      listPathToLeafAsIs: queryPlan(
        db,
        `WITH RECURSIVE path (id, depth) AS (SELECT id, 0 FROM messages WHERE id = ?
           UNION ALL SELECT m.parent_id, path.depth + 1 FROM messages m JOIN path ON m.id = path.id
           WHERE m.parent_id IS NOT NULL)
         SELECT m.* FROM path JOIN messages m ON m.id = path.id ORDER BY path.depth DESC`,
        leafId,
      ),
    };
    log(
      `proposed search measured (p95 Latin ${latinHybridSummary.p95} ms, CJK ${cjkHybridSummary.p95} ms; ` +
        `bigram index backfill ${(bigrams.ms / 1000).toFixed(1)} s for ${bigrams.rows} messages)`,
    );

    // ---------------------------------------------------------------- writes
    const insertMessageTriggerPerSec = insertWithTrigger(db, random, TRIGGER_SAMPLE);

    // An export of ~100k messages (whole conversations), imported back into this store: every
    // id is taken, so importExport gives each conversation and message a new one, as it does
    // when the same file is imported twice.
    const exportIds: string[] = [];
    let exported = 0;
    for (const c of generated.conversations.slice(1)) {
      if (exported >= IMPORT_MESSAGES) break;
      if (c.trashed) continue;
      exportIds.push(c.id);
      exported += c.count;
    }
    const exportFile = path.join(dir, 'export.json');
    const [, exportMs] = timed(() =>
      writeFileSync(
        exportFile,
        JSON.stringify(exportConversations(db, { conversationIds: exportIds })),
      ),
    );
    const exportMiB = round(statSync(exportFile).size / 2 ** 20, 1);
    const [parsed, parseMs] = timed(() => parseExportJson(readFileSync(exportFile, 'utf8')));
    const [, validateMs] = timed(() =>
      (parsed as { conversations: unknown[] }).conversations.forEach((c) =>
        ExportConversationSchema.parse(c),
      ),
    );
    const importFile = () => parseExportJson(readFileSync(exportFile, 'utf8'));
    const [report, importMs] = timed(() => importExport(db, importFile(), Date.now()));
    const importMessagesPerSec = Math.round(report.messagesImported / (importMs / 1000));
    const [bulk, bulkMs] = timed(() =>
      withBulkSearchIndexing(db, () => importExport(db, importFile(), Date.now())),
    );
    const importBulkMessagesPerSec = Math.round(bulk.value.messagesImported / (bulkMs / 1000));
    log(
      `import measured: ${report.messagesImported} messages, ${exportMiB} MiB file: ` +
        `${importMessagesPerSec} msg/s as is, ${importBulkMessagesPerSec} msg/s with bulk indexing`,
    );
    db.close();

    // ---------------------------------------------------------------- results
    const searchWorstP95 = Math.max(latinSummary.p95, cjkSummary.p95);
    const proposedWorstP95 = Math.max(latinHybridSummary.p95, cjkHybridSummary.p95);
    const searchSpeedupVsLike = round(likeSummary.p95 / searchWorstP95, 1);
    const proposedSpeedupVsLike = round(likeSummary.p95 / proposedWorstP95, 1);
    const targets = [
      target('list page (50), p95', 'ms', 5, false, listPage.p95, listPage.p95),
      target('open 5,000-message thread, p95', 'ms', 50, false, openLastPage.p95, openProposed.byConversation.p95),
      target('search p95, Latin', 'ms', 50, false, latinSummary.p95, latinHybridSummary.p95),
      target('search p95, CJK', 'ms', 50, false, cjkSummary.p95, cjkHybridSummary.p95),
      target('search speed-up over LIKE (p95)', '×', 100, true, searchSpeedupVsLike, proposedSpeedupVsLike),
      target('import (importExport)', 'msg/s', 100_000, true, importMessagesPerSec, importBulkMessagesPerSec),
    ]; // prettier-ignore

    const cpus = os.cpus();
    const results = {
      messages: TOTAL_MESSAGES,
      conversations: TOTAL_CONVERSATIONS,
      longThreadMessages: generated.longThread.messages,
      averageMessageChars: Math.round(generated.textChars / TOTAL_MESSAGES),
      databaseMiB,
      listPageMs: listPage.p95,
      listPage,
      listConversationsDefault500Ms: listDefault.p95,
      listConversations50Ms: listFifty.p95,
      openConversationMs: openLastPage.p95,
      openConversation: openLastPage,
      /** Before paging: the whole 5,000-message path sent at once (the baseline in this run). */
      openWholeThread: openLong,
      listThread: thread,
      searchP50Ms: latinSummary.p50,
      searchP95Ms: latinSummary.p95,
      searchCjkP50Ms: cjkSummary.p50,
      searchCjkP95Ms: cjkSummary.p95,
      likeScanP50Ms: likeSummary.p50,
      likeScanP95Ms: likeSummary.p95,
      searchSpeedupVsLike,
      importMessagesPerSec,
      importMessages: report.messagesImported,
      importFileMiB: exportMiB,
      importBreakdownMs: {
        total: Math.round(importMs),
        jsonParse: Math.round(parseMs),
        zodValidation: Math.round(validateMs),
      },
      exportMs: Math.round(exportMs),
      generateMessagesPerSec,
      generateSearchIndexShare: round(generated.indexMs / generated.insertMs, 2),
      generateSeconds: round(generated.totalMs / 1000, 0),
      insertMessageTriggerPerSec,
      insertMessageTriggerSample: TRIGGER_SAMPLE,
      targets,
      proposed: {
        description: 'bench/lib/storePrototypes.ts; see bench/README.md',
        open: openProposed,
        openWithMmap: { mmapBytes: MMAP_BYTES, ...openProposedMmap },
        searchNewestFirst: { latin: latinNewest, cjk: cjkNewest },
        searchHybridSelectiveBelow: SELECTIVE_BELOW,
        searchP50Ms: latinHybridSummary.p50,
        searchP95Ms: latinHybridSummary.p95,
        searchCjkP50Ms: cjkHybridSummary.p50,
        searchCjkP95Ms: cjkHybridSummary.p95,
        searchSpeedupVsLike: proposedSpeedupVsLike,
        cjkBigramBackfill: {
          ms: Math.round(bigrams.ms),
          messages: bigrams.rows,
          perSec: Math.round(bigrams.rows / (bigrams.ms / 1000)),
        },
        importMessagesPerSec: importBulkMessagesPerSec,
        importBulkMs: Math.round(bulkMs),
        importBulkSearchIndexMs: Math.round(bulk.indexMs),
        importRowsOnlyMessagesPerSec: Math.round(
          bulk.value.messagesImported / ((bulkMs - bulk.indexMs) / 1000),
        ),
        importSearchIndexOnlyMessagesPerSec: Math.round(
          bulk.value.messagesImported / (bulk.indexMs / 1000),
        ),
      },
      queries: {
        latin: { ...latinSummary, all: latin },
        cjk: { ...cjkSummary, all: cjk },
        like: { ...likeSummary, latin: likeLatin, cjk: likeCjk },
        proposedLatin: { ...latinHybridSummary, all: latinHybrid },
        proposedCjk: { ...cjkHybridSummary, all: cjkHybrid },
      },
      plans,
      machine: {
        cpus: cpus.length,
        cpuModel: cpus[0]?.model ?? 'unknown',
        memoryGiB: round(os.totalmem() / 2 ** 30, 1),
        loadAverageAtStart: loadAtStart,
        loadAverageAtEnd: os.loadavg().map((l) => round(l, 1)),
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
      benchSeconds: round((now() - benchStarted) / 1000, 0),
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

function printReport(r: Record<string, unknown> & Results, targets: Target[]): void {
  const s = (x: Sample) => `${x.first} / ${x.p50} / ${x.p95} ms`;
  const q = (x: QuerySummary) => `${x.p50} / ${x.p95} / ${x.max} ms`;
  const rows: [string, string][] = [
    ['messages / conversations', `${r.messages} / ${r.conversations} (${r.databaseMiB} MiB)`],
    ['generate: insertMessage, FTS per batch', `${r.generateMessagesPerSec} msg/s`],
    ['insertMessage with the FTS trigger', `${r.insertMessageTriggerPerSec} msg/s`],
    ['list page of 50: first / p50 / p95', s(r.listPage)],
    ['listConversations() (500 rows) p95', `${r.listConversationsDefault500Ms} ms`],
    ['open 5,000-msg thread: first / p50 / p95', s(r.openConversation)],
    ['listThread 5,000 msgs: first / p50 / p95', s(r.listThread)],
    ['search Latin (50 q): p50 / p95 / max', q(r.queries.latin)],
    ['search CJK (50 q): p50 / p95 / max', q(r.queries.cjk)],
    ['LIKE scan (10+10 q): p50 / p95 / max', q(r.queries.like)],
    ['search speed-up over LIKE (p95)', `${r.searchSpeedupVsLike}×`],
    ['importExport (re-import, new ids)', `${r.importMessagesPerSec} msg/s for ${r.importMessages} messages`],
    ['  of which JSON.parse / zod', `${r.importBreakdownMs.jsonParse} / ${r.importBreakdownMs.zodValidation} of ${r.importBreakdownMs.total} ms`],
    ['open: listPathToLeaf SQL only (no mapping)', s(r.proposed.open.pathSqlAsIs)],
    ['proposed: open, rowid-carrying CTE', s(r.proposed.open.pathSqlRowid)],
    ['proposed: open, by conversation + JS walk', s(r.proposed.open.byConversation)],
    ['open as is, with mmap', s(r.proposed.openWithMmap.asIs)],
    ['proposed: open, rowid CTE, with mmap', s(r.proposed.openWithMmap.pathSqlRowid)],
    ['proposed: open, by conversation, with mmap', s(r.proposed.openWithMmap.byConversation)],
    ['proposed: search newest-first, Latin', q(r.proposed.searchNewestFirst.latin)],
    ['proposed: search newest-first + bigrams, CJK', q(r.proposed.searchNewestFirst.cjk)],
    ['proposed: search hybrid, Latin', q(r.queries.proposedLatin)],
    ['proposed: search hybrid + bigrams, CJK', q(r.queries.proposedCjk)],
    ['proposed: importExport, bulk FTS', `${r.proposed.importMessagesPerSec} msg/s`],
    ['  rows alone / FTS alone (bulk)', `${r.proposed.importRowsOnlyMessagesPerSec} / ${r.proposed.importSearchIndexOnlyMessagesPerSec} msg/s`],
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
    console.log(`  slowest ${label} queries as is: ${slow}`);
  }
  console.log('');
  console.log(`  ${'target'.padEnd(46)} ${'as is'.padEnd(18)} ${'proposed'.padEnd(18)}`);
  for (const t of targets) {
    const goal = `${t.higherIsBetter ? '≥' : '≤'} ${t.target} ${t.unit}`;
    const cell = (v: number, pass: boolean) =>
      `${pass ? 'PASS' : 'FAIL'} ${String(v).padStart(8)} ${t.unit}`.padEnd(18);
    console.log(
      `  ${`${t.name} (${goal})`.padEnd(46)} ${cell(t.value, t.pass)} ${cell(t.proposed, t.proposedPass)}`,
    );
  }
  console.log('');
}

type OpenVariants = Record<'asIs' | 'pathSqlAsIs' | 'pathSqlRowid' | 'byConversation', Sample>;

/** The shape printReport reads (the results object has more). */
interface Results {
  messages: number;
  conversations: number;
  databaseMiB: number;
  generateMessagesPerSec: number;
  insertMessageTriggerPerSec: number;
  listPage: Sample;
  listConversationsDefault500Ms: number;
  openConversation: Sample;
  listThread: Sample;
  searchSpeedupVsLike: number;
  importMessagesPerSec: number;
  importMessages: number;
  importBreakdownMs: { total: number; jsonParse: number; zodValidation: number };
  queries: Record<'latin' | 'cjk' | 'like' | 'proposedLatin' | 'proposedCjk', QuerySummary>;
  proposed: {
    open: OpenVariants;
    openWithMmap: OpenVariants;
    searchNewestFirst: { latin: QuerySummary; cjk: QuerySummary };
    importMessagesPerSec: number;
    importRowsOnlyMessagesPerSec: number;
    importSearchIndexOnlyMessagesPerSec: number;
  };
}

process.exitCode = main();
