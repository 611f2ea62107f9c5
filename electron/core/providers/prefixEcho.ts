import type { ProviderChunk, ProviderMessage } from './chatProvider';

/** The text a request asks the model to carry on from, or '' when it is an ordinary request. */
export function continuedPrefix(messages: readonly ProviderMessage[]): string {
  const last = messages.at(-1);
  return last?.role === 'assistant' && last.prefix === true ? last.content : '';
}

/**
 * Passes a continuation's chunks through without the prefix itself. La Plateforme answers a
 * `prefix: true` request with the prefix at the start of the content (its prefix guide slices
 * `content[len(prefix):]`), and some OpenAI-compatible servers do the same; others send only the
 * new text. So the echo is detected, never assumed: text is held back only while it still
 * matches the start of the prefix, and released unchanged as soon as it differs.
 *
 * A stream that ends while everything it sent still matches the prefix is taken as a cut-off echo
 * and yields nothing: repeating the user's text would be worse than losing a few characters that
 * happened to equal it.
 */
export async function* withoutEchoedPrefix(
  chunks: AsyncIterable<ProviderChunk>,
  prefix: string,
): AsyncGenerator<ProviderChunk> {
  if (!prefix) {
    yield* chunks;
    return;
  }
  let held = '';
  let deciding = true;
  for await (const chunk of chunks) {
    if (!deciding || chunk.type !== 'text') {
      yield chunk;
      continue;
    }
    held += chunk.text;
    if (held.length < prefix.length && prefix.startsWith(held)) continue;
    deciding = false;
    const rest = held.startsWith(prefix) ? held.slice(prefix.length) : held;
    held = '';
    if (rest) yield { type: 'text', text: rest };
  }
}
