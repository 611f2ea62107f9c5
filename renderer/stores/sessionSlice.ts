import type { StateCreator } from 'zustand';
import type { EventPayload, MethodOutput } from '../../shared/contract';
import type { Conversation } from '../../shared/domain';
import type { AppError } from '../../shared/errors';
import { matchUiLanguage, UI_LANGUAGES, type UiLanguage } from '../i18n/i18n';
import type { TransportStatus } from '../lib/transport';
import type { AppState } from './useAppStore';

/** App-wide facts: settings, connection state, the last error to show, and unsent drafts. */
export interface SessionSlice {
  settings: MethodOutput<'settings.get'> | null;
  connection: TransportStatus;
  notice: AppError | null;
  /** The text in the composer, per conversation ('' key for "no conversation yet"). */
  drafts: Record<string, string>;
  /** The interface language: the system's at first, then the user's choice. */
  uiLanguage: UiLanguage;
  uiLanguageChosen(language: UiLanguage): void;
  /** Light, dark, or whatever the system uses. */
  theme: Theme;
  themeChosen(theme: Theme): void;
  /** Which overlay is open, if any. */
  panel: 'settings' | 'shortcuts' | 'trash' | null;
  panelOpened(panel: 'settings' | 'shortcuts' | 'trash' | null): void;
  /** Every model across providers, grouped for the picker. */
  catalog: MethodOutput<'models.list'>['groups'];
  catalogLoaded(groups: MethodOutput<'models.list'>['groups']): void;
  /** Sidebar search: the query and its hits (null when not searching). */
  searchQuery: string;
  searchHits: MethodOutput<'search.messages'>['hits'] | null;
  searchChanged(query: string, hits: MethodOutput<'search.messages'>['hits'] | null): void;
  /** A message to scroll to and highlight once its conversation is open. */
  focusedMessageId: string | null;
  messageFocused(messageId: string | null): void;
  /** A deleted conversation that can still be brought back with Undo. */
  undoableTrash: Conversation | null;
  trashUndoOffered(conversation: Conversation | null): void;
  /** Model downloads under way or just ended, by catalogue id. */
  downloads: Record<string, EventPayload<'local.download'>>;
  downloadChanged(progress: EventPayload<'local.download'>): void;
  /** The local runtime: loading (with progress), loaded, unloaded or crashed. */
  localRuntime: EventPayload<'local.runtime'> | null;
  localRuntimeChanged(state: EventPayload<'local.runtime'>): void;
  /** A short confirmation to show (e.g. "Imported 3 conversations"). */
  toast: string | null;
  toastShown(text: string | null): void;
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
  uiLanguage: initialUiLanguage(),
  uiLanguageChosen: (uiLanguage) => {
    safeStorage()?.setItem(UI_LANGUAGE_STORAGE_KEY, uiLanguage);
    set({ uiLanguage });
  },
  theme: initialTheme(),
  themeChosen: (theme) => {
    safeStorage()?.setItem(THEME_STORAGE_KEY, theme);
    set({ theme });
  },
  panel: null,
  panelOpened: (panel) => set({ panel }),
  catalog: [],
  catalogLoaded: (catalog) => set({ catalog }),
  searchQuery: '',
  searchHits: null,
  searchChanged: (searchQuery, searchHits) => set({ searchQuery, searchHits }),
  focusedMessageId: null,
  messageFocused: (focusedMessageId) => set({ focusedMessageId }),
  undoableTrash: null,
  trashUndoOffered: (undoableTrash) => set({ undoableTrash }),
  downloads: {},
  downloadChanged: (progress) =>
    set((state) => ({ downloads: { ...state.downloads, [progress.catalogueId]: progress } })),
  localRuntime: null,
  localRuntimeChanged: (localRuntime) => set({ localRuntime }),
  toast: null,
  toastShown: (toast) => set({ toast }),
  settingsLoaded: (settings) => set({ settings }),
  connectionChanged: (connection) => set({ connection }),
  errorReported: (notice) => set({ notice }),
  draftEdited: (conversationId, text) =>
    set((state) => ({ drafts: { ...state.drafts, [conversationId]: text } })),
});

const UI_LANGUAGE_STORAGE_KEY = 'causerie.uiLanguage';
const THEME_STORAGE_KEY = 'causerie.theme';

/** The colour scheme the user chose. */
export type Theme = 'light' | 'dark' | 'system';

function initialTheme(): Theme {
  const saved = safeStorage()?.getItem(THEME_STORAGE_KEY);
  return saved === 'light' || saved === 'dark' ? saved : 'system';
}

/** localStorage where it exists (not in unit tests under Node, nor when the browser blocks it). */
function safeStorage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

function initialUiLanguage(): UiLanguage {
  const saved = safeStorage()?.getItem(UI_LANGUAGE_STORAGE_KEY);
  if (saved && (UI_LANGUAGES as readonly string[]).includes(saved)) return saved as UiLanguage;
  return matchUiLanguage(typeof navigator === 'undefined' ? [] : navigator.languages);
}
