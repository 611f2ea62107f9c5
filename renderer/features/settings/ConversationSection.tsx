import { useState } from 'react';
import { useAppActions } from '../../actions/appActions';
import { selectOpenConversation } from '../../stores/conversationsSlice';
import { useT } from '../../ui/useT';
import { GenerationParamsFields } from './GenerationParamsFields';
import { useAppStore } from '../../stores/useAppStore';

export function ConversationSection() {
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
