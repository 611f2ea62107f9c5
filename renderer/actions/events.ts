import type { AnyEvent } from '../../shared/contract';
import type { StreamEvent } from '../stores/threadSlice';
import type { ActionContext } from './actionContext';
import type { SessionActions } from './session';

function isStreamEvent(event: AnyEvent): event is StreamEvent {
  return event.name.startsWith('chat.');
}

/** Routes each event from the back end to the store (or to the actions that reload). */
export function createEventRouter(
  { state }: ActionContext,
  session: SessionActions,
  onStreamEvent: (event: StreamEvent) => void,
): (event: AnyEvent) => void {
  return (event) => {
    if (event.name === 'models.changed') {
      void session.loadCatalog();
      void session.refreshSettings();
      return;
    }
    if (event.name === 'local.download') {
      state().downloadChanged(event.payload);
      return;
    }
    if (event.name === 'local.runtime') {
      state().localRuntimeChanged(event.payload);
      return;
    }
    if (event.name === 'conversations.changed') {
      // Only a conversation the sidebar shows (an archived one stays out of it).
      const { conversation } = event.payload;
      if (state().conversations.some((c) => c.id === conversation.id)) {
        state().conversationUpdated(conversation);
      }
      return;
    }
    if (isStreamEvent(event)) onStreamEvent(event);
  };
}
