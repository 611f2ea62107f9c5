import { describe, expect, it } from 'vitest';
import { readSseEvents, type SseEvent } from './sse';

/** Reads `text` as a body cut into pieces of `size` characters, so each boundary case is covered. */
async function parseInPieces(text: string, size: number): Promise<SseEvent[]> {
  async function* pieces() {
    for (let i = 0; i < text.length; i += size) {
      yield new TextEncoder().encode(text.slice(i, i + size));
    }
  }
  const events: SseEvent[] = [];
  for await (const event of readSseEvents(pieces())) events.push(event);
  return events;
}

const datas = (events: SseEvent[]) => events.map((event) => event.data);

describe('readSseEvents', () => {
  it('splits events on blank lines and strips one leading space', async () => {
    expect(datas(await parseInPieces('data: one\n\ndata:two\n\ndata:  three\n\n', 1000))).toEqual([
      'one',
      'two',
      ' three',
    ]);
  });

  it('accepts \\r\\n, \\n and \\r line ends, even with \\r\\n split across reads', async () => {
    const text = 'data: a\r\n\r\ndata: b\n\ndata: c\r\rdata: d\r\n\r\n';
    for (const size of [1, 2, 3, 5, 1000]) {
      expect(datas(await parseInPieces(text, size))).toEqual(['a', 'b', 'c', 'd']);
    }
  });

  it('joins multi-line data with \\n', async () => {
    expect(datas(await parseInPieces('data: {"a":\ndata: 1}\n\n', 1000))).toEqual(['{"a":\n1}']);
  });

  it('ignores comments, keep-alives, unknown fields and retry', async () => {
    const text = ': ping\n\n:\ndata: x\nretry: 100\nfoo: bar\n\n: trailing comment\n\n';
    expect(datas(await parseInPieces(text, 4))).toEqual(['x']);
  });

  it('keeps event names and ids', async () => {
    const events = await parseInPieces('event: error\nid: 7\ndata: oops\n\ndata: next\n\n', 1000);
    expect(events).toEqual([
      { event: 'error', data: 'oops', id: '7' },
      { event: 'message', data: 'next', id: '7' },
    ]);
  });

  it('does not dispatch an event without data', async () => {
    expect(await parseInPieces('event: ping\n\nid: 3\n\n', 1000)).toEqual([]);
  });

  it('handles a field with no colon and a data line with an empty value', async () => {
    expect(datas(await parseInPieces('data\n\ndata:\ndata:\n\n', 1000))).toEqual(['', '\n']);
  });

  it('dispatches a last event missing its blank line, but drops a half-received line', async () => {
    expect(datas(await parseInPieces('data: [DONE]\n', 1000))).toEqual(['[DONE]']);
    expect(datas(await parseInPieces('data: full\n\ndata: {"cut', 1000))).toEqual(['full']);
  });

  it('strips a byte-order mark at the start only', async () => {
    expect(datas(await parseInPieces('\uFEFFdata: x\n\n', 1))).toEqual(['x']);
  });
});

describe('readSseEvents over bytes', () => {
  it('decodes UTF-8 characters split across reads', async () => {
    const bytes = new TextEncoder().encode('data: café 日本 🎉\n\ndata: [DONE]\n\n');
    async function* oneByteAtATime() {
      for (const byte of bytes) yield new Uint8Array([byte]);
    }
    const events: SseEvent[] = [];
    for await (const event of readSseEvents(oneByteAtATime())) events.push(event);
    expect(datas(events)).toEqual(['café 日本 🎉', '[DONE]']);
  });
});
