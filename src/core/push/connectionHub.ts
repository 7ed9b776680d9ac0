/**
 * @module core/push/connectionHub
 * The `/events` streams of this replica. Each stream is its own registration: a reconnect with the same
 * client id opens a second one, and a closing stream removes only itself. A stream reads the client's
 * frame log from where the client stopped; when it closes, that point is recorded for the next reconnect.
 */
import type { ClientPresence, FrameLog, LoggedFrame } from '../../adapters/ports.ts';
import type { ClientRegistry } from './clientRegistry.ts';

export interface OpenStream extends AsyncDisposable {
  readonly clientId: string;
  /** Frames after the resume point, then live ones. Ends when the stream is closed. */
  readonly frames: AsyncIterableIterator<LoggedFrame>;
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

export class ConnectionHub {
  readonly #options: ConnectionHubOptions;
  readonly #open = new Set<OpenStream>();
  readonly #sessionOf = new WeakMap<OpenStream, string>();
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
    const ids = [...this.#open].filter((stream) => this.#sessionOf.get(stream) === sessionToken);
    return [...new Set(ids.reverse().map((stream) => stream.clientId))];
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
    const { log, presence, clients } = this.#options;
    const frames = log.follow(clientId, afterSeq);
    const attached = await presence.attach(clientId);
    let lastDelivered = afterSeq;
    let closed = false;
    const stream: OpenStream = {
      clientId,
      frames,
      get lastDelivered() {
        return lastDelivered;
      },
      delivered(seq) {
        lastDelivered = Math.max(lastDelivered, seq);
      },
      [Symbol.asyncDispose]: async () => {
        if (closed) return;
        closed = true;
        this.#open.delete(stream);
        await frames[Symbol.asyncDispose]();
        await attached[Symbol.asyncDispose]();
        await clients.recordDelivered(clientId, lastDelivered).catch(() => {});
        const left = (this.#streamsOf.get(clientId) ?? 1) - 1;
        if (left > 0) this.#streamsOf.set(clientId, left);
        else {
          this.#streamsOf.delete(clientId);
          this.#notify('clientIdle', clientId);
        }
      },
    };
    this.#open.add(stream);
    if (sessionToken !== undefined) this.#sessionOf.set(stream, sessionToken);
    const streams = (this.#streamsOf.get(clientId) ?? 0) + 1;
    this.#streamsOf.set(clientId, streams);
    if (streams === 1) this.#notify('clientActive', clientId);
    return stream;
  }

  /** Closes every stream (shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#open].map((stream) => stream[Symbol.asyncDispose]()));
  }
}
