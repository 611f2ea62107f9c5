import type { MethodInput } from '../../../shared/contract';
import { useAppActions } from '../../actions/appActions';
import { useT } from '../../ui/useT';
import { ModelSelect, ReplyLanguageSelect } from '../../ui/ModelSelect';
import { GenerationParamsFields } from './GenerationParamsFields';
import { useAppStore } from '../../stores/useAppStore';

/** What a new conversation starts with: model, reply language, temperature and length. */
export function DefaultsSection() {
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
