import { REPLY_LANGUAGES } from '../../../shared/languages';
import { selectOpenConversation, useAppActions } from '../../app/appActions';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/useAppStore';

const encode = (provider: string, model: string) => JSON.stringify([provider, model]);

/** The open conversation's model: every provider's models, unavailable ones greyed with the reason. */
export function ModelPicker() {
  const conversation = useAppStore(selectOpenConversation);
  const catalog = useAppStore((state) => state.catalog);
  const actions = useAppActions();
  const { t } = useT();
  if (!conversation) return null;
  const current = conversation.model;
  const listed = catalog.some((group) =>
    group.models.some((m) => m.ref.provider === current.provider && m.ref.model === current.model),
  );
  return (
    <select
      className="picker"
      aria-label={t('composer.model')}
      value={encode(current.provider, current.model)}
      onChange={(event) => {
        const [provider, model] = JSON.parse(event.target.value) as [string, string];
        void actions.updateConversation({ model: { provider, model } });
      }}
    >
      {listed ? null : (
        <option value={encode(current.provider, current.model)}>{current.model}</option>
      )}
      {catalog.map((group) => (
        <optgroup
          key={group.provider}
          label={
            group.available
              ? group.name
              : t('composer.providerUnavailable', { name: group.name, reason: group.reason ?? '' })
          }
        >
          {group.models.map((model) => (
            <option
              key={model.ref.model}
              value={encode(model.ref.provider, model.ref.model)}
              disabled={!group.available}
            >
              {model.deprecated
                ? t('composer.modelDeprecated', { name: model.displayName })
                : model.displayName}
            </option>
          ))}
        </optgroup>
      ))}
    </select>
  );
}

/** The open conversation's reply language: Auto, or one fixed language. */
export function ReplyLanguagePicker() {
  const conversation = useAppStore(selectOpenConversation);
  const actions = useAppActions();
  const { t } = useT();
  if (!conversation) return null;
  return (
    <select
      className="picker"
      aria-label={t('composer.replyLanguage')}
      value={conversation.replyLanguage ?? 'auto'}
      onChange={(event) => {
        const value = event.target.value;
        void actions.updateConversation({
          replyLanguage:
            value === 'auto' ? null : (value as (typeof REPLY_LANGUAGES)[number]['code']),
        });
      }}
    >
      <option value="auto">{t('composer.replyLanguageAuto')}</option>
      {REPLY_LANGUAGES.map((language) => (
        <option key={language.code} value={language.code} lang={language.code}>
          {language.nativeName}
        </option>
      ))}
    </select>
  );
}
