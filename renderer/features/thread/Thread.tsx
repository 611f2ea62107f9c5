import { useEffect, useRef } from 'react';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/useAppStore';
import { MessageItem } from './MessageItem';

/** The open conversation's messages, newest at the bottom, kept in view while streaming. */
export function Thread() {
  const messageIds = useAppStore((state) => state.threadMessageIds);
  const conversationId = useAppStore((state) => state.threadConversationId);
  const title = useAppStore(
    (state) => state.conversations.find((c) => c.id === state.threadConversationId)?.title,
  );
  const bottom = useRef<HTMLDivElement>(null);
  const { t } = useT();
  const lastLength = useAppStore((state) => {
    const lastId = state.threadMessageIds.at(-1);
    return lastId ? (state.messagesById[lastId]?.content.length ?? 0) : 0;
  });

  useEffect(() => {
    bottom.current?.scrollIntoView({ block: 'end' });
  }, [messageIds.length, lastLength]);

  if (!conversationId) {
    return (
      <section className="thread thread-empty" aria-label={t('thread.label')}>
        <h1>{t('thread.emptyTitle')}</h1>
        <p>{t('thread.emptyHint')}</p>
      </section>
    );
  }
  return (
    <section className="thread" aria-label={t('thread.label')}>
      <h1 className="thread-title">{title || t('conversation.untitled')}</h1>
      <ol className="messages" role="log" aria-live="polite" aria-label={t('thread.messages')}>
        {messageIds.map((id) => (
          <MessageItem key={id} messageId={id} />
        ))}
      </ol>
      <div ref={bottom} />
    </section>
  );
}
