import { fallbackTitle } from '../../shared/conversationTitle';
import { selectActiveStreamId, type StreamEvent } from '../stores/threadSlice';
import type { ActionContext } from './actionContext';
import { createDeltaBatcher } from './deltaBatcher';

/** Sending, editing and regenerating messages, and the replies they stream. */
export interface ChatActions {
  sendMessage(text: string): Promise<boolean>;
  editMessage(messageId: string, text: string): Promise<boolean>;
  regenerate(messageId: string, strongLanguageRule?: boolean): Promise<void>;
  /** Carries on a reply that stopped part-way, in the same message. */
  continueReply(messageId: string): Promise<void>;
  stopStreaming(): Promise<void>;
}

export function createChatActions(
  { api, state, shown }: ActionContext,
  newChat: () => Promise<void>,
): ChatActions {
  return {
    async sendMessage(text) {
      if (!text.trim()) return false;
      let conversationId = state().threadConversationId;
      if (!conversationId) {
        await newChat();
        conversationId = state().threadConversationId;
        if (!conversationId) return false;
      }
      // On failure the draft stays in the composer: nothing the user typed is lost.
      const sent = shown(await api.call('chat.send', { conversationId, text }));
      if (!sent) return false;
      state().errorReported(null);
      state().replyStarted({
        streamId: sent.streamId,
        messages: [sent.userMessage, sent.assistantMessage],
        replaces: null,
      });
      state().conversationTouched(conversationId, {
        updatedAt: sent.userMessage.createdAt,
        title: fallbackTitle(text),
      });
      return true;
    },

    async editMessage(messageId, text) {
      const sent = shown(await api.call('chat.edit', { messageId, text }));
      if (!sent) return false;
      state().replyStarted({
        streamId: sent.streamId,
        messages: [sent.userMessage, sent.assistantMessage],
        replaces: messageId,
      });
      return true;
    },

    async regenerate(messageId, strongLanguageRule) {
      const started = shown(
        await api.call('chat.regenerate', {
          messageId,
          ...(strongLanguageRule ? { strongLanguageRule: true } : {}),
        }),
      );
      if (!started) return;
      state().replyStarted({
        streamId: started.streamId,
        messages: [started.assistantMessage],
        replaces: messageId,
      });
    },

    async continueReply(messageId) {
      const started = shown(await api.call('chat.continue', { messageId }));
      if (!started) return;
      state().replyStarted({
        streamId: started.streamId,
        messages: [started.assistantMessage],
        replaces: null,
      });
    },

    async stopStreaming() {
      const streamId = selectActiveStreamId(state());
      if (!streamId) return;
      // Stopped on screen now; the host's answer (its saved text) follows.
      state().streamStopRequested(streamId);
      shown(await api.call('chat.cancel', { streamId }));
    },
  };
}

/** Applies the stream events of replies (`chat.*`) to the store. */
export function createStreamEventHandler({ state }: ActionContext): (event: StreamEvent) => void {
  // Deltas are applied in batches (see deltaBatcher.ts): fewer, larger commits keep the page
  // responsive however fast tokens arrive. A stream's ending flushes what is queued first.
  const deltas = createDeltaBatcher((batch) => state().streamEventsReceived(batch));
  return (event) => {
    if (event.name === 'chat.delta') {
      deltas.delta(event);
      return;
    }
    deltas.flush();
    if (event.name === 'chat.started') {
      state().replyStarted({
        streamId: event.payload.streamId,
        messages: [event.payload.message],
        replaces: event.payload.replaces,
      });
      return;
    }
    deltas.ended(event.payload.streamId);
    state().streamEventReceived(event);
    const { message } = event.payload;
    state().conversationTouched(message.conversationId, { updatedAt: message.updatedAt });
  };
}
