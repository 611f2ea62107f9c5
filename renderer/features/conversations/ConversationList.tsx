import { useMemo } from 'react';
import { useAppActions } from '../../app/appActions';
import { useNow } from '../../app/useNow';
import type { MessageKey } from '../../i18n/locales/en';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/useAppStore';
import { groupConversations, type ConversationGroupKey } from './groupConversations';

const GROUP_LABELS: Record<Exclude<ConversationGroupKey['kind'], 'month'>, MessageKey> = {
  pinned: 'sidebar.group.pinned',
  today: 'sidebar.group.today',
  yesterday: 'sidebar.group.yesterday',
  previous7: 'sidebar.group.previous7',
  previous30: 'sidebar.group.previous30',
};

/** The sidebar: New chat, the conversations grouped by recency, and the settings. */
export function ConversationList() {
  const conversations = useAppStore((state) => state.conversations);
  const selectedId = useAppStore((state) => state.selectedConversationId);
  const panelOpened = useAppStore((state) => state.panelOpened);
  const actions = useAppActions();
  const { t, language } = useT();
  const now = useNow();
  const groups = useMemo(() => groupConversations(conversations, now), [conversations, now]);
  const monthFormat = useMemo(
    () => new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric' }),
    [language],
  );

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
        {groups.map((group) => (
          <li key={group.id} className="conversation-group">
            <h2 className="conversation-group-title">
              {group.key.kind === 'month'
                ? monthFormat.format(new Date(group.key.year, group.key.month, 1))
                : t(GROUP_LABELS[group.key.kind])}
            </h2>
            <ul>
              {group.conversations.map((conversation) => (
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
          </li>
        ))}
      </ul>
      <div className="sidebar-footer">
        <button type="button" onClick={() => panelOpened('settings')}>
          {t('settings.open')}
        </button>
        <button type="button" onClick={() => panelOpened('shortcuts')}>
          {t('shortcuts.open')}
        </button>
      </div>
    </nav>
  );
}
