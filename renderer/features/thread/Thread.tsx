import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useRef } from 'react';
import { useAppActions } from '../../actions/appActions';
import { useT } from '../../ui/useT';
import { useAppStore } from '../../stores/useAppStore';
import { MessageItem } from './MessageItem';

/** Rows rendered beyond the visible ones, so fast scrolling shows no blank gap. */
const OVERSCAN = 6;
/** Within this distance of the bottom, new text keeps the view pinned to the bottom. */
const STICK_TO_BOTTOM_PX = 80;
/** A row's height before it is measured. */
const ESTIMATED_ROW_PX = 96;
/** Within this distance of the top, the page of messages above is loaded. */
const LOAD_EARLIER_PX = 800;

/**
 * The open conversation, virtualized: only the messages in view (plus a few) are in the DOM, so a
 * 10,000-message thread costs what a 20-message one does. Off-screen replies are never parsed.
 * A long thread opens at its last page; the pages above load as the user scrolls up.
 */
export function Thread() {
  const conversationId = useAppStore((state) => state.threadConversationId);
  const { t } = useT();
  if (!conversationId) {
    return (
      <section className="thread thread-empty" aria-label={t('thread.label')}>
        <h1>{t('thread.emptyTitle')}</h1>
        <p>{t('thread.emptyHint')}</p>
        <Onboarding />
      </section>
    );
  }
  // One list per conversation: its measurements and scroll position start fresh, at the bottom.
  return <OpenThread key={conversationId} conversationId={conversationId} />;
}

function OpenThread({ conversationId }: { conversationId: string }) {
  const messageIds = useAppStore((state) => state.threadMessageIds);
  const earlier = useAppStore((state) => state.threadEarlier);
  const focusedMessageId = useAppStore((state) => state.focusedMessageId);
  const actions = useAppActions();
  const title = useAppStore(
    (state) => state.conversations.find((c) => c.id === state.threadConversationId)?.title,
  );
  const lastLength = useAppStore((state) => {
    const lastId = state.threadMessageIds.at(-1);
    return lastId ? (state.messagesById[lastId]?.content.length ?? 0) : 0;
  });
  const { t } = useT();
  const scroller = useRef<HTMLElement>(null);
  const list = useRef<HTMLOListElement>(null);
  const stickToBottom = useRef(true);
  /** The first loaded message and its conversation, to keep the view still when a page lands above. */
  const firstShown = useRef<{ conversationId: string | null; messageId: string | undefined }>({
    conversationId: null,
    messageId: undefined,
  });

  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; rows read the virtualizer on every render
  const virtualizer = useVirtualizer({
    count: messageIds.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ESTIMATED_ROW_PX,
    overscan: OVERSCAN,
    getItemKey: (index) => messageIds[index] ?? index,
    // The title (and the "show earlier" button) sit above the list inside the same scroller.
    scrollMargin: list.current?.offsetTop ?? 0,
    // The first render already shows the last messages, where the thread opens.
    initialOffset: () => messageIds.length * ESTIMATED_ROW_PX,
  });

  // A newly opened conversation starts at its latest message.
  useLayoutEffect(() => {
    stickToBottom.current = true;
    if (messageIds.length > 0) virtualizer.scrollToIndex(messageIds.length - 1, { align: 'end' });
    // Only when the conversation changes, not on every new message.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-run per conversation only
  }, [conversationId]);

  // A page loaded above the first message: scroll down by what was added, so the messages the
  // user was reading stay where they were. Added rows that are measured later are corrected by
  // the virtualizer (they sit above the view).
  useLayoutEffect(() => {
    const previous = firstShown.current;
    firstShown.current = { conversationId, messageId: messageIds[0] };
    if (previous.conversationId !== conversationId || !previous.messageId) return;
    const added = messageIds.indexOf(previous.messageId);
    const element = scroller.current;
    if (added <= 0 || !element) return;
    const shift = virtualizer.getOffsetForIndex(added, 'start')?.[0];
    const top = virtualizer.getOffsetForIndex(0, 'start')?.[0];
    if (shift !== undefined && top !== undefined) element.scrollTop += shift - top;
    // Only when the first message changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- keyed on the first id on purpose
  }, [messageIds[0], conversationId]);

  // A search hit opens its conversation at that message.
  useEffect(() => {
    if (!focusedMessageId) return;
    const index = messageIds.indexOf(focusedMessageId);
    if (index === -1) return;
    stickToBottom.current = false;
    virtualizer.scrollToIndex(index, { align: 'center' });
    // Once per focus, not on every new message.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- re-run per focused message only
  }, [focusedMessageId, conversationId]);

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
        if (earlier > 0 && element.scrollTop < LOAD_EARLIER_PX) void actions.loadEarlierMessages();
      }}
    >
      <h1 className="thread-title">{title || t('conversation.untitled')}</h1>
      {earlier > 0 && (
        <button
          type="button"
          className="load-earlier"
          onClick={() => void actions.loadEarlierMessages()}
        >
          {t('thread.loadEarlier', { count: earlier })}
        </button>
      )}
      <ol
        ref={list}
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
              offset={item.start - virtualizer.options.scrollMargin}
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
