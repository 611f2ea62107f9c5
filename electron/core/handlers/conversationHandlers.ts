import { randomUUID } from 'node:crypto';
import type { Conversation, Message } from '../../../shared/domain';
import { CoreError } from '../coreError';
import type { CallContext, HandlerTable } from '../ipc/dispatcher';
import { deleteMessage, switchToBranch } from '../store/repos/branches';
import {
  findActiveLeafId,
  findConversation,
  insertConversation,
  listConversations,
  moveConversationToFolder,
  renameConversation,
  setConversationArchived,
  setConversationPinned,
  updateConversationSettings,
} from '../store/repos/conversations';
import { findFolder } from '../store/repos/folders';
import { restoreConversation, trashConversation } from '../store/repos/trash';
import { SIDEBAR_PAGE_SIZE, THREAD_PAGE_SIZE } from '../../../shared/contract';
import { countSidebar, listSidebarPage } from '../store/repos/sidebarPages';
import { findMessage } from '../store/repos/messages';
import { listSiblings, listThreadPage, type ThreadPage } from '../store/repos/thread';
import type { CoreContext } from './coreContext';

type ConversationMethods =
  | 'conversations.list'
  | 'conversations.page'
  | 'conversations.counts'
  | 'conversations.create'
  | 'conversations.open'
  | 'conversations.loadEarlier'
  | 'conversations.rename'
  | 'conversations.update'
  | 'conversations.setPinned'
  | 'conversations.setArchived'
  | 'conversations.moveToFolder'
  | 'conversations.trash'
  | 'conversations.restore'
  | 'conversations.switchBranch'
  | 'messages.delete';

/** A page of the thread as the contract sends it: messages in order, and branch positions where there are several. */
export function toThreadPayload(page: ThreadPage): {
  messages: Message[];
  branches: Record<string, { index: number; count: number }>;
  earlier: number;
} {
  const branches: Record<string, { index: number; count: number }> = {};
  for (const entry of page.entries) {
    if (entry.siblingCount > 1) {
      branches[entry.message.id] = { index: entry.siblingIndex, count: entry.siblingCount };
    }
  }
  return { messages: page.entries.map((entry) => entry.message), branches, earlier: page.earlier };
}

const EMPTY_THREAD = { messages: [], branches: {}, earlier: 0 };

/** Creating, opening, organising and branching conversations. */
export function conversationHandlers(ctx: CoreContext): Pick<HandlerTable, ConversationMethods> {
  const live = (conversationId: string): Conversation =>
    ctx.conversations.requireLive(conversationId);
  const reread = (conversationId: string): Conversation => {
    const conversation = findConversation(ctx.db(), conversationId);
    if (!conversation) throw new CoreError('NOT_FOUND', 'This conversation no longer exists.');
    return conversation;
  };
  /**
   * Rereads a changed conversation and tells the other pages, which patch their loaded sidebar
   * rows with it (the caller has it in its answer).
   */
  const changed = (conversationId: string, call: CallContext): Conversation => {
    const conversation = reread(conversationId);
    ctx.broadcast({ name: 'conversations.changed', payload: { conversation } }, call.clientId);
    return conversation;
  };

  return {
    'conversations.list': (input) => ({
      conversations: listConversations(ctx.db(), {
        limit: 20_000,
        ...(input.includeArchived ? { includeArchived: true } : {}),
      }),
    }),
    'conversations.page': ({ list, before, limit }) =>
      listSidebarPage(ctx.db(), {
        list,
        limit: limit ?? SIDEBAR_PAGE_SIZE,
        before: before ?? null,
      }),
    'conversations.counts': () => countSidebar(ctx.db()),
    'conversations.create': (input) => {
      const now = ctx.now();
      const defaults = ctx.settings.get().defaults;
      const model = ctx.conversations.modelForNewConversation(input.model);
      const id = randomUUID();
      insertConversation(ctx.db(), {
        id,
        title: '',
        model,
        createdAt: now,
        updatedAt: now,
        replyLanguage:
          input.replyLanguage === undefined ? defaults.replyLanguage : input.replyLanguage,
        params: defaults.params,
      });
      return reread(id);
    },
    'conversations.open': ({ conversationId, aroundMessageId }) => {
      const conversation = live(conversationId);
      const leaf = findActiveLeafId(ctx.db(), conversationId);
      const page = leaf
        ? listThreadPage(ctx.db(), leaf, {
            limit: THREAD_PAGE_SIZE,
            ...(aroundMessageId ? { include: aroundMessageId } : {}),
          })
        : undefined;
      return { conversation, ...(page ? toThreadPayload(page) : EMPTY_THREAD) };
    },
    'conversations.loadEarlier': ({ beforeMessageId }) => {
      const page = listThreadPage(ctx.db(), beforeMessageId, {
        limit: THREAD_PAGE_SIZE,
        endBefore: beforeMessageId,
      });
      if (!page) throw new CoreError('NOT_FOUND', 'That message no longer exists.');
      const first = page.entries[0]?.message;
      if (first) live(first.conversationId);
      return toThreadPayload(page);
    },
    'conversations.rename': ({ conversationId, title }, call) => {
      live(conversationId);
      renameConversation(ctx.db(), conversationId, title);
      return changed(conversationId, call);
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
        ...(change.allowRemoteImages !== undefined
          ? { allowRemoteImages: change.allowRemoteImages }
          : {}),
      });
      return reread(conversationId);
    },
    'conversations.setPinned': ({ conversationId, pinned }, call) => {
      live(conversationId);
      setConversationPinned(ctx.db(), conversationId, pinned);
      return changed(conversationId, call);
    },
    'conversations.setArchived': ({ conversationId, archived }, call) => {
      live(conversationId);
      setConversationArchived(ctx.db(), conversationId, archived);
      return changed(conversationId, call);
    },
    'conversations.moveToFolder': ({ conversationId, folderId }, call) => {
      live(conversationId);
      if (folderId && !findFolder(ctx.db(), folderId)) {
        throw new CoreError('NOT_FOUND', 'That folder no longer exists.');
      }
      moveConversationToFolder(ctx.db(), conversationId, folderId);
      return changed(conversationId, call);
    },
    'conversations.trash': ({ conversationId }, call) => {
      live(conversationId);
      trashConversation(ctx.db(), conversationId, ctx.now());
      ctx.broadcast({ name: 'conversations.removed', payload: { conversationId } }, call.clientId);
      return {};
    },
    'conversations.restore': ({ conversationId }, call) => {
      if (!restoreConversation(ctx.db(), conversationId)) {
        throw new CoreError('NOT_FOUND', 'That conversation is not in the trash.');
      }
      return changed(conversationId, call);
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
      // The page reaches up to the message switched to, so it stays on screen.
      const page = listThreadPage(ctx.db(), switched.leafId, {
        limit: THREAD_PAGE_SIZE,
        include: target,
      });
      return page ? toThreadPayload(page) : EMPTY_THREAD;
    },
    'messages.delete': ({ messageId }) => {
      const message = findMessage(ctx.db(), messageId);
      if (!message) throw new CoreError('NOT_FOUND', 'That message no longer exists.');
      live(message.conversationId);
      const outcome = deleteMessage(ctx.db(), messageId);
      if (!outcome.deleted) {
        throw outcome.reason === 'streaming'
          ? new CoreError('VALIDATION', 'This reply is still being written: stop it first.')
          : new CoreError('NOT_FOUND', 'That message no longer exists.');
      }
      const page = outcome.leafId
        ? listThreadPage(ctx.db(), outcome.leafId, { limit: THREAD_PAGE_SIZE })
        : undefined;
      return page ? toThreadPayload(page) : EMPTY_THREAD;
    },
  };
}
