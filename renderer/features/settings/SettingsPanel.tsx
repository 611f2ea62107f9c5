import { Dialog } from '../../app/Dialog';
import { UI_LANGUAGE_NAMES, UI_LANGUAGES, type UiLanguage } from '../../i18n/i18n';
import { useT } from '../../i18n/useT';
import type { Theme } from '../../stores/sessionSlice';
import { useAppStore } from '../../stores/useAppStore';

/** Settings: interface language and theme, and the state of the provider keys. */
export function SettingsPanel({ onClose }: { onClose: () => void }) {
  const { t } = useT();
  const uiLanguage = useAppStore((state) => state.uiLanguage);
  const uiLanguageChosen = useAppStore((state) => state.uiLanguageChosen);
  const theme = useAppStore((state) => state.theme);
  const themeChosen = useAppStore((state) => state.themeChosen);
  const settings = useAppStore((state) => state.settings);

  return (
    <Dialog title={t('settings.title')} onClose={onClose}>
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
      </section>
      <section className="settings-section">
        <h3>{t('settings.providers')}</h3>
        <p>
          {settings?.mistral.keyConfigured
            ? t('settings.mistralKeyConfigured', { last4: settings.mistral.keyLast4 ?? '••••' })
            : t('settings.mistralKeyMissing')}
        </p>
        <p className="muted">{t('settings.baseUrl', { url: settings?.mistral.baseUrl ?? '' })}</p>
      </section>
    </Dialog>
  );
}
