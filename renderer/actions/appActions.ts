import { createContext, useContext } from 'react';
import type { ApiClient } from '../lib/api';
import type { Transport } from '../lib/transport';
import { createActionContext, type AppStore } from './actionContext';
import { createChatActions, createStreamEventHandler, type ChatActions } from './chat';
import { createConversationActions, type ConversationActions } from './conversations';
import { createDataActions, type DataActions } from './data';
import { createEventRouter } from './events';
import { createFolderActions, type FolderActions } from './folders';
import { conversationIdFromHash, watchHash } from './hashRouting';
import { createLocalModelActions, type LocalModelActions } from './local';
import { createSessionActions, watchConnection, type SessionActions } from './session';

/** The user's intents, each one call to the contract followed by store events. */
export interface AppActions
  extends
    ChatActions,
    ConversationActions,
    FolderActions,
    SessionActions,
    LocalModelActions,
    DataActions {
  /** Loads what the window shows and follows the back end's events; returns the teardown. */
  start(): () => void;
}

export function createAppActions(
  api: ApiClient,
  store: AppStore,
  transport: Transport,
): AppActions {
  const context = createActionContext(api, store);
  const { state } = context;
  const session = createSessionActions(context);
  const conversations = createConversationActions(context);
  const chat = createChatActions(context, () => conversations.newChat());
  const onEvent = createEventRouter(context, session, createStreamEventHandler(context));

  return {
    ...session,
    ...conversations,
    ...chat,
    ...createFolderActions(context),
    ...createLocalModelActions(context),
    ...createDataActions(context),

    start() {
      const unsubscribeEvents = api.onEvent(onEvent);
      // After a reconnect the back end may have moved on: reload what we show.
      const unsubscribeStatus = watchConnection(context, transport, () => {
        void conversations.reloadSidebar();
        const open = state().threadConversationId;
        if (open) void conversations.openConversation(open);
      });
      void (async () => {
        await session.refreshSettings();
        await conversations.reloadSidebar();
        const fromHash = conversationIdFromHash(window.location.hash);
        if (fromHash) await conversations.openConversation(fromHash);
        await session.loadCatalog();
      })();
      const unfollowUiLanguage = session.followUiLanguage();
      const unwatchHash = watchHash(
        () => state().threadConversationId,
        (id) => void conversations.openConversation(id),
      );
      return () => {
        unsubscribeEvents();
        unsubscribeStatus?.();
        unwatchHash();
        unfollowUiLanguage();
      };
    },
  };
}

/** Gives components the actions without prop drilling. */
export const AppActionsContext = createContext<AppActions | null>(null);

/** The actions of the running app. */
export function useAppActions(): AppActions {
  const actions = useContext(AppActionsContext);
  if (!actions) throw new Error('useAppActions needs <AppActionsContext.Provider>');
  return actions;
}
