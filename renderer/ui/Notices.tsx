import { useT } from './useT';
import { useAppStore } from '../stores/useAppStore';

/** Banners: how to add a key, a lost connection, the last error. */
export function Notices() {
  const settings = useAppStore((state) => state.settings);
  const connection = useAppStore((state) => state.connection);
  const notice = useAppStore((state) => state.notice);
  const errorReported = useAppStore((state) => state.errorReported);
  const { t, tError } = useT();
  const runtime = useAppStore((state) => state.localRuntime);
  // Only where it matters: the open conversation talks to Mistral's cloud.
  const usesMistral = useAppStore(
    (state) =>
      state.conversations.find((c) => c.id === state.threadConversationId)?.model.provider ===
      'mistral',
  );
  return (
    <div className="notices">
      {settings && !settings.mistral.keyConfigured && usesMistral ? (
        <p className="notice notice-info" role="status">
          {t('notice.noKey')}
        </p>
      ) : null}
      {settings?.storeRecovery ? (
        <p className="notice notice-error" role="alert">
          {t('notice.storeRecovered', { path: settings.storeRecovery.movedTo })}
        </p>
      ) : null}
      {runtime?.state === 'loading' ? (
        <p className="notice notice-info" role="status">
          {t('local.loading', { percent: Math.round(runtime.progress * 100) })}
        </p>
      ) : null}
      {connection === 'unauthorized' ? (
        <p className="notice notice-error" role="alert">
          {t('notice.unauthorized')}
        </p>
      ) : null}
      {connection === 'closed' ? (
        <p className="notice notice-warning" role="status">
          {t('notice.disconnected')}
        </p>
      ) : null}
      {/* Without the token every call fails; the one notice that helps is the one above. */}
      {notice && connection !== 'unauthorized' ? (
        <p className="notice notice-error" role="alert">
          <span title={notice.message}>{tError(notice)}</span>
          <button type="button" className="notice-dismiss" onClick={() => errorReported(null)}>
            {t('notice.dismiss')}
          </button>
        </p>
      ) : null}
    </div>
  );
}
