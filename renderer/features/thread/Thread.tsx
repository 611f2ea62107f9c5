import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useT } from '../../i18n/useT';
import { useAppStore } from '../../stores/useAppStore';
import { MessageItem } from './MessageItem';

/** Rows rendered beyond the visible ones, so fast scrolling shows no blank gap. */
const OVERSCAN = 6;
/** Within this distance of the bottom, new text keeps the view pinned to the bottom. */
const STICK_TO_BOTTOM_PX = 80;

/**
 * The open conversation, virtualized: only the messages in view (plus a few) are in the DOM, so a
 * 10,000-message thread costs what a 20-message one does. Off-screen replies are never parsed.
 */
export function Thread() {
  const messageIds = useAppStore((state) => state.threadMessageIds);
  const conversationId = useAppStore((state) => state.threadConversationId);
  const title = useAppStore(
    (state) => state.conversations.find((c) => c.id === state.threadConversationId)?.title,
  );
  const lastLength = useAppStore((state) => {
    const lastId = state.threadMessageIds.at(-1);
    return lastId ? (state.messagesById[lastId]?.content.length ?? 0) : 0;
  });
  const { t } = useT();
  const scroller = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);

  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; rows read the virtualizer on every render
  const virtualizer = useVirtualizer({
    count: messageIds.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 96,
    overscan: OVERSCAN,
    getItemKey: (index) => messageIds[index] ?? index,
  });
  // tanstack's rule for keeping the view still when a row's measured size changes, except for
  // the newest row: it grows at its end (a streaming reply, measured by its header until it
  // ends; see MessageItem), which never moves what is in view.
  virtualizer.shouldAdjustScrollPositionOnItemSizeChange = (item, _delta, instance) => {
    if (item.index === instance.options.count - 1) return false;
    const offset = instance.scrollOffset ?? 0;
    return instance.itemSizeCache.has(item.key)
      ? item.end <= offset && instance.scrollDirection !== 'backward'
      : item.start < offset;
  };

  // A newly opened conversation starts at its latest message.
  useLayoutEffect(() => {
    stickToBottom.current = true;
    if (messageIds.length > 0) virtualizer.scrollToIndex(messageIds.length - 1, { align: 'end' });
    // Only when the conversation changes, not on every new message.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-run per conversation only
  }, [conversationId]);

  // A new message brings the view to the bottom, unless the user scrolled up.
  useEffect(() => {
    if (stickToBottom.current && messageIds.length > 0) {
      virtualizer.scrollToIndex(messageIds.length - 1, { align: 'end' });
    }
  }, [messageIds.length, virtualizer]);

  // Streamed text keeps it there with one plain scroll per frame: re-aligning through the
  // virtualizer on every update forces an extra layout of the whole reply.
  useEffect(() => {
    if (!stickToBottom.current) return;
    const frame = requestAnimationFrame(() => {
      const element = scroller.current;
      if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
    });
    return () => cancelAnimationFrame(frame);
  }, [lastLength]);

  if (!conversationId) {
    return (
      <section className="thread thread-empty" aria-label={t('thread.label')}>
        <h1>{t('thread.emptyTitle')}</h1>
        <p>{t('thread.emptyHint')}</p>
        <Onboarding />
      </section>
    );
  }

  const items = virtualizer.getVirtualItems();
  return (
    <section
      className="thread"
      aria-label={t('thread.label')}
      ref={scroller}
      onScroll={(event) => {
        const element = event.currentTarget;
        stickToBottom.current =
          element.scrollHeight - element.scrollTop - element.clientHeight < STICK_TO_BOTTOM_PX;
      }}
    >
      <h1 className="thread-title">{title || t('conversation.untitled')}</h1>
      <ol
        className="messages"
        role="log"
        aria-live="polite"
        aria-label={t('thread.messages')}
        style={{ height: virtualizer.getTotalSize() }}
      >
        {items.map((item) => {
          const id = messageIds[item.index];
          if (!id) return null;
          return (
            <MessageItem
              key={item.key}
              messageId={id}
              index={item.index}
              measureElement={virtualizer.measureElement}
              offset={item.start}
            />
          );
        })}
      </ol>
    </section>
  );
}

/** First run: the three ways in, until a provider is set up. */
function Onboarding() {
  const settings = useAppStore((state) => state.settings);
  const hasModels = useAppStore((state) =>
    state.catalog.some((group) => group.available && group.models.length > 0),
  );
  const panelOpened = useAppStore((state) => state.panelOpened);
  const { t } = useT();
  if (!settings || settings.mistral.keyConfigured || hasModels) return null;
  return (
    <div className="onboarding" role="group" aria-label={t('onboarding.title')}>
      <h2>{t('onboarding.title')}</h2>
      <button type="button" onClick={() => panelOpened('settings')}>
        <strong>{t('onboarding.mistralKey')}</strong>
        <span>{t('onboarding.mistralKeyHint')}</span>
      </button>
      <button type="button" onClick={() => panelOpened('settings')}>
        <strong>{t('onboarding.localModel')}</strong>
        <span>{t('onboarding.localModelHint')}</span>
      </button>
      <button type="button" onClick={() => panelOpened('settings')}>
        <strong>{t('onboarding.server')}</strong>
        <span>{t('onboarding.serverHint')}</span>
      </button>
    </div>
  );
}
