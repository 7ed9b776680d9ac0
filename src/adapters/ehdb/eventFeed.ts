/**
 * @module adapters/ehdb/eventFeed
 * Reads EHDB's event feed (contract §12.11), the v3.x source of NoETL lifecycle events: HTTP/1.1
 * `GET /feed?shard=0&cursor=<n>` with `Last-Event-ID: <n>`, answered by an SSE stream of records
 * (`id: <u64>`, `data: {"global_sequence": n, "payload": <event as a JSON string, or an object>}`).
 *
 * The cursor is the last `id:` handled, kept across reconnects, so a reconnect resumes exactly where the
 * stream broke: nothing in the gap is lost, and an event the feed sends again (at or below the cursor) is
 * skipped, so nothing is handled twice. Events are handled one at a time, in order, and the cursor moves
 * past an event only once its handler is done; a handler that rejects with `BackendUnavailableError` (a
 * store is down) gets the same event again after the reconnect. Reconnects wait 250 ms, doubling to 5 s, as
 * the reference's reader; the wait starts over once a connection delivers an event or ends cleanly.
 * Cursors are u64: kept as decimal strings, compared as BigInt (they may pass 2^53).
 */
import type { ClientRequest, IncomingMessage } from 'node:http';
import { parseJsonExact } from '../../lib/losslessJson.ts';
import { request } from '../../lib/nodeHttp.ts';
import { BackendUnavailableError } from '../ports.ts';
import { BACKOFF, type EhdbLogger, silentLogger } from './kvClient.ts';
import { type FeedEvent, SseReader } from './sseReader.ts';

const DIGITS = /^\d{1,20}$/;
/** How long connecting and the answer's head may take before the attempt counts as failed. */
const CONNECT_TIMEOUT_MS = 10_000;

export type FeedReconnectReason = 'ended' | 'error';

export interface EventFeedOptions {
  host: string;
  port: number;
  /** The feed shard read (the reference reads shard 0). */
  shard?: number;
  /** Where to start: the last id handled before (default `0`, the feed's beginning, as the reference). */
  cursor?: string;
  /** Largest record accepted; a larger one is skipped as malformed (default 1 MiB). */
  maxEventBytes?: number;
  /**
   * Handles one event (the payload's JSON text) with its feed id. Rejecting with `BackendUnavailableError`
   * means "try again": the connection is dropped and resumed from the cursor before this event.
   */
  onEvent(event: string, id: string | undefined): Promise<void>;
  /** A record that is not JSON, has no usable payload, or is too large (skipped; the cursor still moves). */
  onMalformed?: () => void;
  /** The cursor moved past `id` (its event was handled or skipped). */
  onAdvance?: (id: string) => void;
  /** Whether another replica already routed this event into the shared frame log (then it is skipped). */
  routedElsewhere?: (id: string) => boolean;
  onReconnect?: (reason: FeedReconnectReason, error?: unknown) => void;
  onConnected?: () => void;
  logger?: EhdbLogger;
}

/** The event inside a feed record: its `payload` as JSON text (exact numbers kept), or undefined. */
export function eventOfRecord(data: string): string | undefined {
  let record: unknown;
  try {
    record = parseJsonExact(data);
  } catch {
    return undefined;
  }
  if (!record || typeof record !== 'object' || Array.isArray(record)) return undefined;
  const payload = (record as { payload?: unknown }).payload;
  if (typeof payload === 'string') return payload;
  if (payload && typeof payload === 'object' && !Array.isArray(payload)) return JSON.stringify(payload);
  return undefined;
}

export class EventFeedReader {
  readonly #options: EventFeedOptions & { shard: number; maxEventBytes: number; logger: EhdbLogger };
  #cursor: string;
  #closed = false;
  #connected = false;
  #request: ClientRequest | undefined;
  #wait: { timer: NodeJS.Timeout; wake: () => void } | undefined;
  readonly #running: Promise<void>;

  constructor(options: EventFeedOptions) {
    this.#options = { shard: 0, maxEventBytes: 1024 * 1024, logger: silentLogger, ...options };
    this.#cursor = options.cursor && DIGITS.test(options.cursor) ? options.cursor : '0';
    this.#running = this.#run();
  }

  /** The last id handled (`0` before the first). */
  get cursor(): string {
    return this.#cursor;
  }

  /** Whether a feed connection is open now. */
  get connected(): boolean {
    return this.#connected;
  }

  /** Stops reading; resolves once the event being handled, if any, is done. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#request?.destroy();
    if (this.#wait) {
      clearTimeout(this.#wait.timer);
      this.#wait.wake();
    }
    await this.#running;
  }

  async #run(): Promise<void> {
    const { logger } = this.#options;
    let backoffMs: number = BACKOFF.initialMs;
    let warned = false;
    while (!this.#closed) {
      let progressed = false;
      let reason: FeedReconnectReason;
      let failure: unknown;
      try {
        progressed = await this.#readOnce();
        reason = 'ended';
      } catch (error) {
        reason = 'error';
        failure = error;
      }
      if (this.#connected) warned = false;
      this.#connected = false;
      if (this.#closed) break;
      if (progressed || reason === 'ended') backoffMs = BACKOFF.initialMs;
      this.#options.onReconnect?.(reason, failure);
      // One warning per outage; further attempts while the feed stays away are debug lines.
      logger[warned ? 'debug' : 'warn'](
        { cursor: this.#cursor, reason, ...(failure ? { err: failure } : {}) },
        reason === 'ended' ? 'EHDB event feed ended; reconnecting' : 'EHDB event feed failed; reconnecting',
      );
      warned = true;
      await this.#sleep(backoffMs);
      backoffMs = Math.min(backoffMs * 2, BACKOFF.maxMs);
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        this.#wait = undefined;
        resolve();
      };
      this.#wait = { timer: setTimeout(wake, ms), wake };
    });
  }

  /** One connection: resolves when the stream ends cleanly (with whether it handled an event), rejects on failure. */
  async #readOnce(): Promise<boolean> {
    const response = await this.#open();
    this.#connected = true;
    this.#options.onConnected?.();
    response.setEncoding('utf8');
    const reader = new SseReader(this.#options.maxEventBytes);
    let progressed = false;
    for await (const chunk of response as AsyncIterable<string>) {
      for (const event of reader.push(chunk)) {
        if (this.#closed) return progressed;
        await this.#handle(event);
        progressed = true;
      }
    }
    return progressed;
  }

  #open(): Promise<IncomingMessage> {
    const cursor = this.#cursor;
    const { host, port, shard } = this.#options;
    return new Promise<IncomingMessage>((resolve, reject) => {
      const outgoing = request({
        host,
        port,
        method: 'GET',
        path: `/feed?shard=${shard}&cursor=${cursor}`,
        // The feed prefers Last-Event-ID over the query cursor; the reference sends both.
        headers: { accept: 'text/event-stream', 'last-event-id': cursor },
        agent: false,
      });
      this.#request = outgoing;
      const timer = setTimeout(
        () => outgoing.destroy(new Error(`EHDB event feed did not answer within ${CONNECT_TIMEOUT_MS} ms`)),
        CONNECT_TIMEOUT_MS,
      );
      outgoing.on('socket', (socket) => socket.setKeepAlive(true, 30_000));
      outgoing.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      outgoing.once('response', (response) => {
        clearTimeout(timer);
        if (response.statusCode !== 200) {
          response.resume();
          outgoing.destroy();
          reject(new Error(`EHDB event feed answered HTTP ${response.statusCode}`));
          return;
        }
        resolve(response);
      });
      outgoing.end();
    });
  }

  async #handle(event: FeedEvent): Promise<void> {
    const id = event.id !== undefined && DIGITS.test(event.id.trim()) ? event.id.trim() : undefined;
    if (id !== undefined && this.#cursor !== '0' && BigInt(id) <= BigInt(this.#cursor)) return; // seen
    if (id === undefined || !this.#options.routedElsewhere?.(id)) {
      const text = event.oversized ? undefined : eventOfRecord(event.data);
      if (text === undefined) this.#options.onMalformed?.();
      else {
        try {
          await this.#options.onEvent(text, id);
        } catch (error) {
          // A store is down: this event is read again after the reconnect. Anything else was counted by
          // the handler; the event is not retried (it would fail the same way forever).
          if (error instanceof BackendUnavailableError) throw error;
        }
      }
    }
    if (id !== undefined) {
      this.#cursor = id;
      this.#options.onAdvance?.(id);
    }
  }
}
