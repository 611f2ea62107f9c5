import { useCallback } from 'react';
import type { Conversation } from '../../../shared/domain';
import { Dialog } from '../../ui/Dialog';
import { useAppActions } from '../../actions/appActions';
import { useLoaded } from '../../ui/useLoaded';
import { useT } from '../../ui/useT';

/** Deleted conversations: restore one, or empty the trash. They go for good after 30 days. */
export function TrashPanel({ onClose }: { onClose: () => void }) {
  const actions = useAppActions();
  const { t } = useT();
  const load = useCallback(
    async (): Promise<Conversation[]> => (await actions.listTrash({}))?.conversations ?? [],
    [actions],
  );
  const [items, reload] = useLoaded(load);

  return (
    <Dialog title={t('trash.title')} onClose={onClose}>
      <p className="muted">{t('trash.retention')}</p>
      {items && items.length === 0 ? <p>{t('trash.empty')}</p> : null}
      <ul className="trash-list" aria-label={t('trash.title')}>
        {(items ?? []).map((conversation) => (
          <li key={conversation.id}>
            <span>{conversation.title || t('conversation.untitled')}</span>
            <button
              type="button"
              onClick={async () => {
                await actions.restoreConversation(conversation.id);
                await reload();
              }}
            >
              {t('trash.restore')}
            </button>
          </li>
        ))}
      </ul>
      {items && items.length > 0 ? (
        <button
          type="button"
          className="danger"
          onClick={async () => {
            await actions.emptyTrash({});
            await reload();
          }}
        >
          {t('trash.emptyNow')}
        </button>
      ) : null}
    </Dialog>
  );
}
