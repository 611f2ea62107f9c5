import { useState, type KeyboardEvent } from 'react';
import { useT } from '../../ui/useT';
import { modifierLabel } from '../../ui/platform';

/** True for Ctrl+Enter (Cmd+Enter on macOS): save the edit and send it. Plain Enter is a newline. */
export function isSaveAndSendKey(event: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  isComposing: boolean;
}): boolean {
  return event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.isComposing;
}

/** The box that replaces a user message while it is edited; saving sends it as a new branch. */
export function EditBox(props: {
  initial: string;
  onSave: (text: string) => Promise<void>;
  onCancel: () => void;
}) {
  const { t } = useT();
  const [text, setText] = useState(props.initial);
  const [saving, setSaving] = useState(false);
  const savable = !saving && text.trim() !== '' && text !== props.initial;

  async function save() {
    if (!savable) return;
    setSaving(true);
    try {
      await props.onSave(text);
    } finally {
      setSaving(false);
    }
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (isSaveAndSendKey({ ...event, isComposing: event.nativeEvent.isComposing })) {
      event.preventDefault();
      void save();
    } else if (event.key === 'Escape') {
      // Esc closes this box; it must not also reach the window's "stop the reply" shortcut.
      event.preventDefault();
      event.stopPropagation();
      props.onCancel();
    }
  }

  return (
    <div className="edit-box">
      <textarea
        aria-label={t('message.editField')}
        aria-keyshortcuts="Control+Enter Meta+Enter"
        value={text}
        dir="auto"
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
        autoFocus
        onFocus={(event) => {
          // Opened by ↑ or Edit: the caret goes to the end, ready to type.
          const end = event.target.value.length;
          event.target.setSelectionRange(end, end);
        }}
      />
      <div className="edit-actions">
        <span className="edit-hint">{t('message.saveAndSendHint', { key: modifierLabel() })}</span>
        <button type="button" onClick={props.onCancel}>
          {t('message.cancelEdit')}
        </button>
        <button type="button" className="send" disabled={!savable} onClick={() => void save()}>
          {t('message.saveAndSend')}
        </button>
      </div>
    </div>
  );
}
