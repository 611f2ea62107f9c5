import { useRef, type KeyboardEvent } from 'react';
import { useAppActions } from '../../actions/appActions';
import { COMPOSER_INPUT_ID } from '../../ui/elementIds';
import { useT } from '../../ui/useT';
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
  // A second guard beside `isComposing`: some browsers and IMEs send the composition's Enter
  // without flagging it, but all of them fire compositionstart/compositionend around it.
  const composing = useRef(false);
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
    const isComposing = event.nativeEvent.isComposing || composing.current;
    if (isSendKey({ ...event, isComposing })) {
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
        onCompositionStart={() => (composing.current = true)}
        onCompositionEnd={() => (composing.current = false)}
      />
      <div className="composer-actions">
        <div className="composer-pickers">
          <ModelPicker />
          <ReplyLanguagePicker />
        </div>
        {streaming ? (
          // Distinct keys: React must not turn this very element into the submit button while
          // its click is still being handled, or the browser would then submit the draft.
          <button
            key="stop"
            type="button"
            className="stop"
            onClick={(event) => {
              event.preventDefault();
              void actions.stopStreaming();
            }}
          >
            {t('composer.stop')}
          </button>
        ) : (
          <button key="send" type="submit" className="send" disabled={!draft.trim()}>
            {t('composer.send')}
          </button>
        )}
      </div>
    </form>
  );
}
