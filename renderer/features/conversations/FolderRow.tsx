import { useState, type DragEvent } from 'react';
import type { Folder } from '../../../shared/domain';
import { useT } from '../../ui/useT';
import { useAppStore } from '../../stores/useAppStore';
import { CONVERSATION_DRAG_TYPE } from './ConversationItem';
import { ChevronIcon, FolderIcon } from './icons';
import { MenuButton, type MenuEntry } from './Menu';
import { focusSoon, folderButtonSelector, NEW_FOLDER_SELECTOR } from './focus';
import { NameField } from './NameField';
import { useSidebarActions } from './sidebarActions';

/** The longest folder name the contract accepts. */
const MAX_FOLDER_NAME = 100;

/**
 * Lets a row accept a conversation dragged from the list: into `folderId`, or out of any
 * folder with null. Dragging is a shortcut only; the conversation menu does the same by keyboard.
 */
export function useConversationDrop(folderId: string | null) {
  const sidebar = useSidebarActions();
  const [over, setOver] = useState(false);
  const accepts = (event: DragEvent) => event.dataTransfer.types.includes(CONVERSATION_DRAG_TYPE);
  return {
    over,
    handlers: {
      onDragOver: (event: DragEvent) => {
        if (!accepts(event)) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'move';
        setOver(true);
      },
      onDragLeave: () => setOver(false),
      onDrop: (event: DragEvent) => {
        setOver(false);
        const conversationId = event.dataTransfer.getData(CONVERSATION_DRAG_TYPE);
        if (!conversationId) return;
        event.preventDefault();
        void sidebar.moveToFolder(conversationId, folderId);
      },
    },
  };
}

/** A folder: fold or unfold it, or rename, export and delete it from its menu. */
export function FolderRow(props: {
  folder: Folder;
  count: number;
  expanded: boolean;
  onDelete: (folder: Folder) => void;
}) {
  const { folder } = props;
  const { t } = useT();
  const sidebar = useSidebarActions();
  const folderToggled = useAppStore((state) => state.folderToggled);
  const [renaming, setRenaming] = useState(false);
  const drop = useConversationDrop(folder.id);

  if (renaming) {
    return (
      <div className="folder-row" data-folder-id={folder.id}>
        <NameField
          initial={folder.name}
          label={t('folder.nameField')}
          maxLength={MAX_FOLDER_NAME}
          onDone={(name) => {
            setRenaming(false);
            if (name && name !== folder.name) void sidebar.renameFolder(folder.id, name);
            focusSoon(folderButtonSelector(folder.id));
          }}
        />
      </div>
    );
  }

  const entries = (): MenuEntry[] => [
    {
      key: 'new-chat',
      label: t('folder.newChat'),
      onSelect: () => void sidebar.newChatInFolder(folder.id),
    },
    { key: 'rename', label: t('folder.rename'), onSelect: () => setRenaming(true) },
    {
      key: 'export',
      label: t('folder.exportJson'),
      onSelect: () => void sidebar.exportFolder(folder.id),
    },
    {
      key: 'delete',
      label: t('folder.delete'),
      danger: true,
      onSelect: () => props.onDelete(folder),
    },
  ];

  return (
    <div
      className={`folder-row${drop.over ? ' drop-target' : ''}`}
      data-folder-id={folder.id}
      {...drop.handlers}
    >
      <button
        type="button"
        className="folder-toggle"
        aria-expanded={props.expanded}
        aria-label={t('folder.toggle', { name: folder.name, count: props.count })}
        onClick={() => folderToggled(folder.id)}
        onDoubleClick={() => setRenaming(true)}
        onKeyDown={(event) => {
          if (event.key === 'F2') {
            event.preventDefault();
            setRenaming(true);
          }
          // ← folds and → unfolds, as in a file tree.
          if (event.key === (props.expanded ? 'ArrowLeft' : 'ArrowRight')) {
            event.preventDefault();
            folderToggled(folder.id);
          }
        }}
      >
        <ChevronIcon />
        <FolderIcon />
        <span className="folder-name">{folder.name}</span>
        <span className="count-badge" aria-hidden="true">
          {props.count}
        </span>
      </button>
      <MenuButton
        label={t('folder.actions', { name: folder.name })}
        className="row-menu-button"
        entries={entries}
      >
        ⋯
      </MenuButton>
    </div>
  );
}

/** The name field of a folder being created; a conversation may be waiting to go in it. */
export function FolderDraftRow() {
  const { t } = useT();
  const sidebar = useSidebarActions();
  const draft = useAppStore((state) => state.folderDraft);
  const ended = useAppStore((state) => state.folderDraftEnded);
  return (
    <div className="folder-row folder-draft">
      <FolderIcon />
      <NameField
        initial=""
        label={t('folder.nameField')}
        placeholder={t('folder.new')}
        maxLength={MAX_FOLDER_NAME}
        onDone={async (name) => {
          ended();
          const folder = name
            ? await sidebar.createFolder(name, draft?.moveConversationId ?? null)
            : null;
          focusSoon(folder ? folderButtonSelector(folder.id) : NEW_FOLDER_SELECTOR);
        }}
      />
    </div>
  );
}
