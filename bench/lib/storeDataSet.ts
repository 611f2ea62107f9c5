/**
 * The benchmarks' data set: a heavy user's history (by default 10,000 conversations and 1,000,000
 * messages of English, French and Chinese text, one a 5,000-message thread), written through the
 * store's own insertConversation / insertMessage. bench:store measures the store on it; bench:ui
 * starts the app on it, from a file cached by {@link cachedDataSetFile}.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Message } from '../../shared/domain';
import { LATEST_SCHEMA_VERSION } from '../../electron/core/store/migrations';
import { openDatabase, type Db } from '../../electron/core/store/openDatabase';
import { insertConversation, setActiveLeaf } from '../../electron/core/store/repos/conversations';
import { insertMessage, type MessageExtras } from '../../electron/core/store/repos/messages';
import { withBulkSearchIndexing } from '../../electron/core/store/repos/search';
import { message as sentenceText, seededRandom, title as titleText, type Language } from './corpus';
import { at, round, timed } from './measure';

/** How big a data set is. */
export interface DataSetSize {
  messages: number;
  conversations: number;
}

/** The full data set at `scale` (0.1: a tenth, for a quick try). */
export const dataSetSize = (scale: number): DataSetSize => ({
  messages: Math.round(1_000_000 * scale),
  conversations: Math.round(10_000 * scale),
});

const LONG_THREAD = 5_000;
/** Messages per transaction when writing the data set. */
export const BATCH = 5_000;

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

export const DAY = 24 * 60 * 60 * 1000;
export const END = Date.UTC(2026, 0, 1);
const SPAN = 730 * DAY;

/**
 * Decides how many messages each conversation has (a long-tailed spread; conversation 0 is the
 * 5,000-message one) and when each message was written, then orders all messages by time, so
 * the file fills the way a real history does: conversations interleaved, each one's messages
 * scattered over the file.
 */
function planDataSet(random: () => number, size: DataSetSize) {
  const { messages: TOTAL_MESSAGES, conversations: TOTAL_CONVERSATIONS } = size;
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

export const MODELS = ['mistral-small-latest', 'mistral-large-latest', 'magistral-medium-latest'];
const OTHER: Record<Language, Language[]> = {
  en: ['fr', 'zh'],
  fr: ['en', 'zh'],
  zh: ['en', 'fr'],
};

export type NewMessage = Message & Partial<MessageExtras>;

/** One message's fields: metadata as the chat service writes it. */
export function messageFields(
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
 * transaction. The search index is filled once per batch (the store's withBulkSearchIndexing,
 * as an import does) rather than by the per-row trigger: the trigger path would make this phase
 * alone take 5 minutes here. The trigger path is measured separately (insertWithTrigger).
 */
export function generate(
  db: Db,
  random: () => number,
  size: DataSetSize,
  log: (text: string) => void = () => undefined,
) {
  const started = performance.now();
  const { conversations, conversationOf, time, order } = planDataSet(random, size);

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
    const [, ms] = timed(() =>
      db.transaction(() =>
        withBulkSearchIndexing(db, () => {
          for (const m of batch) insertMessage(db, m);
        }),
      )(),
    );
    insertMs += ms;
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
    totalMs: performance.now() - started,
    textChars,
    branches,
  };
}

/**
 * A store holding the data set of `seed` and `scale`, generated once and kept under the system's
 * temporary folder, keyed by seed, scale and schema version, so repeated runs reuse it (building
 * the full one takes minutes). Treat the file as read-only: copy it before opening it for writing.
 */
export function cachedDataSetFile(
  options: { seed: number; scale: number },
  log: (text: string) => void = () => undefined,
): string {
  const dir = path.join(os.tmpdir(), 'causerie-bench-datasets');
  const file = path.join(
    dir,
    `store-seed${options.seed}-scale${options.scale}-v${LATEST_SCHEMA_VERSION}.db`,
  );
  if (existsSync(file)) {
    log(`reusing the cached data set ${file}`);
    return file;
  }
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  const size = dataSetSize(options.scale);
  log(
    `building the data set (${size.conversations} conversations, ${size.messages} messages) into ${file}`,
  );
  const db = openDatabase(partial);
  try {
    generate(db, seededRandom(options.seed), size, log);
    db.pragma('wal_checkpoint(TRUNCATE)');
    // One self-contained file, so it can be copied as it is.
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
  renameSync(partial, file);
  for (const suffix of ['-wal', '-shm']) rmSync(partial + suffix, { force: true });
  return file;
}
