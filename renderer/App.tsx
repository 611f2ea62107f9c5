import { useEffect } from 'react';
import { Composer } from './features/composer/Composer';
import { ConversationList } from './features/conversations/ConversationList';
import { SettingsPanel } from './features/settings/SettingsPanel';
import { ShortcutsPanel } from './features/shortcuts/ShortcutsPanel';
import { TrashPanel } from './features/trash/TrashPanel';
import { Thread } from './features/thread/Thread';
import { useAppStore } from './stores/useAppStore';
import { useAppActions } from './actions/appActions';
import { Notices } from './ui/Notices';
import { useShortcuts } from './features/shortcuts/useShortcuts';

/** The window: sidebar on the left, the thread and composer on the right. */
export function App() {
  const actions = useAppActions();
  const theme = useAppStore((state) => state.theme);
  const uiLanguage = useAppStore((state) => state.uiLanguage);
  const panel = useAppStore((state) => state.panel);
  const panelOpened = useAppStore((state) => state.panelOpened);
  useEffect(() => actions.start(), [actions]);
  useShortcuts(actions);
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    document.documentElement.lang = uiLanguage;
  }, [uiLanguage]);

  const close = () => panelOpened(null);
  return (
    <div className="app">
      <ConversationList />
      <main className="main">
        <Notices />
        <Thread />
        <Composer />
      </main>
      {panel === 'settings' ? <SettingsPanel onClose={close} /> : null}
      {panel === 'shortcuts' ? <ShortcutsPanel onClose={close} /> : null}
      {panel === 'trash' ? <TrashPanel onClose={close} /> : null}
    </div>
  );
}
