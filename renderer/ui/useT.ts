import { useCallback } from 'react';
import type { AppError } from '../../shared/errors';
import { useAppStore } from '../stores/useAppStore';
import { translate, translateError, type MessageValues } from '../i18n/i18n';
import type { MessageKey } from '../i18n/locales/en';

/** The translate function for the current UI language; components re-render when it changes. */
export function useT() {
  const language = useAppStore((state) => state.uiLanguage);
  const t = useCallback(
    (key: MessageKey, values?: MessageValues) => translate(language, key, values),
    [language],
  );
  const tError = useCallback((error: AppError) => translateError(language, error), [language]);
  return { t, tError, language };
}
