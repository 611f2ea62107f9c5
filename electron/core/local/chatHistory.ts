import type { ChatHistoryItem } from 'node-llama-cpp';

/**
 * The chat history node-llama-cpp evaluates, ending with the model turn being written. Usually that
 * turn is empty; when the messages end with an assistant message (a reply being continued), that
 * message is the open turn itself, and LlamaChat carries on from its text instead of starting a new
 * reply.
 */
export function toChatHistory(
  messages: readonly { role: string; content: string }[],
): ChatHistoryItem[] {
  const history: ChatHistoryItem[] = messages.map((message) =>
    message.role === 'system'
      ? { type: 'system', text: message.content }
      : message.role === 'user'
        ? { type: 'user', text: message.content }
        : { type: 'model', response: [message.content] },
  );
  if (history.at(-1)?.type !== 'model') history.push({ type: 'model', response: [] });
  return history;
}
