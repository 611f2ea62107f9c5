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
      // Patched into what is loaded: the sidebar rows show it if it falls in a loaded page.
      state().conversationUpdated(event.payload.conversation);
      return;
    }
    if (event.name === 'conversations.removed') {
      // Known or not, the counts change.
      state().conversationRemoved(event.payload.conversationId);
      return;
    }
    if (isStreamEvent(event)) onStreamEvent(event);
  };
}
