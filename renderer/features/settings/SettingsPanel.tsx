import { useCallback, useState } from 'react';
import type { MethodInput, MethodOutput } from '../../../shared/contract';
import { Dialog } from '../../ui/Dialog';
import { useAppActions } from '../../actions/appActions';
import { selectOpenConversation } from '../../stores/conversationsSlice';
import { useLoaded } from '../../ui/useLoaded';
import { UI_LANGUAGE_NAMES, UI_LANGUAGES, type UiLanguage } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import { downloadText } from '../../lib/download';
import { ModelSelect, ReplyLanguageSelect } from '../composer/ModelPicker';
import { GenerationParamsFields } from './GenerationParamsFields';
import { LocalModelsSection } from './LocalModelsSection';
import type { Theme } from '../../stores/sessionSlice';
import { useAppStore } from '../../stores/useAppStore';

/** Settings: interface, providers and keys, the open conversation, and data. */
export function SettingsPanel({ onClose }: { onClose: () => void }) {
  const { t } = useT();
  return (
    <Dialog title={t('settings.title')} onClose={onClose}>
      <GeneralSection />
      <DefaultsSection />
      <MistralSection />
      <EndpointsSection />
      <LocalModelsSection />
      <ConversationSection />
      <DataSection />
    </Dialog>
  );
}

function GeneralSection() {
  const { t } = useT();
  const uiLanguage = useAppStore((state) => state.uiLanguage);
  const uiLanguageChosen = useAppStore((state) => state.uiLanguageChosen);
  const theme = useAppStore((state) => state.theme);
  const themeChosen = useAppStore((state) => state.themeChosen);
  return (
    <section className="settings-section">
      <h3>{t('settings.general')}</h3>
      <label className="field">
        <span>{t('settings.uiLanguage')}</span>
        <select
          value={uiLanguage}
          onChange={(event) => uiLanguageChosen(event.target.value as UiLanguage)}
        >
          {UI_LANGUAGES.map((language) => (
            <option key={language} value={language} lang={language}>
              {UI_LANGUAGE_NAMES[language]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('settings.theme')}</span>
        <select value={theme} onChange={(event) => themeChosen(event.target.value as Theme)}>
          <option value="system">{t('settings.theme.system')}</option>
          <option value="light">{t('settings.theme.light')}</option>
          <option value="dark">{t('settings.theme.dark')}</option>
        </select>
      </label>
      <ModelTitlesField />
    </section>
  );
}

/** What a new conversation starts with: model, reply language, temperature and length. */
function DefaultsSection() {
  const { t } = useT();
  const actions = useAppActions();
  const settings = useAppStore((state) => state.settings);
  if (!settings) return null;
  const { defaults } = settings;
  const save = async (change: MethodInput<'settings.setDefaults'>) => {
    if (await actions.setDefaults(change)) await actions.refreshSettings();
  };
  return (
    <section className="settings-section" aria-label={t('settings.defaults')}>
      <h3>{t('settings.defaults')}</h3>
      <label className="field">
        <span>{t('settings.defaultModel')}</span>
        <ModelSelect
          label={t('settings.defaultModel')}
          value={defaults.model}
          appDefaultLabel={t('settings.appDefaultModel', { model: settings.defaultModel.model })}
          onChange={(model) => void save({ model })}
        />
      </label>
      <label className="field">
        <span>{t('settings.defaultReplyLanguage')}</span>
        <ReplyLanguageSelect
          label={t('settings.defaultReplyLanguage')}
          value={defaults.replyLanguage}
          onChange={(replyLanguage) => void save({ replyLanguage })}
        />
      </label>
      <GenerationParamsFields
        value={defaults.params}
        onChange={(params) => void save({ params })}
      />
    </section>
  );
}

/** Model-written titles for new conversations, on by default; off keeps the first words. */
function ModelTitlesField() {
  const { t } = useT();
  const actions = useAppActions();
  const enabled = useAppStore((state) => state.settings?.modelTitles ?? true);
  const loaded = useAppStore((state) => state.settings !== null);
  // The box follows the click at once; the saved value takes over once it is read back.
  const [chosen, setChosen] = useState<boolean | null>(null);

  async function choose(next: boolean) {
    setChosen(next);
    if (await actions.setModelTitles({ enabled: next })) {
      await actions.refreshSettings();
    }
    setChosen(null);
  }

  return (
    <label className="field">
      <span>{t('settings.modelTitles')}</span>
      <input
        type="checkbox"
        checked={chosen ?? enabled}
        disabled={!loaded}
        onChange={(event) => void choose(event.target.checked)}
      />
    </label>
  );
}

function MistralSection() {
  const { t } = useT();
  const actions = useAppActions();
  const settings = useAppStore((state) => state.settings);
  const [key, setKey] = useState('');
  const [status, setStatus] = useState<string | null>(null);

  async function save(value: string | null) {
    setStatus(null);
    const saved = await actions.setMistralKey({ key: value });
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
      {settings?.keyStorage === 'plain-text-warning' ? (
        <p className="notice notice-warning">{t('settings.keyStorageWeak')}</p>
      ) : null}
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
        <button type="submit" disabled={!key.trim()}>
          {t('settings.saveKey')}
        </button>
      </form>
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

type EndpointList = MethodOutput<'endpoints.list'>;

/** An address shown as an example; a URL, the same in every language. */
const EXAMPLE_SERVER_URL = 'http://127.0.0.1:11434';

function EndpointsSection() {
  const { t } = useT();
  const actions = useAppActions();
  const loadList = useCallback(async () => actions.listEndpoints({}), [actions]);
  const [list, reload] = useLoaded<EndpointList | null>(loadList);
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [apiKey, setApiKey] = useState('');
  const [status, setStatus] = useState<Record<string, string>>({});

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
        <button type="submit" disabled={!name.trim() || !url.trim()}>
          {t('settings.addEndpoint')}
        </button>
      </form>
    </section>
  );
}

function ConversationSection() {
  const { t } = useT();
  const actions = useAppActions();
  const conversation = useAppStore(selectOpenConversation);
  const [prompt, setPrompt] = useState(conversation?.systemPrompt ?? '');
  if (!conversation) return null;
  return (
    <section className="settings-section">
      <h3>
        {t('settings.conversation', { title: conversation.title || t('conversation.untitled') })}
      </h3>
      <label className="field">
        <span>{t('settings.languageCorrection')}</span>
        <select
          value={conversation.languageCorrection}
          onChange={(event) =>
            void actions.updateConversation({
              languageCorrection: event.target.value as 'auto' | 'ask' | 'off',
            })
          }
        >
          <option value="auto">{t('settings.languageCorrection.auto')}</option>
          <option value="ask">{t('settings.languageCorrection.ask')}</option>
          <option value="off">{t('settings.languageCorrection.off')}</option>
        </select>
      </label>
      <AllowImagesField key={conversation.id} allowed={conversation.allowRemoteImages} />
      <GenerationParamsFields
        key={conversation.id}
        value={conversation.params}
        onChange={(params) => void actions.updateConversation({ params })}
      />
      <label className="field field-column">
        <span>{t('settings.systemPrompt')}</span>
        <textarea
          rows={3}
          value={prompt}
          dir="auto"
          onChange={(event) => setPrompt(event.target.value)}
          onBlur={() =>
            void actions.updateConversation({ systemPrompt: prompt.trim() ? prompt : null })
          }
        />
      </label>
    </section>
  );
}

/** The open conversation's remote-images choice; the box follows a click at once while it saves. */
function AllowImagesField({ allowed }: { allowed: boolean }) {
  const { t } = useT();
  const actions = useAppActions();
  const [chosen, setChosen] = useState<boolean | null>(null);
  return (
    <label className="field">
      <span>{t('settings.allowImages')}</span>
      <input
        type="checkbox"
        checked={chosen ?? allowed}
        onChange={(event) => {
          const next = event.target.checked;
          setChosen(next);
          void actions
            .updateConversation({ allowRemoteImages: next })
            .finally(() => setChosen(null));
        }}
      />
    </label>
  );
}

function DataSection() {
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
              const result = await actions.importJson({ json: await file.text() });
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
