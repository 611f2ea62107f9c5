import { useEffect } from 'react';
import { Composer } from '../features/composer/Composer';
import { ConversationList } from '../features/conversations/ConversationList';
import { Thread } from '../features/thread/Thread';
import { useAppActions } from './appActions';
import { Notices } from './Notices';

/** The window: sidebar on the left, the thread and composer on the right. */
export function App() {
  const actions = useAppActions();
  useEffect(() => actions.start(), [actions]);
  return (
    <div className="app">
      <ConversationList />
      <main className="main">
        <Notices />
        <Thread />
        <Composer />
      </main>
    </div>
  );
}
