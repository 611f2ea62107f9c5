import { useState } from 'react';
import { useAppActions } from '../../actions/appActions';
import { useT } from '../../ui/useT';
import { useAppStore } from '../../stores/useAppStore';
import { mistralKeyInput } from './mistralKeyInput';

export function MistralSection() {
  const { t } = useT();
  const actions = useAppActions();
  const settings = useAppStore((state) => state.settings);
  const [key, setKey] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const weakStorage = settings?.keyStorage === 'plain-text-warning';
  const cannotStore = settings?.keyStorage === 'unavailable';

  async function save(value: string | null) {
    setStatus(null);
    const saved = await actions.setMistralKey(mistralKeyInput(value, settings?.keyStorage));
    if (!saved) return;
    setKey('');
    await actions.refreshSettings();
    if (value) await test();
  }

  async function test() {
    setStatus(t('settings.testing'));
    const result = await actions.testMistralKey({});
    setStatus(result ? t('settings.testOk', { count: result.models }) : t('settings.testFailed'));
    if (result) await actions.loadCatalog(true);
  }

  return (
    <section className="settings-section">
      <h3>{t('settings.providers')}</h3>
      <p>
        {settings?.mistral.keyConfigured
          ? t('settings.mistralKeyConfigured', { last4: settings.mistral.keyLast4 ?? '••••' })
          : t('settings.mistralKeyMissing')}
      </p>
      {weakStorage ? (
        <p className="notice notice-warning" id="key-storage-weak">
          {t('settings.keyStorageWeak')}
        </p>
      ) : null}
      {cannotStore ? (
        <p className="notice notice-warning">{t('settings.keyStorageUnavailable')}</p>
      ) : (
        <form
          className="field"
          onSubmit={(event) => {
            event.preventDefault();
            if (key.trim()) void save(key.trim());
          }}
        >
          <input
            type="password"
            autoComplete="off"
            aria-label={t('settings.mistralKey')}
            placeholder={t('settings.mistralKeyPlaceholder')}
            value={key}
            onChange={(event) => setKey(event.target.value)}
          />
          <button
            type="submit"
            disabled={!key.trim()}
            aria-describedby={weakStorage ? 'key-storage-weak' : undefined}
          >
            {weakStorage ? t('settings.storeKeyAnyway') : t('settings.saveKey')}
          </button>
        </form>
      )}
      {settings?.mistral.keyConfigured ? (
        <div className="button-row">
          <button type="button" onClick={() => void test()}>
            {t('settings.testKey')}
          </button>
          <button type="button" onClick={() => void save(null)}>
            {t('settings.removeKey')}
          </button>
        </div>
      ) : null}
      {status ? (
        <p className="muted" role="status">
          {status}
        </p>
      ) : null}
      <p className="muted">{t('settings.baseUrl', { url: settings?.mistral.baseUrl ?? '' })}</p>
    </section>
  );
}
