/**
 * @module core/push/connectionHub
 * The `/events` streams of this replica. Each stream is its own registration: a reconnect with the same
 * client id opens a second one, and a closing stream removes only itself. A stream reads the client's
 * frame log from where the client stopped; when it closes, that point is recorded for the next reconnect.
 *
 * A stream is one small object (fields, methods on the prototype, no closures): with 20,000 idle streams
 * a replica keeps 20,000 of them, so what each costs is what the replica costs.
 */
import type { ClientPresence, FrameLog, LoggedFrame } from '../../adapters/ports.ts';
import type { ClientRegistry } from './clientRegistry.ts';

/** A reader of a stream's frames waiting without a promise (see `OpenStream.notify`). */
export interface FramesWaiter {
  framesReady(): void;
}

/** What a frame log's follower may offer besides async iteration (the frame logs' FrameQueue does). */
interface PolledFrames {
  poll(): LoggedFrame | null | undefined;
  notify(waiter: FramesWaiter): void;
}

type Frames = AsyncIterableIterator<LoggedFrame> & AsyncDisposable;

function isPolled<T extends object>(frames: T): frames is T & PolledFrames {
  const candidate = frames as Partial<PolledFrames>;
  return typeof candidate.poll === 'function' && typeof candidate.notify === 'function';
}

/** `poll`/`notify` over a follower that only iterates (one promise-based read at a time). */
class PolledIterator implements PolledFrames {
  /** The frame (or the end, `null`) the last read brought, not polled yet. */
  #read: LoggedFrame | null | undefined;
  #reading = false;

  constructor(readonly frames: Frames) {}

  poll(): LoggedFrame | null | undefined {
    const read = this.#read;
    if (read !== null) this.#read = undefined;
    return read;
  }

  notify(waiter: FramesWaiter): void {
    if (this.#read !== undefined) return void queueMicrotask(() => waiter.framesReady());
    if (this.#reading) return;
    this.#reading = true;
    this.frames.next().then(
      (result) => {
        this.#reading = false;
        this.#read = result.done ? null : result.value;
        waiter.framesReady();
      },
      () => {
        this.#reading = false;
        this.#read = null;
        waiter.framesReady();
      },
    );
  }
}

export interface OpenStream extends AsyncDisposable {
  readonly clientId: string;
  /** Frames after the resume point, then live ones. Ends when the stream is closed. */
  readonly frames: Frames;
  /**
   * The same frames without a promise per read: the next one if it is there, `null` once the frames have
   * ended, undefined while none is there (then `notify`). Use either this or `frames`, not both.
   */
  poll(): LoggedFrame | null | undefined;
  /** Calls `waiter.framesReady()` once, when `poll()` has something to return. */
  notify(waiter: FramesWaiter): void;
  /** Sequence of the last frame handed to the client. */
  delivered(seq: number): void;
  readonly lastDelivered: number;
}

/**
 * Told when a client's first stream on this replica opens (`clientActive`) and when its last one here
 * closes (`clientIdle`). The client may still be connected to another replica: ask ClientPresence.
 */
export interface ClientActivityListener {
  clientActive?(clientId: string): void;
  clientIdle?(clientId: string): void;
}

export interface ConnectionHubOptions {
  log: FrameLog;
  presence: ClientPresence;
  clients: ClientRegistry;
}

/**
 * One open stream. Every field costs each held stream: the follower is kept once (itself when it can be
 * polled, else inside its wrapper), and whether the stream is closed is whether the hub still holds it.
 */
class HubStream implements OpenStream {
  lastDelivered: number;
  /** The follower itself when it can be polled (the frame logs' followers can), else a wrapper of it. */
  readonly #polled: (Frames & PolledFrames) | PolledIterator;

  constructor(
    readonly hub: ConnectionHub,
    readonly clientId: string,
    frames: Frames,
    readonly attached: AsyncDisposable,
    readonly session: string | undefined,
    afterSeq: number,
  ) {
    this.lastDelivered = afterSeq;
    this.#polled = isPolled(frames) ? frames : new PolledIterator(frames);
  }

  get frames(): Frames {
    const polled = this.#polled;
    return polled instanceof PolledIterator ? polled.frames : polled;
  }

  delivered(seq: number): void {
    if (seq > this.lastDelivered) this.lastDelivered = seq;
  }

  poll(): LoggedFrame | null | undefined {
    return this.#polled.poll();
  }

  notify(waiter: FramesWaiter): void {
    this.#polled.notify(waiter);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.hub.closed(this);
  }
}

export class ConnectionHub {
  readonly #options: ConnectionHubOptions;
  readonly #open = new Set<HubStream>();
  /** Client id → its streams on this replica. */
  readonly #streamsOf = new Map<string, number>();
  readonly #activity = new Set<ClientActivityListener>();

  constructor(options: ConnectionHubOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#open.size;
  }

  /** Calls `listener` as clients become active or idle on this replica, until the handle is disposed. */
  onClientActivity(listener: ClientActivityListener): Disposable {
    this.#activity.add(listener);
    return { [Symbol.dispose]: () => this.#activity.delete(listener) };
  }

  /** Client ids with an open stream of this session on this replica, the most recently opened first. */
  clientsOf(sessionToken: string): string[] {
    const ids: string[] = [];
    for (const stream of this.#open) if (stream.session === sessionToken) ids.push(stream.clientId);
    return [...new Set(ids.reverse())];
  }

  #notify(event: keyof ClientActivityListener, clientId: string): void {
    for (const listener of this.#activity) {
      try {
        listener[event]?.(clientId);
      } catch {
        // a listener's failure must not break a stream
      }
    }
  }

  /**
   * Opens a stream for `clientId` resuming after `afterSeq`. Dispose it when the connection ends.
   * `sessionToken` (the stream's session) lets `clientsOf` find the session's clients.
   */
  async open(clientId: string, afterSeq: number, sessionToken?: string): Promise<OpenStream> {
    const { log, presence } = this.#options;
    const frames = log.follow(clientId, afterSeq);
    const attached = await presence.attach(clientId);
    const stream = new HubStream(this, clientId, frames, attached, sessionToken, afterSeq);
    this.#open.add(stream);
    const streams = (this.#streamsOf.get(clientId) ?? 0) + 1;
    this.#streamsOf.set(clientId, streams);
    if (streams === 1) this.#notify('clientActive', clientId);
    return stream;
  }

  /** @internal A stream was disposed: stop following, record where it stopped, tell the listeners; once. */
  async closed(stream: HubStream): Promise<void> {
    if (!this.#open.delete(stream)) return; // closed before
    const { clientId } = stream;
    await stream.frames[Symbol.asyncDispose]();
    await stream.attached[Symbol.asyncDispose]();
    await this.#options.clients.recordDelivered(clientId, stream.lastDelivered).catch(() => {});
    const left = (this.#streamsOf.get(clientId) ?? 1) - 1;
    if (left > 0) this.#streamsOf.set(clientId, left);
    else {
      this.#streamsOf.delete(clientId);
      this.#notify('clientIdle', clientId);
    }
  }

  /** Closes every stream (shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#open].map((stream) => stream[Symbol.asyncDispose]()));
  }
}
