/**
 * @module adapters/ehdb/sseReader
 * Incremental parsing of a `text/event-stream` body into events (the WHATWG rules the feed relies on):
 * lines end with LF, CRLF or CR; `:` starts a comment (keep-alive); `id:` and `data:` fields, one leading
 * space after the colon dropped; several `data:` lines join with LF; a blank line ends the event. An event
 * without `data:` is not an event. An event's data past `maxEventBytes` is not kept: the event is reported
 * with `oversized` (its id still counts), so one huge record cannot exhaust memory or stop the stream.
 * Not eventsource-parser: its `maxBufferSize` ends the parser at the first oversized event, losing that
 * event's id, so the feed would be re-read from the same cursor and hit the same record again.
 */

export interface FeedEvent {
  /** The `id:` field as sent (the feed's cursor, a u64 in decimal), if any. */
  id?: string;
  data: string;
  /** True when the data exceeded the limit and was dropped (`data` is then empty). */
  oversized?: boolean;
}

export class SseReader {
  readonly #maxEventBytes: number;
  /** Text after the last complete line. */
  #partial = '';
  /** The previous chunk ended with CR: a LF starting the next one belongs to that line end. */
  #afterCr = false;
  #id: string | undefined;
  #data: string[] = [];
  #dataBytes = 0;
  #oversized = false;
  #hasData = false;

  constructor(maxEventBytes: number) {
    this.#maxEventBytes = maxEventBytes;
  }

  /** Feeds decoded text; returns the events it completed, in order. */
  push(text: string): FeedEvent[] {
    const events: FeedEvent[] = [];
    let start = 0;
    if (this.#afterCr && text.startsWith('\n')) start = 1;
    this.#afterCr = false;
    for (let i = start; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      const line = this.#partial + text.slice(start, i);
      this.#partial = '';
      if (code === 13) {
        if (i + 1 < text.length) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this.#afterCr = true;
        }
      }
      start = i + 1;
      const event = this.#line(line);
      if (event) events.push(event);
    }
    this.#partial += text.slice(start);
    // A line without an end cannot grow without bound either.
    if (this.#partial.length > this.#maxEventBytes) {
      this.#partial = '';
      this.#oversized = true;
      this.#hasData = true;
    }
    return events;
  }

  #line(line: string): FeedEvent | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'id') {
      if (!value.includes('\0')) this.#id = value;
    } else if (field === 'data') {
      this.#hasData = true;
      this.#dataBytes += value.length + 1;
      if (this.#dataBytes > this.#maxEventBytes) {
        this.#oversized = true;
        this.#data = [];
      } else if (!this.#oversized) {
        this.#data.push(value);
      }
    }
    return undefined;
  }

  #dispatch(): FeedEvent | undefined {
    const event: FeedEvent | undefined = this.#hasData
      ? {
          ...(this.#id !== undefined ? { id: this.#id } : {}),
          data: this.#oversized ? '' : this.#data.join('\n'),
          ...(this.#oversized ? { oversized: true } : {}),
        }
      : undefined;
    // The id field is per event here: the feed numbers every event it sends.
    this.#id = undefined;
    this.#data = [];
    this.#dataBytes = 0;
    this.#oversized = false;
    this.#hasData = false;
    return event;
  }
}
