import type { StateCreator } from 'zustand';
import type { Conversation } from '../../shared/domain';
import type { AppState } from './useAppStore';

/** The sidebar: every conversation, most recent first, and which one is open. */
export interface ConversationsSlice {
  conversations: Conversation[];
  selectedConversationId: string | null;
  conversationsLoaded(conversations: Conversation[]): void;
  conversationCreated(conversation: Conversation): void;
  conversationSelected(conversationId: string | null): void;
  conversationTouched(conversationId: string, change: { updatedAt: number; title?: string }): void;
  /** A conversation changed (renamed, pinned, model or language switched…). */
  conversationUpdated(conversation: Conversation): void;
  /** A conversation left the sidebar (trashed). */
  conversationRemoved(conversationId: string): void;
}

export const createConversationsSlice: StateCreator<AppState, [], [], ConversationsSlice> = (
  set,
) => ({
  conversations: [],
  selectedConversationId: null,
  conversationsLoaded: (conversations) => set({ conversations }),
  conversationCreated: (conversation) =>
    set((state) => ({
      conversations: [conversation, ...state.conversations.filter((c) => c.id !== conversation.id)],
      selectedConversationId: conversation.id,
    })),
  conversationSelected: (conversationId) => set({ selectedConversationId: conversationId }),
  conversationTouched: (conversationId, change) =>
    set((state) => {
      const current = state.conversations.find((c) => c.id === conversationId);
      if (!current) return {};
      const updated: Conversation = {
        ...current,
        updatedAt: change.updatedAt,
        title: current.title || change.title || '',
      };
      return {
        conversations: [updated, ...state.conversations.filter((c) => c.id !== conversationId)],
      };
    }),
  conversationUpdated: (conversation) =>
    set((state) => ({
      conversations: state.conversations.some((c) => c.id === conversation.id)
        ? state.conversations.map((c) => (c.id === conversation.id ? conversation : c))
        : [conversation, ...state.conversations],
    })),
  conversationRemoved: (conversationId) =>
    set((state) => ({
      conversations: state.conversations.filter((c) => c.id !== conversationId),
      selectedConversationId:
        state.selectedConversationId === conversationId ? null : state.selectedConversationId,
    })),
});
