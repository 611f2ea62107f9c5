import { create } from 'zustand';
import { createConversationsSlice, type ConversationsSlice } from './conversationsSlice';
import { createSessionSlice, type SessionSlice } from './sessionSlice';
import { createThreadSlice, type ThreadSlice } from './threadSlice';

/** The whole renderer state: one store built from slices. */
export type AppState = ConversationsSlice & ThreadSlice & SessionSlice;

/** Builds a fresh store; tests make their own, the app uses {@link useAppStore}. */
export const createAppStore = () =>
  create<AppState>()((...args) => ({
    ...createConversationsSlice(...args),
    ...createThreadSlice(...args),
    ...createSessionSlice(...args),
  }));

/** The app's store. Components select the smallest value they need. */
export const useAppStore = createAppStore();
