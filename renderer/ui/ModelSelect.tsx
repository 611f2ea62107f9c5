import type { ModelRef } from '../../shared/domain';
import { REPLY_LANGUAGES, type ReplyLanguageCode } from '../../shared/languages';
import { useT } from './useT';
import { useAppStore } from '../stores/useAppStore';

const encode = (provider: string, model: string) => JSON.stringify([provider, model]);

/**
 * A model from the catalogue, grouped by provider, unavailable providers greyed with the reason.
 * With `appDefaultLabel`, an empty choice stands for "the app's default" (`null`).
 */
export function ModelSelect(props: {
  label: string;
  value: ModelRef | null;
  onChange: (model: ModelRef | null) => void;
  appDefaultLabel?: string;
}) {
  const catalog = useAppStore((state) => state.catalog);
  const { t } = useT();
  const current = props.value;
  const listed =
    current === null ||
    catalog.some((group) =>
      group.models.some(
        (m) => m.ref.provider === current.provider && m.ref.model === current.model,
      ),
    );
  return (
    <select
      className="picker"
      aria-label={props.label}
      value={current ? encode(current.provider, current.model) : ''}
      onChange={(event) => {
        if (event.target.value === '') return props.onChange(null);
        const [provider, model] = JSON.parse(event.target.value) as [string, string];
        props.onChange({ provider, model });
      }}
    >
      {props.appDefaultLabel !== undefined ? (
        <option value="">{props.appDefaultLabel}</option>
      ) : null}
      {listed || !current ? null : (
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

/** Auto (`null`: the language of the user's last message), or one fixed reply language. */
export function ReplyLanguageSelect(props: {
  label: string;
  value: ReplyLanguageCode | null;
  onChange: (language: ReplyLanguageCode | null) => void;
}) {
  const { t } = useT();
  return (
    <select
      className="picker"
      aria-label={props.label}
      value={props.value ?? 'auto'}
      onChange={(event) => {
        const value = event.target.value;
        props.onChange(value === 'auto' ? null : (value as ReplyLanguageCode));
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
