import { useState } from 'react';
import { useAppActions } from '../../actions/appActions';
import { UI_LANGUAGE_NAMES, UI_LANGUAGES, type UiLanguage } from '../../i18n/i18n';
import { useT } from '../../ui/useT';
import type { Theme } from '../../stores/sessionSlice';
import { useAppStore } from '../../stores/useAppStore';

export function GeneralSection() {
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
