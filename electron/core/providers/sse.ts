/**
 * Server-sent events from a response body, parsed by eventsource-parser (the WHATWG rules: every
 * line ending, comments, multi-line data, one space after the colon). This file adds only what a
 * finite HTTP body needs: UTF-8 decoded across reads, the last event dispatched when the server
 * omits its closing blank line, and the spec's last event id.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** One dispatched event. */
export interface SseEvent {
  /** `message` unless the server named it with `event:`. */
  event: string;
  data: string;
  /** The last `id:` seen on the stream, if any. */
  id: string | null;
}

/** Reads a response body as events. Breaking out of the loop cancels the body. */
export async function* readSseEvents(
  body: AsyncIterable<Uint8Array>,
): AsyncGenerator<SseEvent, void, undefined> {
  const decoder = new TextDecoder('utf-8');
  let lastId: string | null = null;
  let ready: SseEvent[] = [];
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      if (message.id !== undefined) lastId = message.id;
      ready.push({ event: message.event ?? 'message', data: message.data, id: lastId });
    },
  });
  // Whether the text so far ends at a line end: only then is a pending event complete.
  let lineEnded = true;
  const feed = function* (text: string) {
    if (text.length === 0) return;
    lineEnded = /[\r\n]$/.test(text);
    parser.feed(text);
    const events = ready;
    ready = [];
    yield* events;
  };
  for await (const bytes of body) yield* feed(decoder.decode(bytes, { stream: true }));
  yield* feed(decoder.decode());
  // Some servers end the body without the blank line that closes the last event: supply it. A
  // half-received line is never completed, since the connection was cut in the middle of it.
  if (lineEnded) yield* feed('\n\n');
}
