import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { CoreError } from '../coreError';
import { withBulkSearchIndexing } from './repos/search';
import type { Db } from './openDatabase';
import {
  findActiveLeafId,
  findConversation,
  insertConversation,
  listConversationsInFolder,
  setActiveLeaf,
  type ConversationRecord,
} from './repos/conversations';
import {
  findFolder,
  findFolderByName,
  insertFolder,
  listFolders,
  type Folder,
} from './repos/folders';
import { insertMessage, listConversationMessages, type MessageRecord } from './repos/messages';
import { listPathToLeaf } from './repos/thread';
import { prepared } from './statements';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  ExportConversationSchema,
  ExportFolderSchema,
  type CauserieExport,
  type ExportConversation,
  type ExportMessage,
} from './exportFormat';

// Importers of the export and import functions find the file format here too.
export {
  CauserieExportSchema,
  EXPORT_FORMAT,
  EXPORT_VERSION,
  ExportConversationSchema,
  ExportFolderSchema,
  ExportMessageSchema,
  type CauserieExport,
  type ExportConversation,
  type ExportMessage,
} from './exportFormat';

/** Which conversations to export. `all` leaves out the trash; archived ones are included. */
export type ExportSelection = { all: true } | { conversationIds: string[] } | { folderId: string };

/** What an import did. `refused` lists conversations left out, by index in the file. */
export interface ImportReport {
  conversationsImported: number;
  messagesImported: number;
  foldersImported: number;
  /** The ids the imported conversations have in this store (new ones where the old were taken). */
  conversationIds: string[];
  refused: { index: number; reason: string }[];
}

/**
 * Builds an export of the selected conversations: every message of every branch with its parent
 * link, status, model, usage, languages and timings, plus the folders they are filed in (all
 * folders for `{all: true}`). Throws NOT_FOUND for an unknown conversation or folder id.
 */
export function exportConversations(
  db: Db,
  selection: ExportSelection,
  now: number = Date.now(),
): CauserieExport {
  let conversations: ConversationRecord[];
  if ('all' in selection) {
    conversations = prepared<[], { id: string }>(
      db,
      'SELECT id FROM conversations WHERE deleted_at IS NULL ORDER BY created_at, id',
    )
      .all()
      .map((row) => findConversation(db, row.id))
      .filter((conversation) => conversation !== undefined);
  } else if ('folderId' in selection) {
    if (!findFolder(db, selection.folderId)) {
      throw new CoreError('NOT_FOUND', 'This folder no longer exists.');
    }
    conversations = listConversationsInFolder(db, selection.folderId);
  } else {
    conversations = selection.conversationIds.map((id) => {
      const conversation = findConversation(db, id);
      if (!conversation)
        throw new CoreError('NOT_FOUND', 'A conversation to export no longer exists.');
      return conversation;
    });
  }
  const usedFolders = new Set(conversations.map((c) => c.folderId));
  const folders = listFolders(db).filter((f) => 'all' in selection || usedFolders.has(f.id));
  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now,
    folders: folders.map((f) => ({ id: f.id, name: f.name, createdAt: f.createdAt })),
    conversations: conversations.map((conversation) => ({
      id: conversation.id,
      title: conversation.title,
      model: conversation.model,
      systemPrompt: conversation.systemPrompt,
      replyLanguage: conversation.replyLanguage,
      params: conversation.params,
      pinned: conversation.pinned,
      archived: conversation.archived,
      folderId: conversation.folderId,
      activeLeafId: findActiveLeafId(db, conversation.id),
      createdAt: conversation.createdAt,
      updatedAt: conversation.updatedAt,
      messages: listConversationMessages(db, conversation.id).map(toExportMessage),
    })),
  };
}

function toExportMessage(message: MessageRecord): ExportMessage {
  return {
    id: message.id,
    parentId: message.parentId,
    role: message.role,
    content: message.content,
    status: message.status,
    model: message.model,
    usage: message.usage,
    error: message.error,
    replyLanguage: message.replyLanguage,
    detectedLanguage: message.detectedLanguage,
    ttftMs: message.ttftMs,
    tokensPerSec: message.tokensPerSec,
    createdAt: message.createdAt,
    updatedAt: message.updatedAt,
  };
}

/** Parses the text of an export file; throws CoreError('VALIDATION') when it is not JSON. */
export function parseExportJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CoreError('VALIDATION', 'This file is not a Causerie export (it is not valid JSON).');
  }
}

const EnvelopeSchema = z.object({
  format: z.literal(EXPORT_FORMAT),
  version: z.number().int(),
  exportedAt: z.number().optional(),
  folders: z.array(z.unknown()).optional(),
  conversations: z.array(z.unknown()),
});

/**
 * Imports an export (already parsed from JSON) without ever overwriting: a conversation, message
 * or folder id already in the store (or earlier in the same file) gets a new id, and parent
 * links, active leaves and folder links follow. Folders are matched by name. Everything goes in
 * one transaction.
 *
 * A file that is not a Causerie export, is from a newer format, or has a malformed folder list
 * throws CoreError('VALIDATION') and writes nothing. A conversation that is malformed on its own
 * (bad field, message whose parent is missing, a cycle) is refused and reported by index while
 * the others are imported. Replies saved mid-stream come in as `interrupted`.
 */
export function importExport(
  db: Db,
  data: unknown,
  now: number,
  newId: () => string = randomUUID,
): ImportReport {
  const envelope = EnvelopeSchema.safeParse(data);
  if (!envelope.success) {
    throw new CoreError(
      'VALIDATION',
      `This file is not a Causerie export (${summarise(envelope.error)}).`,
    );
  }
  if (envelope.data.version > EXPORT_VERSION) {
    throw new CoreError(
      'VALIDATION',
      `This export was made by a newer version of Causerie (format version ${envelope.data.version}). Update Causerie to import it.`,
    );
  }
  if (envelope.data.version < 1) {
    throw new CoreError('VALIDATION', `Unknown export format version ${envelope.data.version}.`);
  }
  const folders = z.array(ExportFolderSchema).safeParse(envelope.data.folders ?? []);
  if (!folders.success) {
    throw new CoreError(
      'VALIDATION',
      `The export's folder list is malformed (${summarise(folders.error)}).`,
    );
  }
  const folderList = folders.data;

  const refused: ImportReport['refused'] = [];
  const accepted: { conversation: ExportConversation; ordered: ExportMessage[] }[] = [];
  envelope.data.conversations.forEach((raw, index) => {
    const parsed = ExportConversationSchema.safeParse(raw);
    if (!parsed.success) {
      refused.push({ index, reason: summarise(parsed.error) });
      return;
    }
    const ordered = orderParentsFirst(parsed.data);
    if (typeof ordered === 'string') refused.push({ index, reason: ordered });
    else accepted.push({ conversation: parsed.data, ordered });
  });

  return db.transaction((): ImportReport => withBulkSearchIndexing(db, () => importAccepted()))();

  function importAccepted(): ImportReport {
    const used = new Set<string>();
    const fresh = (id: string, exists: (id: string) => boolean): string => {
      let candidate = id;
      while (used.has(candidate) || exists(candidate)) candidate = newId();
      used.add(candidate);
      return candidate;
    };
    const conversationExists = (id: string) =>
      prepared(db, 'SELECT 1 FROM conversations WHERE id = ?').get(id) !== undefined;
    const messageExists = (id: string) =>
      prepared(db, 'SELECT 1 FROM messages WHERE id = ?').get(id) !== undefined;
    const folderExists = (id: string) => findFolder(db, id) !== undefined;

    const folderIds = new Map<string, string>();
    let foldersImported = 0;
    for (const folder of folderList) {
      const existing = findFolderByName(db, folder.name);
      if (existing) {
        folderIds.set(folder.id, existing.id);
        continue;
      }
      const created: Folder = { ...folder, id: fresh(folder.id, folderExists) };
      insertFolder(db, created);
      folderIds.set(folder.id, created.id);
      foldersImported++;
    }

    let messagesImported = 0;
    const conversationIds: string[] = [];
    for (const { conversation, ordered } of accepted) {
      const id = fresh(conversation.id, conversationExists);
      insertConversation(db, {
        id,
        title: conversation.title,
        model: conversation.model,
        createdAt: conversation.createdAt,
        updatedAt: conversation.updatedAt,
        systemPrompt: conversation.systemPrompt ?? null,
        replyLanguage: conversation.replyLanguage ?? null,
        params: conversation.params ?? null,
        pinned: conversation.pinned ?? false,
        archived: conversation.archived ?? false,
        folderId: conversation.folderId ? (folderIds.get(conversation.folderId) ?? null) : null,
      });
      const messageIds = new Map<string, string>();
      for (const message of ordered) {
        const messageId = fresh(message.id, messageExists);
        messageIds.set(message.id, messageId);
        insertMessage(db, {
          ...message,
          id: messageId,
          conversationId: id,
          parentId: message.parentId === null ? null : (messageIds.get(message.parentId) ?? null),
          status: message.status === 'streaming' ? 'interrupted' : message.status,
          replyLanguage: message.replyLanguage ?? null,
          detectedLanguage: message.detectedLanguage ?? null,
          ttftMs: message.ttftMs ?? null,
          tokensPerSec: message.tokensPerSec ?? null,
        });
        messagesImported++;
      }
      const sourceLeaf = conversation.activeLeafId ?? newestLeafId(ordered);
      const leaf = sourceLeaf && messageIds.get(sourceLeaf);
      if (leaf) setActiveLeaf(db, id, leaf);
      conversationIds.push(id);
    }
    return {
      conversationsImported: conversationIds.length,
      messagesImported,
      foldersImported,
      conversationIds,
      refused,
    };
  }
}

/**
 * The messages of one conversation with every parent before its children, or the reason the
 * tree is broken (duplicate id, parent not in the conversation, cycle, unknown active leaf).
 */
function orderParentsFirst(conversation: ExportConversation): ExportMessage[] | string {
  const byId = new Map<string, ExportMessage>();
  for (const message of conversation.messages) {
    if (byId.has(message.id)) return `message id ${message.id} appears twice`;
    byId.set(message.id, message);
  }
  for (const message of conversation.messages) {
    if (message.parentId !== null && !byId.has(message.parentId)) {
      return `message ${message.id} replies to ${message.parentId}, which is not in this conversation`;
    }
  }
  if (conversation.activeLeafId && !byId.has(conversation.activeLeafId)) {
    return `activeLeafId ${conversation.activeLeafId} is not one of its messages`;
  }
  const children = new Map<string | null, ExportMessage[]>();
  for (const message of conversation.messages) {
    const siblings = children.get(message.parentId) ?? [];
    siblings.push(message);
    children.set(message.parentId, siblings);
  }
  // Breadth-first from the roots: a message on a cycle is never reached.
  const ordered: ExportMessage[] = [];
  const queue = [...(children.get(null) ?? [])];
  for (let message = queue.shift(); message; message = queue.shift()) {
    ordered.push(message);
    queue.push(...(children.get(message.id) ?? []));
  }
  if (ordered.length !== conversation.messages.length) return 'its messages form a cycle';
  return ordered;
}

/**
 * The branch to show when an export names none: the newest message that has no reply (a thread
 * with messages must never open empty).
 */
function newestLeafId(messages: readonly ExportMessage[]): string | null {
  const parents = new Set(messages.map((message) => message.parentId));
  let newest: ExportMessage | null = null;
  for (const message of messages) {
    if (parents.has(message.id)) continue;
    if (!newest || message.createdAt >= newest.createdAt) newest = message;
  }
  return newest?.id ?? null;
}

/** Bounds what a malformed input (user data) can put into a message. */
const MAX_SUMMARY_CHARS = 400;

/** Zod's own wording for the first few issues, on one line and bounded: it goes into a message. */
function summarise(error: z.ZodError): string {
  const text = z.prettifyError(new z.ZodError(error.issues.slice(0, 3))).replace(/\s*\n\s*/g, ' ');
  return text.length > MAX_SUMMARY_CHARS ? `${text.slice(0, MAX_SUMMARY_CHARS)}…` : text;
}

/**
 * The visible thread of one conversation (its active branch only) as Markdown: the title, the
 * system prompt if any, then each message under a "You" / "Assistant" heading. Message text is
 * already Markdown and is kept as written. Throws NOT_FOUND for an unknown conversation.
 */
export function exportConversationMarkdown(db: Db, conversationId: string): string {
  const conversation = findConversation(db, conversationId);
  if (!conversation) throw new CoreError('NOT_FOUND', 'This conversation no longer exists.');
  const leaf = findActiveLeafId(db, conversationId);
  const path = leaf ? listPathToLeaf(db, leaf) : [];
  const parts = [
    `# ${conversation.title.trim() || 'Untitled conversation'}`,
    `_${conversation.model.provider} · ${conversation.model.model} · ${new Date(conversation.createdAt).toISOString()}_`,
  ];
  if (conversation.systemPrompt) {
    parts.push(
      '## System prompt',
      conversation.systemPrompt
        .split('\n')
        .map((line) => `> ${line}`)
        .join('\n'),
    );
  }
  for (const message of path) {
    const heading =
      message.role === 'user'
        ? '## You'
        : message.role === 'assistant'
          ? `## Assistant${message.model ? ` (${message.model.model})` : ''}`
          : '## System';
    parts.push(heading, message.content);
    if (message.status !== 'complete') parts.push(`_(reply ${message.status})_`);
  }
  return `${parts.join('\n\n')}\n`;
}
