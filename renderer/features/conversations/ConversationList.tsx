import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { Conversation } from '../../../shared/domain';
import { useAppActions } from '../../app/appActions';
import { useNow } from '../../app/useNow';
import { SEARCH_INPUT_ID } from '../../app/useShortcuts';
import type { MessageKey } from '../../i18n/locales/en';
import { useT } from '../../i18n/useT';
import { downloadText } from '../../lib/download';
import { useAppStore } from '../../stores/useAppStore';
import { SearchResults } from '../search/SearchResults';
import {
  flattenGroups,
  groupConversations,
  type ConversationGroup,
  type ConversationGroupKey,
  type SidebarRow,
} from './groupConversations';

const GROUP_LABELS: Record<Exclude<ConversationGroupKey['kind'], 'month'>, MessageKey> = {
  pinned: 'sidebar.group.pinned',
  today: 'sidebar.group.today',
  yesterday: 'sidebar.group.yesterday',
  previous7: 'sidebar.group.previous7',
  previous30: 'sidebar.group.previous30',
};

/** Waits this long after the last keystroke before searching. */
const SEARCH_DEBOUNCE_MS = 150;

/** The sidebar: New chat, search, the conversations grouped by recency, settings and trash. */
export function ConversationList() {
  const conversations = useAppStore((state) => state.conversations);
  const panelOpened = useAppStore((state) => state.panelOpened);
  const searchQuery = useAppStore((state) => state.searchQuery);
  const searching = useAppStore((state) => state.searchHits !== null);
  const actions = useAppActions();
  const { t, language } = useT();
  const now = useNow();
  const groups = useMemo(() => groupConversations(conversations, now), [conversations, now]);
  const rows = useMemo(() => flattenGroups(groups), [groups]);
  const monthFormat = useMemo(
    () => new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric' }),
    [language],
  );
  const [typed, setTyped] = useState(searchQuery);
  useEffect(() => {
    const timer = setTimeout(() => void actions.search(typed), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [typed, actions]);

  return (
    <nav className="sidebar" aria-label={t('sidebar.label')}>
      <div className="sidebar-header">
        <span className="brand">{t('app.name')}</span>
        <button type="button" className="new-chat" onClick={() => void actions.newChat()}>
          {t('sidebar.newChat')}
        </button>
      </div>
      <div className="sidebar-search">
        <input
          id={SEARCH_INPUT_ID}
          type="search"
          aria-label={t('search.label')}
          placeholder={t('search.placeholder')}
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && typed) {
              event.stopPropagation();
              setTyped('');
            }
          }}
        />
      </div>
      {searching ? (
        <SearchResults />
      ) : (
        <>
          {conversations.length === 0 ? (
            <p className="sidebar-empty">{t('sidebar.empty')}</p>
          ) : null}
          <VirtualConversationList
            rows={rows}
            label={t('sidebar.conversations')}
            renderHeader={(group) =>
              group.key.kind === 'month'
                ? monthFormat.format(new Date(group.key.year, group.key.month, 1))
                : t(GROUP_LABELS[group.key.kind])
            }
          />
        </>
      )}
      <UndoTrash />
      <div className="sidebar-footer">
        <button type="button" onClick={() => panelOpened('settings')}>
          {t('settings.open')}
        </button>
        <button type="button" onClick={() => panelOpened('trash')}>
          {t('trash.open')}
        </button>
        <button type="button" onClick={() => panelOpened('shortcuts')}>
          {t('shortcuts.open')}
        </button>
      </div>
    </nav>
  );
}

/** One conversation: open it, or rename, pin and delete it from its menu. */
function ConversationItem({ conversation }: { conversation: Conversation }) {
  const selected = useAppStore((state) => state.selectedConversationId === conversation.id);
  const actions = useAppActions();
  const { t } = useT();
  const [menuOpen, setMenuOpen] = useState(false);
  const [renaming, setRenaming] = useState(false);
  const title = conversation.title || t('conversation.untitled');

  if (renaming) {
    return (
      <div>
        <RenameField
          initial={conversation.title}
          label={t('conversation.renameField')}
          onDone={(next) => {
            setRenaming(false);
            if (next && next !== conversation.title) {
              void actions.renameConversation(conversation.id, next);
            }
          }}
        />
      </div>
    );
  }
  return (
    <div className="conversation-row">
      <button
        type="button"
        className="conversation-item"
        aria-current={selected ? 'page' : undefined}
        onClick={() => void actions.openConversation(conversation.id)}
        onDoubleClick={() => setRenaming(true)}
      >
        {title}
      </button>
      <button
        type="button"
        className="conversation-menu-button"
        aria-label={t('conversation.actions', { title })}
        aria-expanded={menuOpen}
        onClick={() => setMenuOpen((open) => !open)}
      >
        ⋯
      </button>
      {menuOpen ? (
        <div className="conversation-menu" role="menu" onMouseLeave={() => setMenuOpen(false)}>
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setMenuOpen(false);
              setRenaming(true);
            }}
          >
            {t('conversation.rename')}
          </button>
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setMenuOpen(false);
              void actions.setPinned(conversation.id, !conversation.pinned);
            }}
          >
            {conversation.pinned ? t('conversation.unpin') : t('conversation.pin')}
          </button>
          <button
            type="button"
            role="menuitem"
            onClick={async () => {
              setMenuOpen(false);
              const exported = await actions.call('export.markdown', {
                conversationId: conversation.id,
              });
              if (exported) downloadText(exported.fileName, exported.markdown, 'text/markdown');
            }}
          >
            {t('conversation.exportMarkdown')}
          </button>
          <button
            type="button"
            role="menuitem"
            onClick={async () => {
              setMenuOpen(false);
              const exported = await actions.call('export.json', {
                conversationIds: [conversation.id],
              });
              if (exported) downloadText(exported.fileName, exported.json, 'application/json');
            }}
          >
            {t('conversation.exportJson')}
          </button>
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setMenuOpen(false);
              void actions.trashConversation(conversation.id);
            }}
          >
            {t('conversation.delete')}
          </button>
        </div>
      ) : null}
    </div>
  );
}

function RenameField(props: { initial: string; label: string; onDone: (title: string) => void }) {
  const [value, setValue] = useState(props.initial);
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    input.current?.focus();
    input.current?.select();
  }, []);
  return (
    <input
      ref={input}
      className="rename-field"
      aria-label={props.label}
      value={value}
      onChange={(event) => setValue(event.target.value)}
      onBlur={() => props.onDone(value.trim())}
      onKeyDown={(event) => {
        if (event.key === 'Enter') props.onDone(value.trim());
        if (event.key === 'Escape') {
          event.stopPropagation();
          props.onDone(props.initial);
        }
      }}
    />
  );
}

/** After a delete: "Deleted — Undo", for a few seconds. */
function UndoTrash() {
  const conversation = useAppStore((state) => state.undoableTrash);
  const offered = useAppStore((state) => state.trashUndoOffered);
  const actions = useAppActions();
  const { t } = useT();
  useEffect(() => {
    if (!conversation) return;
    const timer = setTimeout(() => offered(null), 8_000);
    return () => clearTimeout(timer);
  }, [conversation, offered]);
  if (!conversation) return null;
  return (
    <div className="undo-bar" role="status">
      <span>
        {t('conversation.deleted', { title: conversation.title || t('conversation.untitled') })}
      </span>
      <button type="button" onClick={() => void actions.restoreConversation(conversation.id)}>
        {t('conversation.undo')}
      </button>
    </div>
  );
}

/**
 * The conversation list, virtualized: with 10,000 conversations only the rows in view exist in
 * the DOM. Group headers are rows too, so the grouping scrolls with the list.
 */
function VirtualConversationList(props: {
  rows: SidebarRow[];
  label: string;
  renderHeader: (group: ConversationGroup) => string;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; rows read the virtualizer on every render
  const virtualizer = useVirtualizer({
    count: props.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (props.rows[index]?.kind === 'header' ? 34 : 36),
    overscan: 10,
    getItemKey: (index) => props.rows[index]?.id ?? index,
  });
  return (
    <div className="conversation-scroller" ref={scroller}>
      <ul
        className="conversation-list"
        aria-label={props.label}
        style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
      >
        {virtualizer.getVirtualItems().map((item) => {
          const row = props.rows[item.index];
          if (!row) return null;
          return (
            <li
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="virtual-row"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              {row.kind === 'header' ? (
                <h2 className="conversation-group-title">{props.renderHeader(row.group)}</h2>
              ) : (
                <ConversationItem conversation={row.conversation} />
              )}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
