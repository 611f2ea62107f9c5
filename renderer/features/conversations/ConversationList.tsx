import { useAppActions } from '../../app/appActions';
import { useAppStore } from '../../stores/useAppStore';

/** The sidebar: New chat, then every conversation, most recent first. */
export function ConversationList() {
  const conversations = useAppStore((state) => state.conversations);
  const selectedId = useAppStore((state) => state.selectedConversationId);
  const actions = useAppActions();

  return (
    <nav className="sidebar" aria-label="Sidebar">
      <div className="sidebar-header">
        <span className="brand">Causerie</span>
        <button type="button" className="new-chat" onClick={() => void actions.newChat()}>
          New chat
        </button>
      </div>
      {conversations.length === 0 ? <p className="sidebar-empty">No conversations yet.</p> : null}
      <ul className="conversation-list" aria-label="Conversations">
        {conversations.map((conversation) => (
          <li key={conversation.id}>
            <button
              type="button"
              className="conversation-item"
              aria-current={conversation.id === selectedId ? 'page' : undefined}
              onClick={() => void actions.openConversation(conversation.id)}
            >
              {conversation.title || 'New chat'}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
