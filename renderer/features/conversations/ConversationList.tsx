import { useEffect, useMemo, useState } from 'react';
import { useAppActions } from '../../actions/appActions';
import { SEARCH_INPUT_ID } from '../../ui/elementIds';
import { useT } from '../../ui/useT';
import { useAppStore } from '../../stores/useAppStore';
import { focusFirstHit, SearchResults } from './search/SearchResults';
import { NO_FILTERS, toFilterInput, type SearchFilters } from './search/searchFilters';
import { ArchiveButton, SidebarList } from './SidebarList';
import { useSidebarActions } from './sidebarActions';

/** Waits this long after the last keystroke before searching. */
const SEARCH_DEBOUNCE_MS = 150;

/** The sidebar: New chat, search, folders and conversations, settings and trash. */
export function ConversationList() {
  const panelOpened = useAppStore((state) => state.panelOpened);
  const searchQuery = useAppStore((state) => state.searchQuery);
  const searching = useAppStore((state) => state.searchHits !== null);
  const actions = useAppActions();
  const { t } = useT();
  const [typed, setTyped] = useState(searchQuery);
  const [chosenFilters, setFilters] = useState<SearchFilters>(NO_FILTERS);
  // A folder deleted while it scoped the search no longer narrows anything.
  const scopeFolderId = chosenFilters.scope.kind === 'folder' ? chosenFilters.scope.id : null;
  const scopeGone = useAppStore(
    (state) =>
      scopeFolderId !== null && !state.folders.some((folder) => folder.id === scopeFolderId),
  );
  const filters = useMemo<SearchFilters>(
    () => (scopeGone ? { ...chosenFilters, scope: { kind: 'all' } } : chosenFilters),
    [chosenFilters, scopeGone],
  );
  useEffect(() => {
    const timer = setTimeout(
      () => void actions.search(typed, toFilterInput(filters, Date.now())),
      SEARCH_DEBOUNCE_MS,
    );
    return () => clearTimeout(timer);
  }, [typed, filters, actions]);

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
            if (event.key === 'ArrowDown' && searching && focusFirstHit()) event.preventDefault();
          }}
        />
      </div>
      {searching ? (
        <SearchResults filters={filters} onFiltersChange={setFilters} />
      ) : (
        <SidebarList />
      )}
      <UndoBars />
      <div className="sidebar-footer">
        <ArchiveButton />
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

/** After a delete or an archive: "… — Undo", for a few seconds. */
function UndoBars() {
  const trashed = useAppStore((state) => state.undoableTrash);
  const trashOffered = useAppStore((state) => state.trashUndoOffered);
  const archived = useAppStore((state) => state.undoableArchive);
  const archiveOffered = useAppStore((state) => state.archiveUndoOffered);
  const actions = useAppActions();
  const sidebar = useSidebarActions();
  const { t } = useT();
  useEffect(() => {
    if (!trashed) return;
    const timer = setTimeout(() => trashOffered(null), 8_000);
    return () => clearTimeout(timer);
  }, [trashed, trashOffered]);
  useEffect(() => {
    if (!archived) return;
    const timer = setTimeout(() => archiveOffered(null), 8_000);
    return () => clearTimeout(timer);
  }, [archived, archiveOffered]);
  return (
    <>
      {trashed ? (
        <div className="undo-bar" role="status">
          <span>
            {t('conversation.deleted', { title: trashed.title || t('conversation.untitled') })}
          </span>
          <button type="button" onClick={() => void actions.restoreConversation(trashed.id)}>
            {t('conversation.undo')}
          </button>
        </div>
      ) : null}
      {archived ? (
        <div className="undo-bar" role="status">
          <span>
            {t('conversation.archivedNotice', {
              title: archived.title || t('conversation.untitled'),
            })}
          </span>
          <button type="button" onClick={() => void sidebar.setArchived(archived.id, false)}>
            {t('conversation.undo')}
          </button>
        </div>
      ) : null}
    </>
  );
}
