/**
 * @module test/support/sseClient
 * Reads a gateway `/events` stream over real HTTP and parses it with eventsource-parser, so tests see
 * exactly what a browser's EventSource would (id, event, data), plus comments.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseEvent extends EventSourceMessage {
  json: Record<string, unknown> & {
    params?: Record<string, unknown>;
    result?: Record<string, unknown>;
    error?: Record<string, unknown>;
  };
}

export class SseTestClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  retry: number | undefined;
  ended = false;
  readonly #abort = new AbortController();
  readonly #waiters = new Set<() => void>();
  response!: Response;

  static async connect(url: string, headers: Record<string, string> = {}): Promise<SseTestClient> {
    const client = new SseTestClient();
    client.response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: client.#abort.signal,
    });
    if (client.response.headers.get('content-type')?.startsWith('text/event-stream')) void client.#read();
    return client;
  }

  async #read(): Promise<void> {
    const parser = createParser({
      onEvent: (event) => {
        this.events.push({ ...event, json: JSON.parse(event.data) });
        this.#wake();
      },
      onComment: (comment) => {
        this.comments.push(comment.trim());
        this.#wake();
      },
      onRetry: (retry) => {
        this.retry = retry;
      },
    });
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>)
        parser.feed(decoder.decode(chunk, { stream: true }));
    } catch {
      // aborted or reset
    }
    this.ended = true;
    this.#wake();
  }

  #wake(): void {
    for (const wake of this.#waiters) wake();
  }

  /** The first event (from `from` on) matching, waiting up to `timeoutMs`. */
  async waitFor(predicate: (event: SseEvent) => boolean, timeoutMs = 5000, from = 0): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.slice(from).find(predicate);
      if (found) return found;
      if (this.ended) throw new Error(`stream ended; events: ${this.events.map((e) => e.event).join(', ')}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; events: ${this.events.map((e) => e.event).join(', ')}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          this.#waiters.delete(wake);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.#waiters.add(wake);
      });
    }
  }

  waitForEvent(name: string, timeoutMs?: number, from?: number): Promise<SseEvent> {
    return this.waitFor((event) => event.event === name, timeoutMs, from);
  }

  async waitForEnd(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    if (!this.ended) throw new Error('stream did not end');
  }

  get clientId(): string {
    const init = this.events.find((event) => event.event === 'message');
    return String(init?.json.result?.clientId);
  }

  get lastEventId(): string | undefined {
    return this.events.findLast((event) => event.id !== undefined)?.id;
  }

  close(): void {
    this.#abort.abort();
  }
}
