import { useEffect, useId, useRef, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';

/**
 * Asks before something the user should look at first, offering one or more ways ahead; a
 * detail block (an address, say) shown whole; ConfirmDialog is its one-choice form. An alert dialog:
 * focus starts on Cancel, Tab stays inside, Esc cancels, and focus goes back where it was.
 */
export function ChoiceDialog(props: {
  title: string;
  message: string;
  /** Shown whole, in its own block, left to right (a link's full address). */
  detail?: string;
  cancelLabel: string;
  /** The ways ahead, after Cancel; `danger` marks one that cannot be taken back. */
  choices: { label: string; onChoose: () => void; danger?: boolean }[];
  onCancel: () => void;
}) {
  const titleId = useId();
  const messageId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const cancel = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    cancel.current?.focus();
    return () => previous?.focus();
  }, []);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      props.onCancel();
    }
    if (event.key === 'Tab') {
      event.preventDefault();
      const buttons = [...(dialog.current?.querySelectorAll('button') ?? [])];
      const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
      const step = event.shiftKey ? -1 : 1;
      buttons[(at + step + buttons.length) % buttons.length]?.focus();
    }
  };
  return createPortal(
    <div
      className="dialog-backdrop"
      onClick={(event) => event.target === event.currentTarget && props.onCancel()}
    >
      <div
        ref={dialog}
        className="dialog confirm-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={messageId}
        onKeyDown={onKeyDown}
      >
        <h2 id={titleId}>{props.title}</h2>
        <p id={messageId}>{props.message}</p>
        {props.detail !== undefined ? <code className="dialog-detail">{props.detail}</code> : null}
        <div className="confirm-actions">
          <button ref={cancel} type="button" onClick={props.onCancel}>
            {props.cancelLabel}
          </button>
          {props.choices.map((choice) => (
            <button
              key={choice.label}
              type="button"
              className={choice.danger ? 'danger' : undefined}
              onClick={choice.onChoose}
            >
              {choice.label}
            </button>
          ))}
        </div>
      </div>
    </div>,
    document.body,
  );
}
