import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { MethodOutput } from '../../../shared/contract';
import { CoreError } from '../coreError';
import type { HandlerTable } from '../ipc/dispatcher';
import { listBackups } from '../store/backups';
import {
  exportConversationMarkdown,
  exportConversations,
  importExport,
  parseExportJson,
} from '../store/exportImport';
import { findConversation } from '../store/repos/conversations';
import {
  deleteFolder,
  findFolder,
  findFolderByName,
  insertFolder,
  listFolders,
  renameFolder,
} from '../store/repos/folders';
import { listTrash, purgeTrash } from '../store/repos/trash';
import { searchMessages } from '../store/repos/search';
import type { CoreContext } from './coreContext';

type DataMethods =
  | 'trash.list'
  | 'trash.empty'
  | 'folders.list'
  | 'folders.create'
  | 'folders.rename'
  | 'folders.delete'
  | 'search.messages'
  | 'export.json'
  | 'export.markdown'
  | 'import.json'
  | 'backups.list'
  | 'backups.create'
  | 'backups.restore';

/** A file name safe on every system, from a conversation title. */
export function safeFileName(title: string, extension: string): string {
  const base =
    title
      .replace(/[\\/:*?"<>|\p{Cc}]+/gu, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 80) || 'causerie';
  return `${base}.${extension}`;
}

/**
 * Imports an export's text and reports what came in: `import.json`, and the browser host's
 * streamed upload of a file too large for one call.
 */
export function importJsonText(ctx: CoreContext, json: string): MethodOutput<'import.json'> {
  const report = importExport(ctx.db(), parseExportJson(json), ctx.now());
  return {
    conversationsImported: report.conversationsImported,
    messagesImported: report.messagesImported,
    foldersImported: report.foldersImported,
    refused: report.refused,
  };
}

/** Search, trash, folders, export/import and backups: the user's whole history. */
export function dataHandlers(ctx: CoreContext): Pick<HandlerTable, DataMethods> {
  const folderNamed = (name: string) => {
    if (findFolderByName(ctx.db(), name)) {
      throw new CoreError('VALIDATION', `A folder named "${name}" already exists.`);
    }
  };
  return {
    'trash.list': () => ({ conversations: listTrash(ctx.db()) }),
    'trash.empty': ({ olderThanDays }) => ({
      purged: purgeTrash(ctx.db(), {
        now: ctx.now(),
        ...(olderThanDays !== undefined ? { olderThanDays } : {}),
      }),
    }),

    'folders.list': () => ({ folders: listFolders(ctx.db()) }),
    'folders.create': ({ name }) => {
      folderNamed(name);
      const folder = { id: randomUUID(), name, createdAt: ctx.now() };
      insertFolder(ctx.db(), folder);
      return folder;
    },
    'folders.rename': ({ folderId, name }) => {
      const folder = findFolder(ctx.db(), folderId);
      if (!folder) throw new CoreError('NOT_FOUND', 'That folder no longer exists.');
      if (folder.name !== name) folderNamed(name);
      renameFolder(ctx.db(), folderId, name);
      return { ...folder, name };
    },
    'folders.delete': ({ folderId }) => {
      if (!deleteFolder(ctx.db(), folderId)) {
        throw new CoreError('NOT_FOUND', 'That folder no longer exists.');
      }
      return {};
    },

    'search.messages': (input) => ({
      hits: searchMessages(ctx.db(), input).map((hit) => ({
        messageId: hit.messageId,
        conversationId: hit.conversationId,
        conversationTitle: hit.conversationTitle,
        role: hit.role,
        snippet: hit.snippet,
        createdAt: hit.createdAt,
      })),
    }),

    'export.json': ({ conversationIds, folderId }) => {
      const selection = conversationIds
        ? { conversationIds }
        : folderId
          ? { folderId }
          : ({ all: true } as const);
      const data = exportConversations(ctx.db(), selection, ctx.now());
      const day = new Date(ctx.now()).toISOString().slice(0, 10);
      const single =
        conversationIds?.length === 1 ? findConversation(ctx.db(), conversationIds[0] ?? '') : null;
      return {
        fileName: single ? safeFileName(single.title, 'causerie.json') : `causerie-${day}.json`,
        json: JSON.stringify(data),
      };
    },
    'export.markdown': ({ conversationId }) => {
      const conversation = findConversation(ctx.db(), conversationId);
      if (!conversation) throw new CoreError('NOT_FOUND', 'This conversation no longer exists.');
      return {
        fileName: safeFileName(conversation.title, 'md'),
        markdown: exportConversationMarkdown(ctx.db(), conversationId),
      };
    },
    'import.json': ({ json }) => importJsonText(ctx, json),

    'backups.list': () => ({
      backups: listBackups(ctx.backupsDir)
        .map((backup) => ({
          name: backup.name,
          size: backup.sizeBytes,
          createdAt: backup.modifiedAt,
        }))
        .sort((a, b) => b.createdAt - a.createdAt),
    }),
    'backups.create': async () => ({
      name: path.basename(await ctx.createBackup()),
    }),
    'backups.restore': async ({ name }) => {
      // Only a backup this app listed: the name is matched, never used as a path from outside.
      if (!listBackups(ctx.backupsDir).some((backup) => backup.name === name)) {
        throw new CoreError('NOT_FOUND', 'That backup no longer exists.');
      }
      await ctx.restoreBackup(name);
      return { restored: name };
    },
  };
}
