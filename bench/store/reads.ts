/**
 * bench:store scenario `reads`: what the sidebar and the thread read. The sidebar's pages (the
 * keyset page, the renderer's first page of the unfiled list and its counts) against reading
 * every conversation at once, as start-up did before paging; opening the 5,000-message thread at
 * its last page against reading the whole path, as `conversations.open` did before paging.
 */
import { THREAD_PAGE_SIZE, SIDEBAR_PAGE_SIZE } from '../../shared/contract';
import type { Db } from '../../electron/core/store/openDatabase';
import {
  findActiveLeafId,
  findConversation,
  listConversations,
  listConversationsPage,
} from '../../electron/core/store/repos/conversations';
import { listPathToLeaf, listThread, listThreadPage } from '../../electron/core/store/repos/thread';
import { countSidebar, listSidebarPage } from '../../electron/core/store/repos/sidebarPages';
import { sample } from '../lib/measure';

export function readsScenario(
  db: Db,
  longThread: { id: string; leafId: string; messages: number },
  conversations: number,
) {
  const { id: longId, leafId } = longThread;
  const sidebar = {
    listPage: sample(() => listConversationsPage(db, { limit: 50 }), 200),
    firstSidebarPage: sample(
      () => listSidebarPage(db, { list: { kind: 'unfiled' }, limit: SIDEBAR_PAGE_SIZE }),
      200,
    ),
    counts: sample(() => countSidebar(db), 50),
    listDefault: sample(() => listConversations(db), 50),
    listFifty: sample(() => listConversations(db, { limit: 50 }), 200),
    /** What start-up read before paging: every live conversation, archived ones included. */
    listEverything: sample(
      () => listConversations(db, { limit: conversations * 2, includeArchived: true }),
      10,
    ),
  };

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
  if (openPage().page?.earlier !== longThread.messages - THREAD_PAGE_SIZE) {
    throw new Error('the paged open did not stop at the last page');
  }
  const opened = open().messages.length;
  if (opened !== longThread.messages) {
    throw new Error(`the long thread opened with ${opened} messages, not ${longThread.messages}`);
  }
  return {
    ...sidebar,
    openLastPage: sample(openPage, 50),
    openWholeThread: sample(open, 20),
    listThread: sample(() => listThread(db, leafId), 20),
  };
}
