import { memo } from 'react';
import { useAppStore } from '../../stores/useAppStore';

const STATUS_LABELS: Partial<Record<string, string>> = {
  cancelled: 'Stopped',
  interrupted: 'Interrupted: the app closed while this reply was being written',
};

/**
 * One message. It selects only its own message, so a streaming delta re-renders this
 * component alone. Text is rendered as text: model output never becomes HTML.
 */
export const MessageItem = memo(function MessageItem({ messageId }: { messageId: string }) {
  const message = useAppStore((state) => state.messagesById[messageId]);
  if (!message) return null;
  const streaming = message.status === 'streaming';
  const statusLabel = STATUS_LABELS[message.status];
  return (
    <li
      className={`message message-${message.role}`}
      data-status={message.status}
      aria-busy={streaming || undefined}
    >
      <div className="message-meta">
        <span className="message-author">{message.role === 'user' ? 'You' : 'Assistant'}</span>
        {message.model ? <span className="badge">{message.model.model}</span> : null}
      </div>
      <div className="message-body" dir="auto">
        {message.content}
        {streaming ? <span className="cursor" aria-hidden="true" /> : null}
      </div>
      {message.status === 'error' && message.error ? (
        <p className="message-error" role="alert">
          {message.error.message}
        </p>
      ) : null}
      {statusLabel ? <p className="message-status">{statusLabel}</p> : null}
    </li>
  );
});
