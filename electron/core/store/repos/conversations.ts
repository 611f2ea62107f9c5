import type {
  Conversation,
  GenerationParams,
  LanguageCorrection,
  ModelRef,
} from '../../../../shared/domain';
import type { Db } from '../openDatabase';
import { prepared } from '../statements';

/** What the store keeps about a conversation beyond the sidebar fields of {@link Conversation}. */
export interface ConversationExtras {
  systemPrompt: string | null;
  /** The language replies are asked in (a language code), or null for "same as the user". */
  replyLanguage: string | null;
  /** What happens to a reply in the wrong language. */
  languageCorrection: LanguageCorrection;
  params: GenerationParams | null;
  pinned: boolean;
  archived: boolean;
  folderId: string | null;
  /** Remote images in its replies load without a click. */
  allowRemoteImages: boolean;
  /** When it was moved to the trash; null while it is live. */
  deletedAt: number | null;
}

/** A conversation as stored: the domain fields plus {@link ConversationExtras}. */
export type ConversationRecord = Conversation & ConversationExtras;

/** Where a page of the sidebar ends; pass it back as `before` to get the next page. */
export interface ConversationCursor {
  pinned: boolean;
  updatedAt: number;
  id: string;
}

/** A `conversations` row as SQLite returns it (for the trash and folder repos). */
export interface ConversationRow {
  id: string;
  title: string;
  provider: string;
  model: string;
  created_at: number;
  updated_at: number;
  system_prompt: string | null;
  reply_language: string | null;
  language_correction: LanguageCorrection;
  params_json: string | null;
  pinned: number;
  archived: number;
  folder_id: string | null;
  allow_remote_images: number;
  deleted_at: number | null;
}

/** The columns {@link toConversation} reads. */
export const COLUMNS = `id, title, provider, model, created_at, updated_at, system_prompt, reply_language, language_correction,
  params_json, pinned, archived, folder_id, allow_remote_images, deleted_at`;

/** A row as the domain sees it. */
export function toConversation(row: ConversationRow): ConversationRecord {
  return {
    id: row.id,
    title: row.title,
    model: { provider: row.provider, model: row.model },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    systemPrompt: row.system_prompt,
    replyLanguage: row.reply_language,
    languageCorrection: row.language_correction,
    params: row.params_json === null ? null : (JSON.parse(row.params_json) as GenerationParams),
    pinned: row.pinned === 1,
    archived: row.archived === 1,
    folderId: row.folder_id,
    allowRemoteImages: row.allow_remote_images === 1,
    deletedAt: row.deleted_at,
  };
}

/** Inserts a new, empty conversation; extras left out take their defaults (live, unpinned, no folder). */
export function insertConversation(
  db: Db,
  conversation: Omit<Conversation, keyof ConversationExtras> & Partial<ConversationExtras>,
): void {
  prepared(
    db,
    `INSERT INTO conversations (id, title, provider, model, created_at, updated_at, system_prompt,
       reply_language, language_correction, params_json, pinned, archived, folder_id,
       allow_remote_images, deleted_at)
     VALUES (@id, @title, @provider, @model, @createdAt, @updatedAt, @systemPrompt,
       @replyLanguage, @languageCorrection, @paramsJson, @pinned, @archived, @folderId,
       @allowRemoteImages, @deletedAt)`,
  ).run({
    id: conversation.id,
    title: conversation.title,
    provider: conversation.model.provider,
    model: conversation.model.model,
    createdAt: conversation.createdAt,
    updatedAt: conversation.updatedAt,
    systemPrompt: conversation.systemPrompt ?? null,
    replyLanguage: conversation.replyLanguage ?? null,
    languageCorrection: conversation.languageCorrection ?? 'auto',
    paramsJson: conversation.params ? JSON.stringify(conversation.params) : null,
    pinned: conversation.pinned ? 1 : 0,
    archived: conversation.archived ? 1 : 0,
    folderId: conversation.folderId ?? null,
    allowRemoteImages: conversation.allowRemoteImages ? 1 : 0,
    deletedAt: conversation.deletedAt ?? null,
  });
}

/**
 * Live conversations for the sidebar: pinned first, then the most recently active. Trashed ones
 * never appear; archived ones only with `includeArchived`.
 */
export function listConversations(
  db: Db,
  options: { limit?: number; includeArchived?: boolean } = {},
): ConversationRecord[] {
  const sql = options.includeArchived
    ? `SELECT ${COLUMNS} FROM conversations WHERE deleted_at IS NULL
        ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ?`
    : `SELECT ${COLUMNS} FROM conversations WHERE deleted_at IS NULL AND archived = 0
        ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ?`;
  return prepared<[number], ConversationRow>(db, sql)
    .all(options.limit ?? 500)
    .map(toConversation);
}

/**
 * One page of the sidebar (or, with `archived: true`, of the archive), in the order of
 * {@link listConversations}. Keyset pagination on the `conversations_sidebar` index: every page
 * costs the same, however deep, and a conversation that moves between pages is neither skipped
 * nor repeated more than once. `next` is null on the last page.
 */
export function listConversationsPage(
  db: Db,
  options: { limit: number; before?: ConversationCursor | null; archived?: boolean },
): { conversations: ConversationRecord[]; next: ConversationCursor | null } {
  const archived = options.archived ? 1 : 0;
  const limit = Math.max(1, Math.floor(options.limit));
  const rows = options.before
    ? prepared<[number, number, number, string, number], ConversationRow>(
        db,
        `SELECT ${COLUMNS} FROM conversations
          WHERE deleted_at IS NULL AND archived = ? AND (pinned, updated_at, id) < (?, ?, ?)
          ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ?`,
      ).all(
        archived,
        options.before.pinned ? 1 : 0,
        options.before.updatedAt,
        options.before.id,
        limit,
      )
    : prepared<[number, number], ConversationRow>(
        db,
        `SELECT ${COLUMNS} FROM conversations
          WHERE deleted_at IS NULL AND archived = ?
          ORDER BY pinned DESC, updated_at DESC, id DESC LIMIT ?`,
      ).all(archived, limit);
  const conversations = rows.map(toConversation);
  const last = conversations.at(-1);
  return {
    conversations,
    next:
      last && conversations.length === limit
        ? { pinned: last.pinned, updatedAt: last.updatedAt, id: last.id }
        : null,
  };
}

/** Live conversations in one folder (archived included), most recent first. */
export function listConversationsInFolder(db: Db, folderId: string): ConversationRecord[] {
  return prepared<[string], ConversationRow>(
    db,
    `SELECT ${COLUMNS} FROM conversations WHERE folder_id = ? AND deleted_at IS NULL
      ORDER BY pinned DESC, updated_at DESC, id DESC`,
  )
    .all(folderId)
    .map(toConversation);
}

/** One conversation (live or in the trash), or undefined. */
export function findConversation(db: Db, id: string): ConversationRecord | undefined {
  const row = prepared<[string], ConversationRow>(
    db,
    `SELECT ${COLUMNS} FROM conversations WHERE id = ?`,
  ).get(id);
  return row && toConversation(row);
}

/** Records new activity: bumps `updated_at`, moves the active leaf, and sets a title if still blank. */
export function recordConversationActivity(
  db: Db,
  change: { id: string; activeLeafId: string; updatedAt: number; titleIfUntitled?: string },
): void {
  prepared(
    db,
    `UPDATE conversations
        SET updated_at = @updatedAt,
            active_leaf_id = @activeLeafId,
            title = CASE WHEN title = '' AND @title IS NOT NULL THEN @title ELSE title END
      WHERE id = @id`,
  ).run({
    id: change.id,
    activeLeafId: change.activeLeafId,
    updatedAt: change.updatedAt,
    title: change.titleIfUntitled ?? null,
  });
}

/** The id of the message the conversation currently ends at, or null for an empty one. */
export function findActiveLeafId(db: Db, conversationId: string): string | null {
  const row = prepared<[string], { active_leaf_id: string | null }>(
    db,
    'SELECT active_leaf_id FROM conversations WHERE id = ?',
  ).get(conversationId);
  return row?.active_leaf_id ?? null;
}

/**
 * Shows another branch: makes `messageId` the message the conversation ends at. Does not touch
 * `updated_at` (looking at an older branch is not new activity). Returns false, changing nothing,
 * when the message is not part of that conversation.
 */
export function setActiveLeaf(db: Db, conversationId: string, messageId: string): boolean {
  return (
    prepared(
      db,
      `UPDATE conversations SET active_leaf_id = @messageId
        WHERE id = @conversationId
          AND EXISTS (SELECT 1 FROM messages WHERE id = @messageId AND conversation_id = @conversationId)`,
    ).run({ conversationId, messageId }).changes === 1
  );
}

/** Gives a conversation a new title. Returns false when there is no such conversation. */
export function renameConversation(db: Db, id: string, title: string): boolean {
  return (
    prepared(db, 'UPDATE conversations SET title = ? WHERE id = ?').run(title, id).changes === 1
  );
}

/**
 * Changes the per-conversation settings that are given (a key left out keeps its value; null
 * clears it). Settings are not activity: the sidebar order does not change.
 */
export function updateConversationSettings(
  db: Db,
  id: string,
  settings: Partial<
    Pick<
      ConversationExtras,
      'systemPrompt' | 'replyLanguage' | 'params' | 'languageCorrection' | 'allowRemoteImages'
    >
  > & {
    model?: ModelRef;
  },
): boolean {
  const current = findConversation(db, id);
  if (!current) return false;
  // A key that is absent or undefined keeps its value; null clears it.
  const next = {
    systemPrompt:
      settings.systemPrompt === undefined ? current.systemPrompt : settings.systemPrompt,
    replyLanguage:
      settings.replyLanguage === undefined ? current.replyLanguage : settings.replyLanguage,
    params: settings.params === undefined ? current.params : settings.params,
    languageCorrection: settings.languageCorrection ?? current.languageCorrection,
    allowRemoteImages: settings.allowRemoteImages ?? current.allowRemoteImages,
    model: settings.model ?? current.model,
  };
  prepared(
    db,
    `UPDATE conversations
        SET system_prompt = @systemPrompt, reply_language = @replyLanguage,
            language_correction = @languageCorrection,
            allow_remote_images = @allowRemoteImages,
            params_json = @paramsJson, provider = @provider, model = @model
      WHERE id = @id`,
  ).run({
    id,
    systemPrompt: next.systemPrompt,
    replyLanguage: next.replyLanguage,
    languageCorrection: next.languageCorrection,
    allowRemoteImages: next.allowRemoteImages ? 1 : 0,
    paramsJson: next.params ? JSON.stringify(next.params) : null,
    provider: next.model.provider,
    model: next.model.model,
  });
  return true;
}

/** Pins or unpins; pinned conversations head the sidebar. Returns false when not found. */
export function setConversationPinned(db: Db, id: string, pinned: boolean): boolean {
  return (
    prepared(db, 'UPDATE conversations SET pinned = ? WHERE id = ?').run(pinned ? 1 : 0, id)
      .changes === 1
  );
}

/** Archives (hides from the sidebar, keeps searchable) or brings back. Returns false when not found. */
export function setConversationArchived(db: Db, id: string, archived: boolean): boolean {
  return (
    prepared(db, 'UPDATE conversations SET archived = ? WHERE id = ?').run(archived ? 1 : 0, id)
      .changes === 1
  );
}

/**
 * Files a conversation in a folder, or takes it out with null. Returns false when the
 * conversation does not exist; throws (FOREIGN KEY) when the folder does not.
 */
export function moveConversationToFolder(db: Db, id: string, folderId: string | null): boolean {
  return (
    prepared(db, 'UPDATE conversations SET folder_id = ? WHERE id = ?').run(folderId, id)
      .changes === 1
  );
}
