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

export interface ConnectionHubOptions {
  log: FrameLog;
  presence: ClientPresence;
  clients: ClientRegistry;
}

export class ConnectionHub {
  readonly #options: ConnectionHubOptions;
  readonly #open = new Set<OpenStream>();

  constructor(options: ConnectionHubOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#open.size;
  }

  /** Opens a stream for `clientId` resuming after `afterSeq`. Dispose it when the connection ends. */
  async open(clientId: string, afterSeq: number): Promise<OpenStream> {
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
      },
    };
    this.#open.add(stream);
    return stream;
  }

  /** Closes every stream (shutdown). */
  async closeAll(): Promise<void> {
    await Promise.all([...this.#open].map((stream) => stream[Symbol.asyncDispose]()));
  }
}
