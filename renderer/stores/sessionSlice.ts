import type { StateCreator } from 'zustand';
import type { MethodOutput } from '../../shared/contract';
import type { AppError } from '../../shared/errors';
import type { TransportStatus } from '../lib/transport';
import type { AppState } from './useAppStore';

/** App-wide facts: settings, connection state, the last error to show, and unsent drafts. */
export interface SessionSlice {
  settings: MethodOutput<'settings.get'> | null;
  connection: TransportStatus;
  notice: AppError | null;
  /** The text in the composer, per conversation ('' key for "no conversation yet"). */
  drafts: Record<string, string>;
  settingsLoaded(settings: MethodOutput<'settings.get'>): void;
  connectionChanged(status: TransportStatus): void;
  errorReported(error: AppError | null): void;
  draftEdited(conversationId: string, text: string): void;
}

export const createSessionSlice: StateCreator<AppState, [], [], SessionSlice> = (set) => ({
  settings: null,
  connection: 'open',
  notice: null,
  drafts: {},
  settingsLoaded: (settings) => set({ settings }),
  connectionChanged: (connection) => set({ connection }),
  errorReported: (notice) => set({ notice }),
  draftEdited: (conversationId, text) =>
    set((state) => ({ drafts: { ...state.drafts, [conversationId]: text } })),
});
