/**
 * @module client/test/support/streamTap
 * A transparent HTTP relay in front of a real gateway, for the few stream faults a healthy gateway never
 * produces by itself: a frame that breaks the contract (`inject`), a connection that stays open but
 * goes silent (`freeze`). Everything else is the real gateway's bytes, unchanged. It records each
 * `/events` request's headers so tests can see what a reconnect sent.
 */
import { createServer, type IncomingHttpHeaders, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface TappedStream {
  res: ServerResponse;
  frozen: boolean;
  /** True when the last chunk relayed ended an SSE event, so injected text cannot split one. */
  atBoundary: boolean;
  queued: string[];
}

export class StreamTap {
  readonly eventsRequests: IncomingHttpHeaders[] = [];
  readonly #target: URL;
  readonly #streams = new Set<TappedStream>();
  #server: Server | undefined;
  url = '';

  constructor(target: string) {
    this.#target = new URL(target);
  }

  async start(): Promise<this> {
    this.#server = createServer((req, res) => {
      const isEvents = (req.url ?? '').startsWith('/events');
      if (isEvents) this.eventsRequests.push(req.headers);
      const upstream = request(
        new URL(req.url ?? '/', this.#target),
        { method: req.method, headers: { ...req.headers, host: this.#target.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          if (!isEvents) {
            answer.pipe(res);
            return;
          }
          const stream: TappedStream = { res, frozen: false, atBoundary: true, queued: [] };
          this.#streams.add(stream);
          answer.on('data', (chunk: Buffer) => {
            if (stream.frozen) return;
            const text = chunk.toString('utf8');
            res.write(text);
            stream.atBoundary = text.endsWith('\n\n');
            if (stream.atBoundary) for (const queued of stream.queued.splice(0)) res.write(queued);
          });
          answer.on('end', () => res.end());
          answer.on('error', () => res.destroy());
          res.on('close', () => {
            this.#streams.delete(stream);
            answer.destroy();
          });
        },
      );
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => this.#server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** Open `/events` streams right now. */
  get openStreams(): number {
    return this.#streams.size;
  }

  /** Writes raw SSE text into every open `/events` stream, between two events. */
  inject(text: string): void {
    for (const stream of this.#streams) {
      if (stream.atBoundary) stream.res.write(text);
      else stream.queued.push(text);
    }
  }

  /** Stops relaying on every open stream while keeping it open: the client sees silence, no error. */
  freeze(): void {
    for (const stream of this.#streams) stream.frozen = true;
  }

  async stop(): Promise<void> {
    this.#server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
  }
}
