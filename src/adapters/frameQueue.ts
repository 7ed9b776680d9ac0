/**
 * @module adapters/frameQueue
 * The reading side of `FrameLog.follow`, shared by every frame log: frames pushed by a producer (in-process
 * followers, a JetStream consumer) go to one async reader in order, until the reader closes it or the
 * producer ends it. `push` resolves only when there is room again, so a slow reader pauses the producer
 * instead of growing the queue.
 */
import type { LoggedFrame } from './ports.ts';

export interface FrameQueueOptions {
  initial?: LoggedFrame[];
  /** Frames held before `push` waits for the reader. */
  highWater?: number;
  /** Called once when the reader closes the queue (stop the producer). */
  onClose?: () => void;
}

export class FrameQueue {
  readonly #frames: LoggedFrame[];
  readonly #highWater: number;
  readonly #onClose: (() => void) | undefined;
  #closed = false;
  #ended = false;
  #wakeReader: (() => void) | undefined;
  #wakeProducer: (() => void) | undefined;

  constructor(options: FrameQueueOptions = {}) {
    this.#frames = options.initial ? [...options.initial] : [];
    this.#highWater = options.highWater ?? Number.POSITIVE_INFINITY;
    this.#onClose = options.onClose;
  }

  get closed(): boolean {
    return this.#closed;
  }

  async push(frame: LoggedFrame): Promise<void> {
    if (this.#closed) return;
    this.#frames.push(frame);
    this.#wakeReader?.();
    while (this.#frames.length >= this.#highWater && !this.#closed) {
      await new Promise<void>((resolve) => {
        this.#wakeProducer = resolve;
      });
      this.#wakeProducer = undefined;
    }
  }

  /** No more frames will come: the reader gets what is queued, then the end. */
  end(): void {
    this.#ended = true;
    this.#wakeReader?.();
  }

  iterator(): AsyncIterableIterator<LoggedFrame> & AsyncDisposable {
    const close = async (): Promise<IteratorResult<LoggedFrame>> => {
      if (!this.#closed) {
        this.#closed = true;
        this.#frames.length = 0;
        this.#onClose?.();
        this.#wakeReader?.();
        this.#wakeProducer?.();
      }
      return { done: true, value: undefined };
    };
    const iterator: AsyncIterableIterator<LoggedFrame> & AsyncDisposable = {
      next: async () => {
        while (!this.#closed) {
          const frame = this.#frames.shift();
          if (frame) {
            if (this.#frames.length < this.#highWater) this.#wakeProducer?.();
            return { done: false, value: frame };
          }
          if (this.#ended) break;
          await new Promise<void>((resolve) => {
            this.#wakeReader = resolve;
          });
          this.#wakeReader = undefined;
        }
        return { done: true, value: undefined };
      },
      return: close,
      [Symbol.asyncIterator]: () => iterator,
      [Symbol.asyncDispose]: async () => {
        await close();
      },
    };
    return iterator;
  }
}
