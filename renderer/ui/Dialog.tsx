import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useT } from './useT';

/** A modal panel: focus moves into it, Esc and the close button leave it, focus returns after. */
export function Dialog(props: { title: string; onClose: () => void; children: ReactNode }) {
  const { t } = useT();
  const titleId = useId();
  const panel = useRef<HTMLDivElement>(null);
  const { onClose } = props;

  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    panel.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.stopPropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      previous?.focus();
    };
  }, [onClose]);

  return (
    <div
      className="dialog-backdrop"
      onClick={(event) => event.target === event.currentTarget && onClose()}
    >
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
        ref={panel}
      >
        <header className="dialog-header">
          <h2 id={titleId}>{props.title}</h2>
          <button type="button" className="dialog-close" onClick={onClose}>
            {t('dialog.close')}
          </button>
        </header>
        <div className="dialog-body">{props.children}</div>
      </div>
    </div>
  );
}
