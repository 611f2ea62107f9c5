import { useRef, type KeyboardEvent } from 'react';
import { useAppActions } from '../../actions/appActions';
import { COMPOSER_INPUT_ID } from '../../ui/elementIds';
import { useT } from '../../i18n/useT';
import { ModelPicker, ReplyLanguagePicker } from './ModelPicker';
import { selectActiveStreamId } from '../../stores/threadSlice';
import { useAppStore } from '../../stores/useAppStore';

/** True when Enter should send: not with Shift, and never while an IME is composing. */
export function isSendKey(event: {
  key: string;
  shiftKey: boolean;
  isComposing: boolean;
  keyCode: number;
}): boolean {
  // keyCode 229 is what Chromium reports for keys that belong to an IME composition.
  return event.key === 'Enter' && !event.shiftKey && !event.isComposing && event.keyCode !== 229;
}

/** The message box with Send, and Stop while a reply streams. */
export function Composer() {
  const actions = useAppActions();
  const draftKey = useAppStore((state) => state.threadConversationId ?? '');
  const draft = useAppStore((state) => state.drafts[draftKey] ?? '');
  const draftEdited = useAppStore((state) => state.draftEdited);
  const streaming = useAppStore((state) => selectActiveStreamId(state) !== null);
  const sending = useRef(false);
  const { t } = useT();

  async function send() {
    if (sending.current || streaming || !draft.trim()) return;
    sending.current = true;
    const text = draft;
    try {
      if (await actions.sendMessage(text)) {
        // Clear the box the message was typed in, once the back end has saved it.
        draftEdited(draftKey, '');
        const conversationId = useAppStore.getState().threadConversationId ?? '';
        if (conversationId !== draftKey) draftEdited(conversationId, '');
      }
    } finally {
      sending.current = false;
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (isSendKey({ ...event, isComposing: event.nativeEvent.isComposing })) {
      event.preventDefault();
      void send();
    }
  }

  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      <textarea
        id={COMPOSER_INPUT_ID}
        aria-label={t('composer.message')}
        placeholder={t('composer.placeholder')}
        rows={3}
        value={draft}
        dir="auto"
        onChange={(event) => draftEdited(draftKey, event.target.value)}
        onKeyDown={onKeyDown}
      />
      <div className="composer-actions">
        <div className="composer-pickers">
          <ModelPicker />
          <ReplyLanguagePicker />
        </div>
        {streaming ? (
          <button type="button" className="stop" onClick={() => void actions.stopStreaming()}>
            {t('composer.stop')}
          </button>
        ) : (
          <button type="submit" className="send" disabled={!draft.trim()}>
            {t('composer.send')}
          </button>
        )}
      </div>
    </form>
  );
}
