/**
 * @module http/sseStreams
 * The open `/events` streams of this replica after their handshake: each is a small record driven by
 * events (the client's frames, the socket's `close` and `drain`), and one ticker serves them all —
 * heartbeats, comment keep-alives and the deadline of a client that does not read. No timer, abort
 * controller, framework object or suspended async function is kept per stream: an idle stream costs its
 * socket, its response and this record.
 *
 * Per stream, as before: a `ping` frame every heartbeat interval (the first at open), a `: ping` comment
 * after `keepalive` of silence, frames written as they are routed (a burst in one socket write), a client
 * whose unsent bytes pass `maxBufferBytes` or that does not drain within `drainTimeoutMs` disconnected (it
 * resumes from the log), and at shutdown every stream ended with `retry: 1000`.
 */
import type { ServerResponse } from 'node:http';
import type { FramesWaiter, OpenStream } from '../core/push/connectionHub.ts';
import { deserializeRoutedFrame, PING_FRAME } from '../core/push/frames.ts';
import type { StreamSlot } from '../core/push/streamSlots.ts';
import type { Metrics } from '../observability/metrics.ts';
import { encodeComment, encodeEvent, encodeRetry, eventId } from './sse.ts';

export interface SseStreamsOptions {
  heartbeatMs: number;
  keepaliveMs: number;
  /** Unsent bytes past which a client is disconnected. */
  maxBufferBytes: number;
  /** How long a write may wait for a slow client to drain before the stream is closed. */
  drainTimeoutMs: number;
  metrics: Metrics;
  /** Aborted at shutdown: streams end with a short `retry:` so clients reconnect to another replica. */
  shutdown: AbortSignal;
}

const SHUTDOWN_RETRY_MS = 1000;
/** The stream a response carries, so one module-level `close` listener serves every stream. */
const STREAM = Symbol('sseStream');
type StreamResponse = ServerResponse & { [STREAM]?: SseStream };
const COMMENT = encodeComment('ping');
const PING_JSON = JSON.stringify(PING_FRAME);
const noop = () => {};

/**
 * One open stream. Times are in ticks of the shared ticker (small integers, so the fields stay unboxed),
 * except `openedAt` (ms since the registry started, to tell replayed frames from live ones). Every field
 * costs each held stream: what can be asked elsewhere is not kept here (whether the stream has ended:
 * `SseStreams` holds the open ones; whether its response is corked: the response).
 */
class SseStream implements FramesWaiter {
  lastWriteTick: number;
  nextPingTick: number;
  /** Tick by which a write waiting for `drain` must have drained; 0 while not waiting. */
  drainByTick = 0;

  constructor(
    readonly owner: SseStreams,
    readonly res: StreamResponse,
    readonly hub: OpenStream,
    readonly slot: StreamSlot,
    readonly openedAt: number,
    tick: number,
    pingEvery: number,
  ) {
    this.lastWriteTick = tick;
    this.nextPingTick = tick + pingEvery;
  }

  /** The client's log has frames (or has ended): write them. */
  framesReady(): void {
    this.owner.pump(this);
  }
}

/** The response's 'close' (`this` is the response). */
function responseClosed(this: StreamResponse): void {
  const stream = this[STREAM];
  if (stream) stream.owner.end(stream);
}

/** Uncorks after the burst's tick (a function and its argument for `nextTick`: no closure per burst). */
function uncork(res: ServerResponse): void {
  res.uncork();
}

export class SseStreams {
  readonly #options: SseStreamsOptions;
  readonly #open = new Set<SseStream>();
  readonly #tickMs: number;
  readonly #pingEvery: number;
  readonly #idleTicks: number;
  readonly #drainTicks: number;
  readonly #epoch = Date.now();
  #tick = 0;
  #ticker: NodeJS.Timeout | undefined;

  constructor(options: SseStreamsOptions) {
    this.#options = options;
    // Heartbeats and keep-alives are due to the tick; a second is as fine as either needs.
    this.#tickMs = Math.max(
      10,
      Math.min(1000, options.heartbeatMs, options.keepaliveMs, options.drainTimeoutMs),
    );
    this.#pingEvery = Math.max(1, Math.round(options.heartbeatMs / this.#tickMs));
    this.#idleTicks = Math.max(1, Math.round(options.keepaliveMs / this.#tickMs));
    this.#drainTicks = Math.max(1, Math.ceil(options.drainTimeoutMs / this.#tickMs));
    options.shutdown.addEventListener('abort', () => this.#endAll(), { once: true });
  }

  get size(): number {
    return this.#open.size;
  }

  /**
   * Takes over a response whose head and first frames (retry hint, init frame, first ping) are written:
   * from now on the stream lives here until the client goes, the log ends or the replica shuts down.
   */
  start(res: ServerResponse, hub: OpenStream, slot: StreamSlot): void {
    const stream = new SseStream(this, res, hub, slot, Date.now() - this.#epoch, this.#tick, this.#pingEvery);
    this.#open.add(stream);
    this.#options.metrics.sseConnections.inc();
    this.#ticker ??= setInterval(() => this.#onTick(), this.#tickMs);
    (res as StreamResponse)[STREAM] = stream;
    res.on('close', responseClosed);
    if (res.destroyed || this.#options.shutdown.aborted) return this.end(stream);
    this.pump(stream);
  }

  /**
   * Writes the frames the client's log has ready (a burst in one socket write), until it has none (then
   * waits to be told), it ends, or the socket needs to drain (then waits for `drain`, within the deadline).
   */
  pump(stream: SseStream): void {
    const { res, hub } = stream;
    for (;;) {
      if (!this.#open.has(stream) || stream.drainByTick !== 0) return; // ended, or waiting for `drain`
      const frame = hub.poll();
      if (frame === undefined) return hub.notify(stream);
      if (frame === null) return this.end(stream);
      let drained: boolean;
      try {
        const { event, routedAt, json } = deserializeRoutedFrame(frame.data);
        // Frames routed together (a state frame and its result, a replay) leave in one socket write.
        if (res.writableCorked === 0) {
          res.cork();
          process.nextTick(uncork, res);
        }
        drained = this.#write(stream, encodeEvent(event, json, eventId(hub.clientId, frame.seq)));
        const { metrics } = this.#options;
        if (routedAt - this.#epoch < stream.openedAt) metrics.framesReplayed.inc();
        else metrics.callbackToFrame.observe((Date.now() - routedAt) / 1000);
        metrics.framesSent.inc({ event });
      } catch {
        res.destroy(); // a frame this gateway cannot read: the client resumes from the log elsewhere
        return;
      }
      if (!drained) {
        if (res.destroyed) return;
        // Wait for the client to read; the ticker disconnects it if it does not in time.
        stream.drainByTick = this.#tick + this.#drainTicks;
        res.once('drain', () => {
          stream.drainByTick = 0;
          if (!this.#open.has(stream)) return; // ended meanwhile
          hub.delivered(frame.seq);
          this.pump(stream);
        });
        return;
      }
      hub.delivered(frame.seq);
    }
  }

  /** Writes unless the client already holds `maxBufferBytes` unsent (then it is disconnected). */
  #write(stream: SseStream, chunk: string): boolean {
    const { res } = stream;
    stream.lastWriteTick = this.#tick;
    if (res.writableLength > this.#options.maxBufferBytes) {
      this.#options.metrics.slowClientDisconnects.inc();
      res.destroy(); // the client resumes from its log after reconnecting
      return false;
    }
    return res.write(chunk);
  }

  /** One pass over every stream: drain deadlines, heartbeats, keep-alives. */
  #onTick(): void {
    const tick = ++this.#tick;
    for (const stream of this.#open) {
      const { res } = stream;
      if (stream.drainByTick !== 0) {
        if (tick >= stream.drainByTick) {
          this.#options.metrics.slowClientDisconnects.inc();
          res.destroy();
        }
        continue;
      }
      if (tick >= stream.nextPingTick) {
        stream.nextPingTick = tick + this.#pingEvery;
        if (!res.writableNeedDrain)
          this.#write(
            stream,
            encodeEvent('ping', PING_JSON, eventId(stream.hub.clientId, stream.hub.lastDelivered)),
          );
      } else if (tick - stream.lastWriteTick >= this.#idleTicks && !res.writableNeedDrain) {
        this.#write(stream, COMMENT);
      }
    }
  }

  /** @internal Ends a stream (client gone, log ended, shutdown): once. */
  end(stream: SseStream): void {
    if (!this.#open.delete(stream)) return; // ended before
    if (this.#open.size === 0) {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
    }
    this.#options.metrics.sseConnections.dec();
    const { res } = stream;
    if (!res.writableEnded && !res.destroyed)
      res.end(this.#options.shutdown.aborted ? encodeRetry(SHUTDOWN_RETRY_MS) : undefined);
    // Closing the follower wakes a waiting pump, which finds the stream ended.
    stream.hub[Symbol.asyncDispose]().then(noop, noop);
    stream.slot.release();
  }

  #endAll(): void {
    for (const stream of [...this.#open]) this.end(stream);
  }
}
