import { useAppStore } from '../stores/useAppStore';

/** Banners: how to add a key, a lost connection, the last error. */
export function Notices() {
  const settings = useAppStore((state) => state.settings);
  const connection = useAppStore((state) => state.connection);
  const notice = useAppStore((state) => state.notice);
  const errorReported = useAppStore((state) => state.errorReported);
  return (
    <div className="notices">
      {settings && !settings.mistral.keyConfigured ? (
        <p className="notice notice-info" role="status">
          No Mistral API key is set. Get one at console.mistral.ai, then start Causerie with the
          MISTRAL_API_KEY environment variable set. Your messages are saved either way.
        </p>
      ) : null}
      {connection === 'closed' ? (
        <p className="notice notice-warning" role="status">
          Lost contact with the Causerie back end. Reconnecting…
        </p>
      ) : null}
      {notice ? (
        <p className="notice notice-error" role="alert">
          {notice.message}
          <button type="button" className="notice-dismiss" onClick={() => errorReported(null)}>
            Dismiss
          </button>
        </p>
      ) : null}
    </div>
  );
}
