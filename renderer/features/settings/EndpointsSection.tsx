import { useCallback, useState } from 'react';
import type { MethodOutput } from '../../../shared/contract';
import { useAppActions } from '../../actions/appActions';
import { useLoaded } from '../../ui/useLoaded';
import { useT } from '../../ui/useT';
import { useAppStore } from '../../stores/useAppStore';

type EndpointList = MethodOutput<'endpoints.list'>;

/** An address shown as an example; a URL, the same in every language. */
const EXAMPLE_SERVER_URL = 'http://127.0.0.1:11434';

export function EndpointsSection() {
  const { t } = useT();
  const actions = useAppActions();
  const loadList = useCallback(async () => actions.listEndpoints({}), [actions]);
  const [list, reload] = useLoaded<EndpointList | null>(loadList);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [status, setStatus] = useState<Record<string, string>>({});
  // As in the Mistral section: without a keychain, adding a key is the "store anyway" choice.
  const weakStorage = useAppStore((state) => state.settings?.keyStorage === 'plain-text-warning');
  const weakKey = weakStorage && apiKey.trim() !== '';

  async function test(endpointId: string) {
    setStatus((s) => ({ ...s, [endpointId]: t('settings.testing') }));
    const result = await actions.testEndpoint({ endpointId });
    setStatus((s) => ({
      ...s,
      [endpointId]: result
        ? t('settings.testOk', { count: result.models })
        : t('settings.testFailed'),
    }));
    await actions.loadCatalog(true);
  }

  return (
    <section className="settings-section">
      <h3>{t('settings.endpoints')}</h3>
      <ul className="endpoint-list" aria-label={t('settings.endpoints')}>
        {(list?.endpoints ?? []).map((endpoint) => (
          <li key={endpoint.id}>
            <span>
              <strong>{endpoint.name}</strong> <span className="muted">{endpoint.baseUrl}</span>
            </span>
            <span className="button-row">
              <button type="button" onClick={() => void test(endpoint.id)}>
                {t('settings.testEndpoint', { name: endpoint.name })}
              </button>
              <button
                type="button"
                onClick={async () => {
                  await actions.removeEndpoint({ endpointId: endpoint.id });
                  await reload();
                }}
              >
                {t('settings.removeEndpoint', { name: endpoint.name })}
              </button>
            </span>
            {status[endpoint.id] ? (
              <span className="muted" role="status">
                {status[endpoint.id]}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
      <div className="button-row">
        {(list?.presets ?? []).map((preset) => (
          <button
            key={preset.id}
            type="button"
            onClick={() => {
              setName(preset.name);
              setUrl(preset.baseUrl);
            }}
          >
            {preset.name}
          </button>
        ))}
      </div>
      <form
        className="endpoint-form"
        onSubmit={async (event) => {
          event.preventDefault();
          const added = await actions.addEndpoint({
            name: name.trim(),
            baseUrl: url.trim(),
            ...(apiKey.trim() ? { apiKey: apiKey.trim() } : {}),
            ...(weakKey ? { acceptWeakStorage: true } : {}),
          });
          if (!added) return;
          setName('');
          setUrl('');
          setApiKey('');
          await reload();
          await test(added.id);
        }}
      >
        <input
          aria-label={t('settings.endpointName')}
          placeholder={t('settings.endpointName')}
          value={name}
          onChange={(event) => setName(event.target.value)}
        />
        <input
          aria-label={t('settings.endpointUrl')}
          placeholder={EXAMPLE_SERVER_URL}
          value={url}
          onChange={(event) => setUrl(event.target.value)}
        />
        <input
          type="password"
          autoComplete="off"
          aria-label={t('settings.endpointKey')}
          placeholder={t('settings.endpointKey')}
          value={apiKey}
          onChange={(event) => setApiKey(event.target.value)}
        />
        {weakKey ? (
          <p className="notice notice-warning" id="endpoint-key-weak">
            {t('settings.keyStorageWeak')}
          </p>
        ) : null}
        <button
          type="submit"
          disabled={!name.trim() || !url.trim()}
          aria-describedby={weakKey ? 'endpoint-key-weak' : undefined}
        >
          {weakKey ? t('settings.storeKeyAnyway') : t('settings.addEndpoint')}
        </button>
      </form>
    </section>
  );
}
