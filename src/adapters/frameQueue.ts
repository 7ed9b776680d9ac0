/**
 * @module adapters/frameQueue
 * The reading side of `FrameLog.follow`, shared by every frame log: frames pushed by a producer (in-process
 * followers, a JetStream consumer) go to one async reader in order, until the reader closes it or the
 * producer ends it. `push` resolves only when there is room again, so a slow reader pauses the producer
 * instead of growing the queue.
 *
 * The queue is its own iterator. Besides async iteration it offers `poll()` and `notify(waiter)`: a reader
 * that uses them (the `/events` streams) waits without any promise — an idle follower is this one object
 * and a reference to the waiting reader. No closure, no suspended async function.
 */
import type { LoggedFrame } from './ports.ts';

export interface FrameQueueOptions {
  initial?: LoggedFrame[];
  /** Frames held before `push` waits for the reader (default: no limit). */
  highWater?: number;
  /** Called once when the reader closes the queue (stop the producer), with the queue. */
  onClose?: (queue: FrameQueue) => void;
  /** Whatever the producer needs to find again in `onClose` (so it can pass one shared function). */
  owner?: unknown;
}

const DONE: IteratorResult<LoggedFrame> = Object.freeze({ done: true, value: undefined });

/** A reader waiting for frames without a promise: told once, when there is something to poll. */
export interface FramesWaiter {
  framesReady(): void;
}

function tell(waiter: FramesWaiter): void {
  waiter.framesReady();
}

export class FrameQueue implements AsyncIterableIterator<LoggedFrame>, AsyncDisposable {
  /** Frames not read yet; no array until one has to wait. */
  #frames: LoggedFrame[] | undefined;
  /** 0: no limit (a small integer keeps the field unboxed). */
  readonly #highWater: number;
  readonly #onClose: ((queue: FrameQueue) => void) | undefined;
  /** The producer's reference given in the options. */
  readonly owner: unknown;
  #closed = false;
  #ended = false;
  /** Resolves the reader's pending `next()`: set only while the reader waits on an empty queue. */
  #reader: ((result: IteratorResult<LoggedFrame>) => void) | undefined;
  /** A reader waiting through `notify` (instead of `next()`). */
  #waiter: FramesWaiter | undefined;
  #wakeProducer: (() => void) | undefined;

  constructor(options: FrameQueueOptions = {}) {
    this.#frames = options.initial?.length ? [...options.initial] : undefined;
    const highWater = options.highWater ?? 0;
    this.#highWater = Number.isFinite(highWater) && highWater > 0 ? highWater : 0;
    this.#onClose = options.onClose;
    this.owner = options.owner;
  }

  get closed(): boolean {
    return this.#closed;
  }

  #full(): boolean {
    return this.#highWater > 0 && (this.#frames?.length ?? 0) >= this.#highWater;
  }

  async push(frame: LoggedFrame): Promise<void> {
    if (this.#closed) return;
    const reader = this.#reader;
    if (reader) {
      // The reader waits, so the queue is empty: hand the frame over directly.
      this.#reader = undefined;
      reader({ done: false, value: frame });
      return;
    }
    if (this.#frames) this.#frames.push(frame);
    else this.#frames = [frame];
    this.#wakeWaiter();
    while (this.#full() && !this.#closed) {
      await new Promise<void>((resolve) => {
        this.#wakeProducer = resolve;
      });
      this.#wakeProducer = undefined;
    }
  }

  /** No more frames will come: the reader gets what is queued, then the end. */
  end(): void {
    this.#ended = true;
    this.#settleReader();
  }

  /** The reading side (the queue itself). */
  iterator(): AsyncIterableIterator<LoggedFrame> & AsyncDisposable {
    return this;
  }

  #take(): LoggedFrame | undefined {
    const frame = this.#frames?.shift();
    if (frame && !this.#full()) this.#wakeProducer?.();
    return frame;
  }

  next(): Promise<IteratorResult<LoggedFrame>> {
    if (this.#closed) return Promise.resolve(DONE);
    const frame = this.#take();
    if (frame) return Promise.resolve({ done: false, value: frame });
    if (this.#ended) return Promise.resolve(DONE);
    return new Promise((resolve) => {
      this.#reader = resolve;
    });
  }

  /** The next frame if one is queued; `null` once the queue has ended (or was closed); else undefined. */
  poll(): LoggedFrame | null | undefined {
    if (this.#closed) return null;
    const frame = this.#take();
    if (frame) return frame;
    return this.#ended ? null : undefined;
  }

  /** Calls `waiter.framesReady()` once, when `poll()` has something to return (a frame, or the end). */
  notify(waiter: FramesWaiter): void {
    if (this.#closed || this.#ended || (this.#frames?.length ?? 0) > 0) queueMicrotask(() => tell(waiter));
    else this.#waiter = waiter;
  }

  async return(): Promise<IteratorResult<LoggedFrame>> {
    this.#close();
    return DONE;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#close();
  }

  /** The reader is done: drop what is queued, stop the producer, end a pending read. */
  #close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#frames = undefined;
    this.#onClose?.(this);
    this.#settleReader();
    this.#wakeProducer?.();
  }

  /** Tells a waiting reader (in a microtask, never inside the producer's call) that it may poll. */
  #wakeWaiter(): void {
    const waiter = this.#waiter;
    if (!waiter) return;
    this.#waiter = undefined;
    queueMicrotask(() => tell(waiter));
  }

  #settleReader(): void {
    this.#wakeWaiter();
    const reader = this.#reader;
    if (!reader) return;
    this.#reader = undefined;
    reader(DONE);
  }
}
