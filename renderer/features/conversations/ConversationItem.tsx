import { useState } from 'react';
import type { Conversation } from '../../../shared/domain';
import { useAppActions } from '../../actions/appActions';
import { useT } from '../../ui/useT';
import { downloadText } from '../../lib/download';
import { useAppStore } from '../../stores/useAppStore';
import { PinIcon } from './icons';
import { MenuButton, type MenuEntry } from './Menu';
import {
  ARCHIVE_BUTTON_SELECTOR,
  conversationButtonSelector,
  conversationMenuSelector,
  focusSoon,
  refocusIfLost,
  UNDO_SELECTOR,
} from './focus';
import { NameField } from './NameField';
import { useSidebarActions } from './sidebarActions';

/** The drag-and-drop type that carries a conversation id from a row to a folder. */
export const CONVERSATION_DRAG_TYPE = 'application/x-causerie-conversation';

/** One conversation: open it, or rename, pin, file, archive, export and delete it from its menu. */
export function ConversationItem(props: { conversation: Conversation; inFolder: boolean }) {
  const { conversation } = props;
  const selected = useAppStore((state) => state.selectedConversationId === conversation.id);
  const actions = useAppActions();
  const sidebar = useSidebarActions();
  const { t } = useT();
  const [renaming, setRenaming] = useState(false);
  const title = conversation.title || t('conversation.untitled');

  if (renaming) {
    return (
      <div className="conversation-row" data-conversation-id={conversation.id}>
        <NameField
          initial={conversation.title}
          label={t('conversation.renameField')}
          maxLength={200}
          onDone={(next) => {
            setRenaming(false);
            if (next && next !== conversation.title) {
              void actions.renameConversation(conversation.id, next);
            }
            focusSoon(conversationButtonSelector(conversation.id));
          }}
        />
      </div>
    );
  }

  const moveTo = async (folderId: string | null) => {
    await sidebar.moveToFolder(conversation.id, folderId);
    refocusIfLost(conversationMenuSelector(conversation.id));
  };
  const entries = (): MenuEntry[] => {
    const { folders } = useAppStore.getState();
    return [
      { key: 'rename', label: t('conversation.rename'), onSelect: () => setRenaming(true) },
      {
        key: 'pin',
        label: conversation.pinned ? t('conversation.unpin') : t('conversation.pin'),
        onSelect: () => void actions.setPinned(conversation.id, !conversation.pinned),
      },
      {
        key: 'move',
        label: t('conversation.moveToFolder'),
        submenu: [
          {
            key: 'none',
            label: t('conversation.noFolder'),
            checked: conversation.folderId === null,
            onSelect: () => void moveTo(null),
          },
          ...folders.map((folder) => ({
            key: `folder:${folder.id}`,
            label: folder.name,
            checked: conversation.folderId === folder.id,
            onSelect: () => void moveTo(folder.id),
          })),
          {
            key: 'new',
            label: t('conversation.moveToNewFolder'),
            onSelect: () => useAppStore.getState().folderDraftStarted(conversation.id),
          },
        ],
      },
      {
        key: 'archive',
        label: conversation.archived ? t('conversation.unarchive') : t('conversation.archive'),
        onSelect: async () => {
          await sidebar.setArchived(conversation.id, !conversation.archived);
          refocusIfLost(conversation.archived ? ARCHIVE_BUTTON_SELECTOR : UNDO_SELECTOR);
        },
      },
      {
        key: 'markdown',
        label: t('conversation.exportMarkdown'),
        onSelect: async () => {
          const exported = await actions.exportConversationMarkdown({
            conversationId: conversation.id,
          });
          if (exported) downloadText(exported.fileName, exported.markdown, 'text/markdown');
        },
      },
      {
        key: 'json',
        label: t('conversation.exportJson'),
        onSelect: async () => {
          const exported = await actions.exportJson({
            conversationIds: [conversation.id],
          });
          if (exported) downloadText(exported.fileName, exported.json, 'application/json');
        },
      },
      {
        key: 'delete',
        label: t('conversation.delete'),
        danger: true,
        onSelect: async () => {
          await actions.trashConversation(conversation.id);
          refocusIfLost(UNDO_SELECTOR);
        },
      },
    ];
  };

  return (
    <div
      className={`conversation-row${props.inFolder ? ' in-folder' : ''}${
        conversation.archived ? ' archived' : ''
      }`}
      data-conversation-id={conversation.id}
    >
      <button
        type="button"
        className="conversation-item"
        aria-current={selected ? 'page' : undefined}
        draggable
        onDragStart={(event) => {
          event.dataTransfer.setData(CONVERSATION_DRAG_TYPE, conversation.id);
          event.dataTransfer.effectAllowed = 'move';
        }}
        onClick={() => void actions.openConversation(conversation.id)}
        onDoubleClick={() => setRenaming(true)}
        onKeyDown={(event) => {
          if (event.key === 'F2') {
            event.preventDefault();
            setRenaming(true);
          }
        }}
      >
        {conversation.pinned && (props.inFolder || conversation.archived) ? <PinIcon /> : null}
        <span className="conversation-title">{title}</span>
      </button>
      <MenuButton
        label={t('conversation.actions', { title })}
        className="row-menu-button"
        entries={entries}
      >
        ⋯
      </MenuButton>
    </div>
  );
}
