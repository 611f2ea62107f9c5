import { useState } from 'react';
import type { GenerationParams } from '../../../shared/domain';
import { useT } from '../../ui/useT';

/**
 * Temperature and reply length. A blank field leaves the value to the model; a value out of range
 * is not saved, and the field says why.
 */
export function GenerationParamsFields(props: {
  value: GenerationParams | null;
  onChange: (params: GenerationParams | null) => void;
}) {
  const { t } = useT();
  return (
    <>
      <NumberField
        label={t('settings.temperature')}
        hint={t('settings.temperatureHint')}
        value={props.value?.temperature}
        min={0}
        max={2}
        step={0.1}
        integer={false}
        onChange={(temperature) =>
          props.onChange(withParam(props.value, 'temperature', temperature))
        }
      />
      <NumberField
        label={t('settings.maxTokens')}
        hint={t('settings.maxTokensHint')}
        value={props.value?.maxTokens}
        min={1}
        max={1_000_000}
        step={1}
        integer
        onChange={(maxTokens) => props.onChange(withParam(props.value, 'maxTokens', maxTokens))}
      />
    </>
  );
}

/** `params` with one value set or (undefined) removed; null when nothing is left. */
export function withParam<K extends keyof GenerationParams>(
  params: GenerationParams | null,
  key: K,
  value: GenerationParams[K] | undefined,
): GenerationParams | null {
  const next: GenerationParams = { ...params };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return Object.keys(next).length === 0 ? null : next;
}

function NumberField(props: {
  label: string;
  hint: string;
  value: number | undefined;
  min: number;
  max: number;
  step: number;
  integer: boolean;
  onChange: (value: number | undefined) => void;
}) {
  const { t } = useT();
  const [text, setText] = useState(props.value === undefined ? '' : String(props.value));
  const [invalid, setInvalid] = useState(false);
  const commit = () => {
    const trimmed = text.trim().replace(',', '.');
    if (trimmed === '') {
      setInvalid(false);
      if (props.value !== undefined) props.onChange(undefined);
      return;
    }
    const number = Number(trimmed);
    const ok =
      Number.isFinite(number) &&
      number >= props.min &&
      number <= props.max &&
      (!props.integer || Number.isInteger(number));
    setInvalid(!ok);
    if (ok && number !== props.value) props.onChange(number);
  };
  return (
    <label className="field">
      <span>{props.label}</span>
      <input
        type="text"
        inputMode={props.integer ? 'numeric' : 'decimal'}
        className="number-field"
        value={text}
        placeholder={t('settings.modelDefault')}
        aria-invalid={invalid || undefined}
        title={invalid ? t('settings.outOfRange', { min: props.min, max: props.max }) : props.hint}
        onChange={(event) => setText(event.target.value)}
        onBlur={commit}
        onKeyDown={(event) => {
          if (event.key === 'Enter') commit();
        }}
      />
      {invalid ? (
        <small role="alert" className="field-error">
          {t('settings.outOfRange', { min: props.min, max: props.max })}
        </small>
      ) : null}
    </label>
  );
}
