import type { ReplyLanguageCode } from '../../../shared/languages';
import { useAppActions } from '../../actions/appActions';
import { selectOpenConversation } from '../../stores/conversationsSlice';
import { useT } from '../../ui/useT';
import { useAppStore } from '../../stores/useAppStore';
import { ModelSelect, ReplyLanguageSelect } from '../../ui/ModelSelect';

/** The open conversation's model: every provider's models, unavailable ones greyed with the reason. */
export function ModelPicker() {
  const conversation = useAppStore(selectOpenConversation);
  const actions = useAppActions();
  const { t } = useT();
  if (!conversation) return null;
  return (
    <ModelSelect
      label={t('composer.model')}
      value={conversation.model}
      onChange={(model) => model && void actions.updateConversation({ model })}
    />
  );
}

/** The open conversation's reply language: Auto, or one fixed language. */
export function ReplyLanguagePicker() {
  const conversation = useAppStore(selectOpenConversation);
  const actions = useAppActions();
  const { t } = useT();
  if (!conversation) return null;
  return (
    <ReplyLanguageSelect
      label={t('composer.replyLanguage')}
      value={(conversation.replyLanguage as ReplyLanguageCode | null) ?? null}
      onChange={(replyLanguage) => void actions.updateConversation({ replyLanguage })}
    />
  );
}
