import { useAppActions } from '../../app/appActions';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/useAppStore';

/** The sidebar: New chat, then every conversation, most recent first. */
export function ConversationList() {
  const conversations = useAppStore((state) => state.conversations);
  const selectedId = useAppStore((state) => state.selectedConversationId);
  const actions = useAppActions();
  const { t } = useT();

  return (
    <nav className="sidebar" aria-label={t('sidebar.label')}>
      <div className="sidebar-header">
        <span className="brand">{t('app.name')}</span>
        <button type="button" className="new-chat" onClick={() => void actions.newChat()}>
          {t('sidebar.newChat')}
        </button>
      </div>
      {conversations.length === 0 ? <p className="sidebar-empty">{t('sidebar.empty')}</p> : null}
      <ul className="conversation-list" aria-label={t('sidebar.conversations')}>
        {conversations.map((conversation) => (
          <li key={conversation.id}>
            <button
              type="button"
              className="conversation-item"
              aria-current={conversation.id === selectedId ? 'page' : undefined}
              onClick={() => void actions.openConversation(conversation.id)}
            >
              {conversation.title || t('conversation.untitled')}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
