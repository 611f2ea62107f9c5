import { randomUUID } from 'node:crypto';
import type { Conversation, Message } from '../../../shared/domain';
import { CoreError } from '../coreError';
import type { HandlerTable } from '../ipc/dispatcher';
import { switchToBranch } from '../store/repos/branches';
import {
  findActiveLeafId,
  findConversation,
  insertConversation,
  listConversations,
  moveConversationToFolder,
  renameConversation,
  restoreConversation,
  setConversationArchived,
  setConversationPinned,
  trashConversation,
  updateConversationSettings,
  findFolder,
} from '../store/repos/conversations';
import { listSiblings, listThread, type ThreadEntry } from '../store/repos/messages';
import type { CoreContext } from './coreContext';

type ConversationMethods =
  | 'conversations.list'
  | 'conversations.create'
  | 'conversations.open'
  | 'conversations.rename'
  | 'conversations.update'
  | 'conversations.setPinned'
  | 'conversations.setArchived'
  | 'conversations.moveToFolder'
  | 'conversations.trash'
  | 'conversations.restore'
  | 'conversations.switchBranch';

/** The thread as the contract sends it: messages in order, and branch positions where there are several. */
export function toThreadPayload(entries: readonly ThreadEntry[]): {
  messages: Message[];
  branches: Record<string, { index: number; count: number }>;
} {
  const branches: Record<string, { index: number; count: number }> = {};
  for (const entry of entries) {
    if (entry.siblingCount > 1) {
      branches[entry.message.id] = { index: entry.siblingIndex, count: entry.siblingCount };
    }
  }
  return { messages: entries.map((entry) => entry.message), branches };
}

/** Creating, opening, organising and branching conversations. */
export function conversationHandlers(ctx: CoreContext): Pick<HandlerTable, ConversationMethods> {
  const live = (conversationId: string): Conversation => {
    const conversation = findConversation(ctx.db(), conversationId);
    if (!conversation || conversation.deletedAt !== null) {
      throw new CoreError('NOT_FOUND', 'This conversation no longer exists.');
    }
    return conversation;
  };
  const reread = (conversationId: string): Conversation => {
    const conversation = findConversation(ctx.db(), conversationId);
    if (!conversation) throw new CoreError('NOT_FOUND', 'This conversation no longer exists.');
    return conversation;
  };

  return {
    'conversations.list': (input) => ({
      conversations: listConversations(ctx.db(), {
        limit: 20_000,
        ...(input.includeArchived ? { includeArchived: true } : {}),
      }),
    }),
    'conversations.create': (input) => {
      const now = ctx.now();
      const model = input.model ?? ctx.defaultModel;
      ctx.models.resolve(model);
      const id = randomUUID();
      insertConversation(ctx.db(), {
        id,
        title: '',
        model,
        createdAt: now,
        updatedAt: now,
        replyLanguage: input.replyLanguage ?? null,
      });
      return reread(id);
    },
    'conversations.open': ({ conversationId }) => {
      const conversation = live(conversationId);
      const leaf = findActiveLeafId(ctx.db(), conversationId);
      return {
        conversation,
        ...(leaf ? toThreadPayload(listThread(ctx.db(), leaf)) : { messages: [], branches: {} }),
      };
    },
    'conversations.rename': ({ conversationId, title }) => {
      live(conversationId);
      renameConversation(ctx.db(), conversationId, title);
      return reread(conversationId);
    },
    'conversations.update': ({ conversationId, ...change }) => {
      live(conversationId);
      // A model from a removed server or a missing local file is refused here, not at send time.
      if (change.model) ctx.models.resolve(change.model);
      updateConversationSettings(ctx.db(), conversationId, {
        ...(change.model ? { model: change.model } : {}),
        ...(change.replyLanguage !== undefined ? { replyLanguage: change.replyLanguage } : {}),
        ...(change.languageCorrection ? { languageCorrection: change.languageCorrection } : {}),
        ...(change.systemPrompt !== undefined ? { systemPrompt: change.systemPrompt } : {}),
        ...(change.params !== undefined ? { params: change.params } : {}),
      });
      return reread(conversationId);
    },
    'conversations.setPinned': ({ conversationId, pinned }) => {
      live(conversationId);
      setConversationPinned(ctx.db(), conversationId, pinned);
      return reread(conversationId);
    },
    'conversations.setArchived': ({ conversationId, archived }) => {
      live(conversationId);
      setConversationArchived(ctx.db(), conversationId, archived);
      return reread(conversationId);
    },
    'conversations.moveToFolder': ({ conversationId, folderId }) => {
      live(conversationId);
      if (folderId && !findFolder(ctx.db(), folderId)) {
        throw new CoreError('NOT_FOUND', 'That folder no longer exists.');
      }
      moveConversationToFolder(ctx.db(), conversationId, folderId);
      return reread(conversationId);
    },
    'conversations.trash': ({ conversationId }) => {
      live(conversationId);
      trashConversation(ctx.db(), conversationId, ctx.now());
      return {};
    },
    'conversations.restore': ({ conversationId }) => {
      if (!restoreConversation(ctx.db(), conversationId)) {
        throw new CoreError('NOT_FOUND', 'That conversation is not in the trash.');
      }
      return reread(conversationId);
    },
    'conversations.switchBranch': ({ messageId, direction }) => {
      let target = messageId;
      if (direction) {
        const siblings = listSiblings(ctx.db(), messageId);
        const index = siblings.findIndex((sibling) => sibling.id === messageId);
        const next = siblings[index + (direction === 'next' ? 1 : -1)];
        if (index === -1 || !next) throw new CoreError('NOT_FOUND', 'There is no other version.');
        target = next.id;
      }
      const switched = switchToBranch(ctx.db(), target);
      if (!switched) throw new CoreError('NOT_FOUND', 'That message no longer exists.');
      live(switched.conversationId);
      return toThreadPayload(switched.thread);
    },
  };
}
