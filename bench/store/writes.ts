/**
 * bench:store scenario `writes`: the app's own write path with the per-row search trigger (as a
 * reply is saved), and an export of ~100,000 messages imported back through importExport (JSON
 * parse and schema validation timed apart).
 */
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  ExportConversationSchema,
  exportConversations,
  importExport,
  parseExportJson,
} from '../../electron/core/store/exportImport';
import type { Db } from '../../electron/core/store/openDatabase';
import { insertConversation } from '../../electron/core/store/repos/conversations';
import { insertMessage } from '../../electron/core/store/repos/messages';
import { at, round, timed } from '../lib/measure';
import { BATCH, END, messageFields, MODELS, type NewMessage } from '../lib/storeDataSet';

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

export function writesScenario(
  db: Db,
  options: {
    random: () => number;
    triggerSample: number;
    importMessages: number;
    conversations: { id: string; count: number; trashed: boolean }[];
    dir: string;
    log: (text: string) => void;
  },
) {
  const insertMessageTriggerPerSec = insertWithTrigger(db, options.random, options.triggerSample);

  // An export of ~100k messages (whole conversations), imported back into this store: every
  // id is taken, so importExport gives each conversation and message a new one, as it does
  // when the same file is imported twice.
  const exportIds: string[] = [];
  let exported = 0;
  for (const c of options.conversations.slice(1)) {
    if (exported >= options.importMessages) break;
    if (c.trashed) continue;
    exportIds.push(c.id);
    exported += c.count;
  }
  const exportFile = path.join(options.dir, 'export.json');
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
  const [report, importMs] = timed(() =>
    importExport(db, parseExportJson(readFileSync(exportFile, 'utf8')), Date.now()),
  );
  const importMessagesPerSec = Math.round(report.messagesImported / (importMs / 1000));
  options.log(
    `import measured: ${report.messagesImported} messages, ${exportMiB} MiB file, ${importMessagesPerSec} msg/s`,
  );
  return {
    insertMessageTriggerPerSec,
    importMessagesPerSec,
    importMessages: report.messagesImported,
    importFileMiB: exportMiB,
    importBreakdownMs: {
      total: Math.round(importMs),
      jsonParse: Math.round(parseMs),
      zodValidation: Math.round(validateMs),
    },
    exportMs: Math.round(exportMs),
  };
}
