import { memo, useState } from 'react';
import type { Message } from '../../../shared/domain';
import { isReplyLanguageCode, replyLanguageInfo, textDirection } from '../../../shared/languages';
import { useAppActions } from '../../actions/appActions';
import type { MessageKey } from '../../i18n/locales/en';
import { ConfirmDialog } from '../../ui/ConfirmDialog';
import { ErrorBoundary } from '../../ui/ErrorBoundary';
import { useT } from '../../ui/useT';
import { selectActiveStreamId } from '../../stores/threadSlice';
import { useAppStore } from '../../stores/useAppStore';
import { MarkdownView } from '../../markdown/MarkdownView';
import { SourceFallback } from '../../markdown/SourceFallback';
import { EditBox } from './EditBox';
import { failedAutoCorrection, scriptDirection, translateRequestIn } from './languageOffer';

const STATUS_LABELS: Partial<Record<string, MessageKey>> = {
  cancelled: 'message.status.cancelled',
  interrupted: 'message.status.interrupted',
};

/** Replies that stopped part-way and can be carried on with "Continue". */
const CONTINUABLE_STATUSES: ReadonlySet<Message['status']> = new Set([
  'cancelled',
  'interrupted',
  'error',
]);

/** Whether a reply stopped part-way with text to carry on from. */
export function continuable(message: Message): boolean {
  return (
    message.role === 'assistant' &&
    CONTINUABLE_STATUSES.has(message.status) &&
    message.content.length > 0
  );
}

/** A language code as its speakers write it ("Français"), or the code itself. */
function languageName(code: string | null): string | null {
  if (!code) return null;
  return isReplyLanguageCode(code) ? replyLanguageInfo(code).nativeName : code;
}

/** The reply was detected in another language than the one asked. */
export function languageMismatch(message: Message): boolean {
  return (
    message.role === 'assistant' &&
    message.status === 'complete' &&
    !!message.replyLanguage &&
    !!message.detectedLanguage &&
    message.replyLanguage !== message.detectedLanguage
  );
}

/**
 * One message. It selects only its own message, so a streaming delta re-renders this
 * component alone. Replies render as markdown; nothing from a model becomes raw HTML.
 */
export const MessageItem = memo(function MessageItem(props: {
  messageId: string;
  /** Position in the thread, for the virtualizer's measurements. */
  index: number;
  measureElement: (element: HTMLElement | null) => void;
  offset: number;
}) {
  const { messageId, index, measureElement, offset } = props;
  const message = useAppStore((state) => state.messagesById[messageId]);
  const branch = useAppStore((state) => state.branches[messageId]);
  const droppedTurns = useAppStore((state) => state.droppedTurns[messageId] ?? 0);
  const focused = useAppStore((state) => state.focusedMessageId === messageId);
  // Like ChatGPT, only the last reply can be continued, and not while another reply streams.
  const lastAndIdle = useAppStore(
    (state) => state.threadMessageIds.at(-1) === messageId && selectActiveStreamId(state) === null,
  );
  // A reply whose Stop the host has not confirmed yet: shown as stopped, but its final text and
  // status are still to come.
  const awaitingHost = useAppStore((state) =>
    Object.values(state.streams).some((stream) => stream.messageId === messageId),
  );
  const correction = useAppStore(
    (state) =>
      state.conversations.find((c) => c.id === state.threadConversationId)?.languageCorrection ??
      'auto',
  );
  const { t, tError, language } = useT();
  const actions = useAppActions();
  const editing = useAppStore((state) => state.editingMessageId === messageId);
  const messageEditToggled = useAppStore((state) => state.messageEditToggled);
  const [confirmingDelete, setConfirmingDelete] = useState(false);
  if (!message) return null;
  const streaming = message.status === 'streaming';
  const unsettled = streaming || awaitingHost;
  const statusLabel = STATUS_LABELS[message.status];
  const asked = languageName(message.replyLanguage);
  const detected = languageName(message.detectedLanguage);
  const mismatch = languageMismatch(message);
  // Without a detected language the browser would judge by the first strong letter, so a reply
  // opening with a code name or a number came out left to right; the script of its prose decides.
  const direction =
    message.detectedLanguage && isReplyLanguageCode(message.detectedLanguage)
      ? textDirection(message.detectedLanguage)
      : scriptDirection(message.content);
  // Under "auto" the core corrects once; a correction that drifted again is offered to the user.
  const offer =
    mismatch &&
    (correction === 'ask' || failedAutoCorrection(mismatch, correction, branch?.count ?? 1));
  const numbers = new Intl.NumberFormat(language, { maximumFractionDigits: 1 });

  const stats = [
    message.usage ? t('message.tokens', { count: message.usage.totalTokens }) : null,
    message.tokensPerSec
      ? t('message.speed', { speed: numbers.format(message.tokensPerSec) })
      : null,
    message.ttftMs !== null ? t('message.ttft', { ms: Math.round(message.ttftMs) }) : null,
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <li
      // A streaming reply grows with every commit: measuring it each time made the thread render
      // again and the page lay out and paint a second time per commit. It is measured once it
      // ends; meanwhile the thread's scroll height still follows it (the row overflows).
      ref={streaming ? undefined : measureElement}
      data-index={index}
      data-message-id={message.id}
      style={{ transform: `translateY(${offset}px)` }}
      className={`message message-${message.role}${focused ? ' message-focused' : ''}`}
      data-status={message.status}
      aria-busy={streaming || undefined}
    >
      <div className="message-meta">
        <span className="message-author">
          {message.role === 'user' ? t('message.you') : t('message.assistant')}
        </span>
        {message.model ? (
          <span className="badge badge-model" title={stats || undefined}>
            {message.model.model}
          </span>
        ) : null}
        {message.role === 'assistant' && (asked || detected) ? (
          <span
            className={`badge badge-language${mismatch ? ' badge-warning' : ''}`}
            aria-label={t('message.languageBadge', {
              asked: asked ?? t('composer.replyLanguageAuto'),
              detected: detected ?? '?',
            })}
          >
            {asked && detected && !mismatch
              ? `${detected} ✓`
              : `${asked ?? '—'} → ${detected ?? '…'}`}
          </span>
        ) : null}
        {branch ? (
          <span className="branch-nav">
            <button
              type="button"
              aria-label={t('message.previousVersion')}
              disabled={branch.index === 0 || unsettled}
              onClick={() => void switchSibling(-1)}
            >
              ‹
            </button>
            <span>
              {branch.index + 1}/{branch.count}
            </span>
            <button
              type="button"
              aria-label={t('message.nextVersion')}
              disabled={branch.index === branch.count - 1 || unsettled}
              onClick={() => void switchSibling(1)}
            >
              ›
            </button>
          </span>
        ) : null}
      </div>
      {editing ? (
        <EditBox
          initial={message.content}
          onCancel={() => messageEditToggled(null)}
          onSave={async (text) => {
            if (await actions.editMessage(message.id, text)) messageEditToggled(null);
          }}
        />
      ) : (
        <div className="message-body" dir={direction ?? 'auto'}>
          {message.role === 'assistant' ? (
            // A reply that fails to render shows its text; the thread around it carries on.
            <ErrorBoundary
              resetKey={message.content}
              fallback={() => <SourceFallback text={message.content} />}
            >
              <MarkdownView text={message.content} streaming={unsettled} />
            </ErrorBoundary>
          ) : (
            message.content
          )}
          {streaming ? <span className="cursor" aria-hidden="true" /> : null}
        </div>
      )}
      {message.status === 'error' && message.error ? (
        <p className="message-error" role="alert" title={message.error.message}>
          {tError(message.error)}
        </p>
      ) : null}
      {statusLabel ? <p className="message-status">{t(statusLabel)}</p> : null}
      {lastAndIdle && !unsettled && continuable(message) ? (
        <p className="message-continue">
          <button type="button" onClick={() => void actions.continueReply(message.id)}>
            {t('message.continue')}
          </button>
        </p>
      ) : null}
      {droppedTurns > 0 ? (
        <p className="message-status">{t('message.droppedTurns', { count: droppedTurns })}</p>
      ) : null}
      {offer ? (
        <p className="language-offer" role="status">
          {t('message.answeredIn', { language: detected ?? '?' })}
          <button type="button" onClick={() => void actions.regenerate(message.id, true)}>
            {t('message.regenerateIn', { language: asked ?? '?' })}
          </button>
          <button
            type="button"
            onClick={() =>
              void actions.sendMessage(
                // In the conversation's language: a request in the UI's language is itself a
                // message in another language, and Auto would answer in it.
                translateRequestIn(message.replyLanguage) ??
                  t('message.translateRequest', { language: asked ?? '?' }),
              )
            }
          >
            {t('message.translate')}
          </button>
        </p>
      ) : null}
      {!unsettled && !editing ? (
        <div className="message-actions">
          <button
            type="button"
            onClick={() =>
              void navigator.clipboard.writeText(message.content).catch(() => undefined)
            }
          >
            {t('message.copy')}
          </button>
          {message.role === 'user' ? (
            <button type="button" onClick={() => messageEditToggled(message.id)}>
              {t('message.edit')}
            </button>
          ) : (
            <button type="button" onClick={() => void actions.regenerate(message.id)}>
              {t('message.regenerate')}
            </button>
          )}
          <button type="button" onClick={() => setConfirmingDelete(true)}>
            {t('message.delete')}
          </button>
        </div>
      ) : null}
      {confirmingDelete ? (
        <ConfirmDialog
          title={t('message.deleteTitle')}
          message={t('message.deleteExplained')}
          confirmLabel={t('message.delete')}
          cancelLabel={t('message.cancelEdit')}
          onCancel={() => setConfirmingDelete(false)}
          onConfirm={() => {
            setConfirmingDelete(false);
            void actions.deleteMessage(message.id);
          }}
        />
      ) : null}
    </li>
  );

  function switchSibling(step: -1 | 1) {
    return actions.switchBranch(messageId, step === 1 ? 'next' : 'previous');
  }
});
