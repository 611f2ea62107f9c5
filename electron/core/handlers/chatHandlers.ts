import type { HandlerTable } from '../ipc/dispatcher';
import type { CoreContext } from './coreContext';

/** Sending, editing, regenerating, continuing and stopping replies. */
export function chatHandlers(
  ctx: CoreContext,
): Pick<
  HandlerTable,
  'chat.send' | 'chat.edit' | 'chat.regenerate' | 'chat.continue' | 'chat.cancel'
> {
  return {
    'chat.send': (input, call) => ctx.chat.send(call.clientId, input),
    'chat.edit': (input, call) => ctx.chat.edit(call.clientId, input),
    'chat.regenerate': (input, call) => ctx.chat.regenerate(call.clientId, input),
    'chat.continue': (input, call) => ctx.chat.continueReply(call.clientId, input),
    'chat.cancel': ({ streamId }, call) => ({
      cancelled: ctx.chat.cancel(call.clientId, streamId),
    }),
  };
}
