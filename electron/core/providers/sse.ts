/**
 * A server-sent-events parser after the WHATWG rules: lines end in `\r\n`, `\n` or `\r` (also when
 * a `\r\n` is split across two reads), `:` starts a comment, several `data:` lines join with `\n`,
 * a blank line dispatches, one space after the colon is dropped, and a UTF-8 character split
 * across reads is decoded whole.
 */

/** One dispatched event. */
export interface SseEvent {
  /** `message` unless the server named it with `event:`. */
  event: string;
  data: string;
  /** The last `id:` seen on the stream, if any. */
  id: string | null;
}

/** Turns text, fed in pieces of any size, into events. */
export class SseParser {
  private buffer = '';
  private dataLines: string[] = [];
  private hasData = false;
  private eventType = '';
  private lastId: string | null = null;
  private skipLineFeed = false;
  private started = false;
  private lineWasTerminated = true;

  /** Adds the next piece of text; returns the events it completed. */
  feed(text: string): SseEvent[] {
    if (!this.started && text.length > 0) {
      this.started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    if (this.skipLineFeed && text.startsWith('\n')) text = text.slice(1);
    if (text.length > 0) this.skipLineFeed = false;
    const buffer = this.buffer + text;
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < buffer.length; i += 1) {
      const char = buffer.charCodeAt(i);
      if (char !== 10 && char !== 13) continue;
      const line = buffer.slice(start, i);
      if (char === 13) {
        if (i + 1 < buffer.length) {
          if (buffer.charCodeAt(i + 1) === 10) i += 1;
        } else {
          this.skipLineFeed = true;
        }
      }
      start = i + 1;
      this.processLine(line, events);
    }
    this.buffer = buffer.slice(start);
    this.lineWasTerminated = this.buffer.length === 0;
    return events;
  }

  /**
   * The stream ended. An event whose lines all arrived but whose closing blank line did not is
   * still dispatched (some servers omit it); a half-received line is dropped, since the
   * connection was cut in the middle of it.
   */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.lineWasTerminated) this.processLine('', events);
    this.buffer = '';
    this.dataLines = [];
    this.hasData = false;
    return events;
  }

  private processLine(line: string, events: SseEvent[]): void {
    if (line === '') {
      if (this.hasData) {
        events.push({
          event: this.eventType || 'message',
          data: this.dataLines.join('\n'),
          id: this.lastId,
        });
      }
      this.dataLines = [];
      this.hasData = false;
      this.eventType = '';
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') {
      this.dataLines.push(value);
      this.hasData = true;
    } else if (field === 'event') {
      this.eventType = value;
    } else if (field === 'id' && !value.includes('\0')) {
      this.lastId = value;
    }
    // `retry:` and unknown fields are ignored, as the spec says.
  }
}

/** Reads a response body as events. Breaking out of the loop cancels the body. */
export async function* readSseEvents(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<SseEvent, void, undefined> {
  const decoder = new TextDecoder('utf-8');
  const parser = new SseParser();
  for await (const bytes of body) {
    yield* parser.feed(decoder.decode(bytes, { stream: true }));
  }
  yield* parser.feed(decoder.decode());
  yield* parser.end();
}
