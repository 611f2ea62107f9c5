/** Helpers shared by the provider tests; not used by production code. */
import { CoreError } from '../electron/core/coreError';
import type { ProviderChunk } from '../electron/core/providers/chatProvider';
import type { RetryOptions, Sleep } from '../electron/core/providers/retry';

/** Drains a stream; a `CoreError` ends it and is returned with the text that came before. */
export async function collect(
  stream: AsyncIterable<ProviderChunk>,
  onText?: (text: string) => void,
): Promise<{ text: string; chunks: ProviderChunk[]; error?: CoreError }> {
  const chunks: ProviderChunk[] = [];
  let text = '';
  try {
    for await (const chunk of stream) {
      chunks.push(chunk);
      if (chunk.type === 'text') {
        text += chunk.text;
        onText?.(text);
      }
    }
  } catch (error) {
    if (!(error instanceof CoreError)) throw error;
    return { text, chunks, error };
  }
  return { text, chunks };
}

/**
 * Retry options whose sleep records each wait and returns at once (still honouring an abort), and
 * whose jitter is fixed at `random`, so tests assert the waits without waiting.
 */
export function instantRetries(random = 0.5): RetryOptions & { waits: number[] } {
  const waits: number[] = [];
  const sleep: Sleep = async (ms, signal) => {
    waits.push(ms);
    if (signal.aborted) throw signal.reason;
  };
  return { waits, sleep, random: () => random };
}
