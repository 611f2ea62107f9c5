import { useCallback, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract';
import { MAX_IMPORT_UPLOAD_BYTES } from '../../../shared/hostProtocol';
import { useAppActions } from '../../actions/appActions';
import { useLoaded } from '../../ui/useLoaded';
import { useT } from '../../ui/useT';
import { downloadText } from '../../lib/download';
import { hostUploadsAvailable, uploadToHost } from '../../lib/hostUpload';
import { useAppStore } from '../../stores/useAppStore';
import { formatSize } from './LocalModelsSection';

export function DataSection() {
  const { t, language } = useT();
  const actions = useAppActions();
  const settings = useAppStore((state) => state.settings);
  const loadBackups = useCallback(
    async () => (await actions.listBackups({}))?.backups ?? [],
    [actions],
  );
  const [backups, reloadBackups] = useLoaded(loadBackups);
  const [report, setReport] = useState<string | null>(null);
  const dates = new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: 'short' });

  /**
   * In the browser host an export streams to its upload route (a call carries at most 4 MB); in
   * Electron it goes to main as one call over IPC. Answers null when there is nothing to report.
   */
  const importFile = async (file: File): Promise<MethodOutput<'import.json'> | null> => {
    if (!hostUploadsAvailable()) return actions.importJson({ json: await file.text() });
    const tooLarge = t('settings.importTooLarge', {
      size: formatSize(MAX_IMPORT_UPLOAD_BYTES, language),
    });
    if (file.size > MAX_IMPORT_UPLOAD_BYTES) {
      setReport(tooLarge);
      return null;
    }
    const result = await uploadToHost<MethodOutput<'import.json'>>('/upload/import', file);
    if (result.ok) return result.value;
    if (result.status === 'tooLarge') setReport(tooLarge);
    else if (result.status === 'unauthorized') setReport(t('notice.unauthorized'));
    else useAppStore.getState().errorReported(result.error);
    return null;
  };

  return (
    <section className="settings-section">
      <h3>{t('settings.data')}</h3>
      <p className="muted">{t('settings.dataFolder', { path: settings?.dataDir ?? '' })}</p>
      <div className="button-row">
        <button
          type="button"
          onClick={async () => {
            const exported = await actions.exportJson({});
            if (exported) downloadText(exported.fileName, exported.json, 'application/json');
          }}
        >
          {t('settings.exportAll')}
        </button>
        <label className="file-button">
          {t('settings.import')}
          <input
            type="file"
            accept="application/json,.json"
            onChange={async (event) => {
              const file = event.target.files?.[0];
              event.target.value = '';
              if (!file) return;
              const result = await importFile(file);
              if (!result) return;
              setReport(
                t('settings.importReport', {
                  conversations: result.conversationsImported,
                  messages: result.messagesImported,
                  refused: result.refused.length,
                }),
              );
              // Imports bring folders and archived conversations too.
              await actions.reloadSidebar();
            }}
          />
        </label>
      </div>
      {report ? (
        <p role="status" className="muted">
          {report}
        </p>
      ) : null}
      <h4>{t('settings.backups')}</h4>
      <button
        type="button"
        onClick={async () => {
          await actions.createBackup({});
          await reloadBackups();
        }}
      >
        {t('settings.backupNow')}
      </button>
      <ul className="backup-list" aria-label={t('settings.backups')}>
        {(backups ?? []).map((backup) => (
          <li key={backup.name}>
            <span>{dates.format(backup.createdAt)}</span>
            <button
              type="button"
              onClick={async () => {
                if (!window.confirm(t('settings.restoreConfirm'))) return;
                if (await actions.restoreBackup({ name: backup.name })) {
                  window.location.reload();
                }
              }}
            >
              {t('settings.restore')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
