import { memo } from 'react';
import { useT } from '../../i18n/useT';
import type { MessageKey } from '../../i18n/locales/en';
import { useAppStore } from '../../stores/useAppStore';
import { MarkdownView } from '../markdown/MarkdownView';

const STATUS_LABELS: Partial<Record<string, MessageKey>> = {
  cancelled: 'message.status.cancelled',
  interrupted: 'message.status.interrupted',
};

/**
 * One message. It selects only its own message, so a streaming delta re-renders this
 * component alone. Text is rendered as text: model output never becomes HTML.
 */
export const MessageItem = memo(function MessageItem(props: {
  messageId: string;
  /** Position in the thread, for the virtualizer's measurements. */
  index: number;
  measureRef: (element: HTMLElement | null) => void;
  offset: number;
}) {
  const { messageId } = props;
  const message = useAppStore((state) => state.messagesById[messageId]);
  const { t, tError } = useT();
  if (!message) return null;
  const streaming = message.status === 'streaming';
  const statusLabel = STATUS_LABELS[message.status];
  return (
    <li
      ref={props.measureRef}
      data-index={props.index}
      style={{ transform: `translateY(${props.offset}px)` }}
      className={`message message-${message.role}`}
      data-status={message.status}
      aria-busy={streaming || undefined}
    >
      <div className="message-meta">
        <span className="message-author">
          {message.role === 'user' ? t('message.you') : t('message.assistant')}
        </span>
        {message.model ? <span className="badge">{message.model.model}</span> : null}
      </div>
      <div className="message-body" dir="auto">
        {message.role === 'assistant' ? (
          <MarkdownView text={message.content} streaming={streaming} />
        ) : (
          message.content
        )}
        {streaming ? <span className="cursor" aria-hidden="true" /> : null}
      </div>
      {message.status === 'error' && message.error ? (
        <p className="message-error" role="alert" title={message.error.message}>
          {tError(message.error)}
        </p>
      ) : null}
      {statusLabel ? <p className="message-status">{t(statusLabel)}</p> : null}
    </li>
  );
});
