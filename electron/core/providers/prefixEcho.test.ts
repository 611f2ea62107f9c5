import { describe, expect, it } from 'vitest';
import type { ProviderChunk } from './chatProvider';
import { continuedPrefix, withoutEchoedPrefix } from './prefixEcho';

async function* chunksOf(...parts: (string | ProviderChunk)[]): AsyncGenerator<ProviderChunk> {
  for (const part of parts) yield typeof part === 'string' ? { type: 'text', text: part } : part;
}

async function textOf(stream: AsyncIterable<ProviderChunk>): Promise<string[]> {
  const out: string[] = [];
  for await (const chunk of stream) out.push(chunk.type === 'text' ? chunk.text : '<usage>');
  return out;
}

const usage: ProviderChunk = {
  type: 'usage',
  usage: { promptTokens: 1, completionTokens: 2, totalTokens: 3 },
};

describe('continuation prefix', () => {
  it('is the last message only when it is an assistant prefix', () => {
    expect(continuedPrefix([{ role: 'user', content: 'Q' }])).toBe('');
    expect(
      continuedPrefix([
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: 'Half' },
      ]),
    ).toBe('');
    expect(
      continuedPrefix([
        { role: 'user', content: 'Q' },
        { role: 'assistant', content: 'Half', prefix: true },
      ]),
    ).toBe('Half');
  });

  it('removes an echo of the prefix, even split across chunks', async () => {
    const out = await textOf(
      withoutEchoedPrefix(
        chunksOf('Once upon', ' a ti', 'me, there', ' was', usage),
        'Once upon a time',
      ),
    );
    expect(out).toEqual([', there', ' was', '<usage>']);
  });

  it('passes a continuation that does not echo through unchanged', async () => {
    const out = await textOf(withoutEchoedPrefix(chunksOf(', there', ' was'), 'Once upon a time'));
    expect(out).toEqual([', there', ' was']);
  });

  it('releases held text as soon as it stops matching the prefix', async () => {
    // "Once" matches the start of the prefix, "Once more" does not: nothing may be lost.
    const out = await textOf(withoutEchoedPrefix(chunksOf('Once', ' more'), 'Once upon a time'));
    expect(out.join('')).toBe('Once more');
  });

  it('treats a stream that ends inside the echo as an echo cut short', async () => {
    const out = await textOf(withoutEchoedPrefix(chunksOf('Once up', usage), 'Once upon a time'));
    expect(out).toEqual(['<usage>']);
  });

  it('leaves an ordinary request alone', async () => {
    expect(await textOf(withoutEchoedPrefix(chunksOf('Hi', ' there'), ''))).toEqual([
      'Hi',
      ' there',
    ]);
  });
});
