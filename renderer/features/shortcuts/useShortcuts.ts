import { useEffect } from 'react';
import type { AppActions } from '../../actions/appActions';
import { selectActiveStreamId } from '../../stores/threadSlice';
import { useAppStore } from '../../stores/useAppStore';
import { COMPOSER_INPUT_ID, SEARCH_INPUT_ID } from '../../ui/elementIds';
import { isMacPlatform } from '../../ui/platform';
import { matchShortcut } from './shortcuts';

/** Installs the global keyboard shortcuts listed in the help panel. */
export function useShortcuts(actions: AppActions): void {
  useEffect(() => {
    const mac = isMacPlatform();
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.isComposing || event.defaultPrevented) return;
      const action = matchShortcut(event, mac);
      if (!action) return;
      const state = useAppStore.getState();
      switch (action) {
        case 'newChat':
          event.preventDefault();
          void actions.newChat();
          document.getElementById(COMPOSER_INPUT_ID)?.focus();
          return;
        case 'search':
          event.preventDefault();
          document.getElementById(SEARCH_INPUT_ID)?.focus();
          return;
        case 'stop':
          if (state.panel === null && selectActiveStreamId(state)) {
            event.preventDefault();
            void actions.stopStreaming();
          }
          return;
        case 'editLast':
          // Only from an empty message box, so ↑ keeps moving the caret everywhere else. It opens
          // the last message's edit box: saving it sends the edit as a new branch, as Edit does.
          if (
            event.target instanceof HTMLTextAreaElement &&
            event.target.id === COMPOSER_INPUT_ID &&
            event.target.value === '' &&
            !selectActiveStreamId(state)
          ) {
            const lastUser = [...state.threadMessageIds]
              .reverse()
              .map((id) => state.messagesById[id])
              .find((message) => message?.role === 'user');
            if (lastUser) {
              event.preventDefault();
              state.messageEditToggled(lastUser.id);
            }
          }
          return;
        case 'copyLastReply': {
          event.preventDefault();
          const lastReply = [...state.threadMessageIds]
            .reverse()
            .map((id) => state.messagesById[id])
            .find((message) => message?.role === 'assistant' && message.content);
          if (lastReply)
            void navigator.clipboard.writeText(lastReply.content).catch(() => undefined);
          return;
        }
        case 'help':
          event.preventDefault();
          state.panelOpened('shortcuts');
          return;
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [actions]);
}
