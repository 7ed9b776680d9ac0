/**
 * @module test/support/eventFeedDouble
 * A stand-in for EHDB's event feed (the events writer's `…:9105` in v3.x), written from the contract's
 * description (§12.11): `GET /feed?shard=<n>&cursor=<n>` over HTTP/1.1, `Last-Event-ID` taking precedence
 * over the query cursor; the answer is `text/event-stream` with one event per record,
 * `id: <global_sequence>` and `data: {"global_sequence": n, "payload": <the event as a JSON string>}`, every
 * record after the cursor first, then each new one as it is published. Sequences start at 1.
 *
 * For tests: the requests (cursor, Last-Event-ID) are recorded; records may carry the payload as an object
 * or be malformed; connections can be dropped now or after N more records; `inclusiveCursor` resends the
 * record at the cursor (a feed that counts differently); `chunkBytes` writes every record in small pieces;
 * `stop()`/`start()` close and reopen the same port with the same records.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOn } from './ports.ts';

export interface FeedRequest {
  shard: string | null;
  cursor: string | null;
  lastEventId: string | undefined;
}

export interface EventFeedDoubleOptions {
  /** Send records with sequence ≥ cursor instead of > cursor. */
  inclusiveCursor?: boolean;
  /** Write each record in pieces of this many characters. */
  chunkBytes?: number;
}

interface Stream {
  res: ServerResponse;
  /** Records still to send on this connection before it is cut (undefined: no limit). */
  budget: number | undefined;
}

export class EventFeedDouble {
  readonly requests: FeedRequest[] = [];
  /** The `data:` text of every record, by sequence - 1. */
  readonly records: string[] = [];
  options: EventFeedDoubleOptions;
  port = 0;
  readonly #streams = new Set<Stream>();
  #server: Server | undefined;
  /** Cut each new connection after this many records (undefined: never). */
  #dropEvery: number | undefined;

  constructor(options: EventFeedDoubleOptions = {}) {
    this.options = options;
  }

  static async start(options: EventFeedDoubleOptions = {}): Promise<EventFeedDouble> {
    return new EventFeedDouble(options).start();
  }

  /** `127.0.0.1:<port>`, as NOETL_EVENT_FEED_ADDR. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Connections currently streaming. */
  get openStreams(): number {
    return this.#streams.size;
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => this.#handle(req, res));
    this.port = await listenOn(server, this.port);
    this.#server = server;
    return this;
  }

  async stop(): Promise<void> {
    this.dropConnections();
    const server = this.#server;
    this.#server = undefined;
    server?.closeAllConnections();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /**
   * Appends a record holding `event` and sends it to every open stream; returns its sequence. The payload
   * is a JSON string by default (as the server writes it), or the object itself with `asObject`.
   */
  publish(event: Record<string, unknown> | string, options: { asObject?: boolean } = {}): number {
    const sequence = this.records.length + 1;
    const eventJson = typeof event === 'string' ? event : JSON.stringify(event);
    const payload = options.asObject ? eventJson : JSON.stringify(eventJson);
    return this.publishRaw(`{"global_sequence":${sequence},"payload":${payload}}`);
  }

  /** Appends a record whose `data:` is exactly `data` (e.g. not JSON at all). */
  publishRaw(data: string): number {
    this.records.push(data);
    const sequence = this.records.length;
    for (const stream of [...this.#streams]) this.#send(stream, sequence);
    return sequence;
  }

  /** Cuts every open stream (the TCP connection is destroyed mid-stream). */
  dropConnections(): void {
    for (const stream of this.#streams) stream.res.socket?.destroy();
    this.#streams.clear();
  }

  /** From now on, cuts each connection after it has sent `count` records (undefined: never). */
  dropEvery(count: number | undefined): void {
    this.#dropEvery = count;
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://feed');
    if (req.method !== 'GET' || url.pathname !== '/feed') {
      res.writeHead(404).end();
      return;
    }
    const header = req.headers['last-event-id'];
    const lastEventId = Array.isArray(header) ? header[0] : header;
    this.requests.push({
      shard: url.searchParams.get('shard'),
      cursor: url.searchParams.get('cursor'),
      lastEventId,
    });
    const cursorText = lastEventId ?? url.searchParams.get('cursor') ?? '0';
    if (!/^\d+$/.test(cursorText)) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad cursor');
      return;
    }
    const cursor = Number(cursorText);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.write(': connected\n\n');
    const stream: Stream = { res, budget: this.#dropEvery };
    this.#streams.add(stream);
    res.on('close', () => this.#streams.delete(stream));
    const first = this.options.inclusiveCursor ? Math.max(cursor, 1) : cursor + 1;
    for (let sequence = first; sequence <= this.records.length; sequence++) {
      if (!this.#streams.has(stream)) break;
      this.#send(stream, sequence);
    }
  }

  #send(stream: Stream, sequence: number): void {
    const text = `id: ${sequence}\ndata: ${this.records[sequence - 1]}\n\n`;
    const size = this.options.chunkBytes;
    if (size && size > 0)
      for (let at = 0; at < text.length; at += size) stream.res.write(text.slice(at, at + size));
    else stream.res.write(text);
    if (stream.budget !== undefined && --stream.budget <= 0) {
      this.#streams.delete(stream);
      // After the bytes are out: the client sees the records, then a cut connection.
      stream.res.write('', () => stream.res.socket?.destroy());
    }
  }
}
