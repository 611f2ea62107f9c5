import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Folder } from '../../../shared/domain';
import { useAppActions } from '../../actions/appActions';
import type { SidebarListKey } from '../../stores/sidebarLists';
import { useNow } from '../../ui/useNow';
import type { MessageKey } from '../../i18n/locales/en';
import { useT } from '../../ui/useT';
import { useAppStore } from '../../stores/useAppStore';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ConversationItem } from './ConversationItem';
import { FolderDraftRow, FolderRow, useConversationDrop } from './FolderRow';
import type { ConversationGroup, ConversationGroupKey } from './groupConversations';
import { ArchiveIcon, PlusIcon } from './icons';
import { ARCHIVE_BUTTON_SELECTOR, focusSoon, NEW_FOLDER_SELECTOR } from './focus';
import { buildSidebarRows, countArchived, countFiled, type SidebarRow } from './sidebarRows';
import { useSidebarActions } from './sidebarActions';

const GROUP_LABELS: Record<Exclude<ConversationGroupKey['kind'], 'month'>, MessageKey> = {
  pinned: 'sidebar.group.pinned',
  today: 'sidebar.group.today',
  yesterday: 'sidebar.group.yesterday',
  previous7: 'sidebar.group.previous7',
  previous30: 'sidebar.group.previous30',
};

/** What the folder-delete prompt says, by how many conversations the folder holds. */
function deleteFolderMessage(count: number): { key: MessageKey; count: number } {
  if (count === 0) return { key: 'folder.deleteMessageEmpty', count };
  return { key: count === 1 ? 'folder.deleteMessageOne' : 'folder.deleteMessageMany', count };
}

/**
 * The sidebar's list, virtualized: folders, recency groups and the Archived section are all rows
 * of one list, so with 10,000 conversations only the rows in view exist in the DOM.
 */
export function SidebarList() {
  const { t, language } = useT();
  const now = useNow();
  const sidebar = useSidebarActions();
  const actions = useAppActions();
  const { conversations, folders, collapsedFolderIds, view, drafting, pages, counts, stale } =
    useAppStore(
      useShallow((state) => ({
        conversations: state.conversations,
        folders: state.folders,
        collapsedFolderIds: state.collapsedFolderIds,
        view: state.sidebarView,
        drafting: state.folderDraft !== null,
        pages: state.sidebarPages,
        counts: state.sidebarCounts,
        stale: state.sidebarCountsStale,
      })),
    );
  // A conversation changed list (archived, filed, trashed, created): the counts are reread.
  useEffect(() => {
    if (stale > 0) void actions.refreshSidebarCounts();
  }, [stale, actions]);
  const rows = useMemo(
    () =>
      buildSidebarRows(
        conversations,
        folders,
        { view, collapsedFolderIds, folderDraft: drafting, paging: { pages, counts } },
        now,
      ),
    [conversations, folders, collapsedFolderIds, view, drafting, pages, counts, now],
  );
  const monthFormat = useMemo(
    () => new Intl.DateTimeFormat(language, { month: 'long', year: 'numeric' }),
    [language],
  );
  const groupTitle = (group: ConversationGroup) =>
    group.key.kind === 'month'
      ? monthFormat.format(new Date(group.key.year, group.key.month, 1))
      : t(GROUP_LABELS[group.key.kind]);

  const [deleting, setDeleting] = useState<Folder | null>(null);

  const scroller = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; rows read the virtualizer on every render
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: (index) => (rows[index]?.kind === 'header' ? 34 : 36),
    overscan: 10,
    getItemKey: (index) => rows[index]?.id ?? index,
  });

  // A folder name field may be asked for from far down the list: bring it into view (and so
  // into the DOM, where it takes focus). Switching between the list and the archive starts at
  // the top too.
  useEffect(() => {
    if (drafting) virtualizer.scrollToIndex(0);
  }, [drafting, virtualizer]);
  useEffect(() => {
    virtualizer.scrollToOffset(0);
  }, [view, virtualizer]);

  const deletePrompt = deleting
    ? deleteFolderMessage(
        counts?.folders[deleting.id]?.filed ?? countFiled(conversations, deleting.id),
      )
    : null;

  return (
    <div className="conversation-scroller" ref={scroller}>
      <ul
        className="conversation-list"
        aria-label={t('sidebar.conversations')}
        style={{ height: virtualizer.getTotalSize(), position: 'relative' }}
      >
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          if (!row) return null;
          return (
            <li
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              className="virtual-row"
              style={{ transform: `translateY(${item.start}px)` }}
            >
              <Row row={row} groupTitle={groupTitle} onDeleteFolder={setDeleting} />
            </li>
          );
        })}
      </ul>
      {counts?.live === 0 && conversations.length === 0 && view === 'conversations' ? (
        <p className="sidebar-empty">{t('sidebar.empty')}</p>
      ) : null}
      {deleting && deletePrompt ? (
        <ConfirmDialog
          title={t('folder.deleteTitle', { name: deleting.name })}
          message={t(deletePrompt.key, { count: deletePrompt.count })}
          confirmLabel={t('folder.delete')}
          cancelLabel={t('sidebar.cancel')}
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            setDeleting(null);
            void sidebar.deleteFolder(deleting.id);
            focusSoon(NEW_FOLDER_SELECTOR);
          }}
        />
      ) : null}
    </div>
  );
}

function Row(props: {
  row: SidebarRow;
  groupTitle: (group: ConversationGroup) => string;
  onDeleteFolder: (folder: Folder) => void;
}) {
  const { row } = props;
  switch (row.kind) {
    case 'folders-title':
      return <FoldersTitle />;
    case 'folder-draft':
      return <FolderDraftRow />;
    case 'folder':
      return (
        <FolderRow
          folder={row.folder}
          count={row.count}
          expanded={row.expanded}
          onDelete={props.onDeleteFolder}
        />
      );
    case 'folder-empty':
      return <EmptyFolder />;
    case 'header':
      return <GroupTitle title={props.groupTitle(row.group)} />;
    case 'conversation':
      return <ConversationItem conversation={row.conversation} inFolder={row.inFolder} />;
    case 'archive-title':
      return <ArchiveTitle />;
    case 'archive-empty':
      return <ArchiveEmpty />;
    case 'more':
      return <MoreRow list={row.list} loaded={row.loaded} />;
  }
}

/**
 * The end of what is loaded of a list. The list is virtualized, so this row exists only once it
 * nears the viewport (within the overscan): that is when the next page is asked for, and again
 * after each page while it stays that near.
 */
function MoreRow(props: { list: SidebarListKey; loaded: number }) {
  const { t } = useT();
  const actions = useAppActions();
  const { list, loaded } = props;
  useEffect(() => {
    void actions.loadSidebarPage(list);
  }, [actions, list, loaded]);
  return <p className="folder-empty sidebar-more">{t('sidebar.loadingMore')}</p>;
}

function FoldersTitle() {
  const { t } = useT();
  const started = useAppStore((state) => state.folderDraftStarted);
  return (
    <div className="section-title-row">
      <h2 className="conversation-group-title">{t('sidebar.folders')}</h2>
      <button
        type="button"
        className="new-folder-button"
        title={t('folder.new')}
        aria-label={t('folder.new')}
        onClick={() => started(null)}
      >
        <PlusIcon />
      </button>
    </div>
  );
}

function EmptyFolder() {
  const { t } = useT();
  return <p className="folder-empty">{t('folder.empty')}</p>;
}

/** A recency heading; dropping a conversation on it takes the conversation out of its folder. */
function GroupTitle(props: { title: string }) {
  const drop = useConversationDrop(null);
  return (
    <h2 className={`conversation-group-title${drop.over ? ' drop-target' : ''}`} {...drop.handlers}>
      {props.title}
    </h2>
  );
}

/** Heads the archive view, with the way back to the conversations. */
function ArchiveTitle() {
  const { t } = useT();
  const chosen = useAppStore((state) => state.sidebarViewChosen);
  return (
    <div className="section-title-row">
      <h2 className="conversation-group-title">{t('sidebar.archived')}</h2>
      <button
        type="button"
        className="link-button back-to-list"
        onClick={() => {
          chosen('conversations');
          focusSoon(ARCHIVE_BUTTON_SELECTOR);
        }}
      >
        {t('sidebar.backToConversations')}
      </button>
    </div>
  );
}

function ArchiveEmpty() {
  const { t } = useT();
  return <p className="folder-empty archive-empty">{t('sidebar.archiveEmpty')}</p>;
}

/** Switches the sidebar between the conversations and the archive; shown while there is one. */
export function ArchiveButton() {
  const { t } = useT();
  const count = useAppStore(
    (state) => state.sidebarCounts?.archived ?? countArchived(state.conversations),
  );
  const view = useAppStore((state) => state.sidebarView);
  const chosen = useAppStore((state) => state.sidebarViewChosen);
  if (count === 0 && view !== 'archive') return null;
  return (
    <button
      type="button"
      className="archive-button"
      aria-pressed={view === 'archive'}
      aria-label={t('sidebar.archivedToggle', { count })}
      onClick={() => chosen(view === 'archive' ? 'conversations' : 'archive')}
    >
      <ArchiveIcon />
      <span>{t('sidebar.archived')}</span>
      <span className="count-badge" aria-hidden="true">
        {count}
      </span>
    </button>
  );
}
