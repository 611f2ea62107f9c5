import { useCallback, useState } from 'react';
import { MAX_MODEL_UPLOAD_BYTES } from '../../../shared/hostProtocol';
import { useAppActions } from '../../actions/appActions';
import { useLoaded } from '../../ui/useLoaded';
import { useT } from '../../ui/useT';
import { hostUploadsAvailable, uploadToHost } from '../../lib/hostUpload';
import { useAppStore } from '../../stores/useAppStore';

/** Bytes as people read them, in the interface language. */
export function formatSize(bytes: number, language: string): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value)} ${units[unit]}`;
}

/** Local models: what can be downloaded (size, licence, whether it fits), what is on disk. */
export function LocalModelsSection() {
  const { t, language } = useT();
  const actions = useAppActions();
  const downloads = useAppStore((state) => state.downloads);
  const load = useCallback(async () => actions.localStatus({}), [actions]);
  const [status, reload] = useLoaded(load);
  const [importing, setImporting] = useState<string | null>(null);

  return (
    <section className="settings-section">
      <h3>{t('local.title')}</h3>
      {status ? (
        <p className="muted">
          {t('local.hardware', {
            memory: formatSize(status.hardware.totalMemoryBytes, language),
            cores: status.hardware.cpuCount,
          })}
        </p>
      ) : null}
      <ul className="endpoint-list" aria-label={t('local.catalogue')}>
        {(status?.catalogue ?? []).map((item) => {
          const progress = downloads[item.id];
          const active = progress?.status === 'downloading' || item.downloading;
          return (
            <li key={item.id}>
              <span>
                <strong>{item.name}</strong>{' '}
                <span className="muted">
                  {t('local.entry', {
                    size: formatSize(item.sizeBytes, language),
                    licence: item.licence,
                    context: item.contextLength,
                  })}
                </span>
                {item.verified ? null : (
                  <span className="muted" title={t('local.unverifiedHint')}>
                    {' '}
                    · {t('local.unverified')}
                  </span>
                )}
                {item.fitMessage ? <span className="message-error"> {item.fitMessage}</span> : null}
              </span>
              {item.downloaded || progress?.status === 'complete' ? (
                <span className="muted">{t('local.downloaded')}</span>
              ) : active ? (
                <span className="button-row">
                  <button
                    type="button"
                    onClick={() => void actions.pauseLocalDownload({ catalogueId: item.id })}
                  >
                    {t('local.pause')}
                  </button>
                  <button
                    type="button"
                    onClick={async () => {
                      await actions.cancelLocalDownload({ catalogueId: item.id });
                      await reload();
                    }}
                  >
                    {t('local.cancel')}
                  </button>
                </span>
              ) : (
                <button
                  type="button"
                  onClick={() => void actions.downloadLocalModel({ catalogueId: item.id })}
                >
                  {item.partialBytes ? t('local.resume') : t('local.download', { name: item.name })}
                </button>
              )}
              {progress && progress.status === 'downloading' ? (
                <DownloadBar progress={progress} language={language} />
              ) : null}
              {progress?.status === 'error' && progress.error ? (
                <span className="message-error" role="alert">
                  {progress.error.message}
                </span>
              ) : null}
            </li>
          );
        })}
      </ul>
      <h4>{t('local.onDisk')}</h4>
      <ul className="endpoint-list" aria-label={t('local.onDisk')}>
        {(status?.models ?? []).map((model) => (
          <li key={model.fileName}>
            <span>
              <strong>{model.fileName}</strong>{' '}
              <span className="muted">
                {formatSize(model.sizeBytes, language)}
                {model.architecture ? ` · ${model.architecture}` : ''}
                {model.contextLength
                  ? ` · ${t('local.context', { tokens: model.contextLength })}`
                  : ''}
              </span>
              {model.error ? <span className="message-error"> {model.error}</span> : null}
            </span>
            <button
              type="button"
              onClick={async () => {
                await actions.deleteLocalModel({ fileName: model.fileName });
                await reload();
              }}
            >
              {t('local.delete', { name: model.fileName })}
            </button>
          </li>
        ))}
      </ul>
      {hostUploadsAvailable() ? (
        <label className="file-button">
          {t('local.import')}
          <input
            type="file"
            accept=".gguf"
            onChange={async (event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (!file) return;
              setImporting(t('local.importing', { name: file.name }));
              const result = await uploadToHost<{ fileName: string }>(
                `/upload/model?name=${encodeURIComponent(file.name)}`,
                file,
              );
              if (result.ok) {
                setImporting(t('local.imported', { name: result.value.fileName }));
                await reload();
                await actions.loadCatalog(true);
              } else if (result.status === 'tooLarge') {
                setImporting(
                  t('local.importTooLarge', {
                    name: file.name,
                    size: formatSize(MAX_MODEL_UPLOAD_BYTES, language),
                  }),
                );
              } else if (result.status === 'unauthorized') {
                setImporting(t('notice.unauthorized'));
              } else {
                setImporting(null);
                useAppStore.getState().errorReported(result.error);
              }
            }}
          />
        </label>
      ) : null}
      {importing ? (
        <p className="muted" role="status">
          {importing}
        </p>
      ) : null}
    </section>
  );
}

function DownloadBar(props: {
  progress: {
    receivedBytes: number;
    totalBytes: number | null;
    bytesPerSecond: number;
    etaSeconds: number | null;
  };
  language: string;
}) {
  const { t } = useT();
  const { receivedBytes, totalBytes, bytesPerSecond, etaSeconds } = props.progress;
  return (
    <span className="download-progress">
      <progress
        aria-label={t('local.progress')}
        max={totalBytes ?? undefined}
        value={receivedBytes}
      />
      <span className="muted">
        {t('local.progressText', {
          received: formatSize(receivedBytes, props.language),
          total: totalBytes ? formatSize(totalBytes, props.language) : '?',
          speed: formatSize(bytesPerSecond, props.language),
          eta: etaSeconds === null ? '?' : Math.ceil(etaSeconds),
        })}
      </span>
    </span>
  );
}
