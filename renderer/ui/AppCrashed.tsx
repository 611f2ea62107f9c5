import { translate } from '../i18n/i18n';
import { useAppStore } from '../stores/useAppStore';

/** The whole window could not be drawn: say so, keep the history safe, offer to reload. */
export function AppCrashed() {
  // Read once, without subscribing: the store may be what failed.
  let language: Parameters<typeof translate>[0] = 'en';
  try {
    language = useAppStore.getState().uiLanguage;
  } catch {
    // English, then.
  }
  const t = (key: Parameters<typeof translate>[1]) => translate(language, key);
  return (
    <div className="app-crashed" role="alert">
      <h1>{t('app.crashed.title')}</h1>
      <p>{t('app.crashed.body')}</p>
      <button type="button" onClick={() => location.reload()}>
        {t('app.crashed.reload')}
      </button>
    </div>
  );
}
