/**
 * @module adapters/memory/memoryFrameLog
 * Per-client frame logs in process memory, bounded by count and age per client, and by bytes all clients
 * together: past `maxBytes` the oldest frames of any client go first, so results written faster than they
 * expire cannot take the process down (what is dropped is counted; a client resuming from before it gets
 * what is left). Sequences are global and increasing, so "oldest" is "lowest seq" across all logs.
 */
import { FrameQueue } from '../frameQueue.ts';
import type { AppendResult, FrameLog, LoggedFrame } from '../ports.ts';

interface TimedFrame extends LoggedFrame {
  at: number;
}

/**
 * One client's log. A replica holds one per open stream, and most have no frames and one follower, so
 * neither costs an array then: no `frames` while there are none, and a lone follower held as itself.
 */
interface ClientLog {
  /** The frames within retention, oldest first; undefined while there are none. */
  frames: TimedFrame[] | undefined;
  lastSeq: number;
  /** The client's streams here: none, one (itself), or an array of two or more. */
  followers: FrameQueue | FrameQueue[] | undefined;
}

/** A follower closed: one function for all of them (the queue's owner is its client's log). */
function unfollow(queue: FrameQueue): void {
  const log = queue.owner as ClientLog;
  const { followers } = log;
  if (followers === queue) {
    log.followers = undefined;
  } else if (Array.isArray(followers)) {
    const index = followers.indexOf(queue);
    if (index >= 0) followers.splice(index, 1);
    if (followers.length === 1) log.followers = followers[0]; // one left: held as itself again
  }
}

/** Hands a frame to each of the client's streams here. */
function tellFollowers(followers: ClientLog['followers'], frame: LoggedFrame): void {
  if (followers === undefined) return;
  if (!Array.isArray(followers)) return void followers.push(frame);
  for (const follower of followers) void follower.push(frame);
}

export interface MemoryFrameLogOptions {
  retentionMs: number;
  maxFramesPerClient: number;
  /** Characters of frame data kept, all clients together (frames are JSON text: about bytes). */
  maxBytes?: number;
  /** Told how many frames were dropped to stay within `maxBytes`. */
  onEvict?: (frames: number) => void;
  /** How long `appendAll` ids are remembered (default 120 s, as the NATS log's duplicate window). */
  dedupWindowMs?: number;
  now?: () => number;
}

/** An `appendAll` id's write: its frames are the `count` frames up to `seq` in `clientId`'s log. */
interface Written {
  clientId: string;
  seq: number;
  count: number;
  at: number;
}

/** After an eviction the log holds at most this share of `maxBytes`, so evictions are rare and batched. */
const EVICT_TO = 0.9;

/** A client's log during an eviction: `next` is its first frame not yet chosen to go. */
interface Cursor {
  log: ClientLog;
  frames: TimedFrame[];
  next: number;
}

/** Restores the min-heap order (by the sequence of each cursor's next frame) below `index`. */
function siftDown(heap: Cursor[], index: number): void {
  const key = (cursor: Cursor) => cursor.frames[cursor.next]!.seq;
  for (let i = index; ; ) {
    const left = 2 * i + 1;
    if (left >= heap.length) return;
    const right = left + 1;
    const child = right < heap.length && key(heap[right]!) < key(heap[left]!) ? right : left;
    if (key(heap[i]!) <= key(heap[child]!)) return;
    [heap[i], heap[child]] = [heap[child]!, heap[i]!];
    i = child;
  }
}

export class MemoryFrameLog implements FrameLog {
  readonly #logs = new Map<string, ClientLog>();
  readonly #options: Required<Omit<MemoryFrameLogOptions, 'onEvict'>> &
    Pick<MemoryFrameLogOptions, 'onEvict'>;
  /** Characters of frame data held in the logs. */
  #bytes = 0;
  /** `appendAll` ids within the de-duplication window, oldest first. */
  readonly #written = new Map<string, Written>();
  /**
   * One counter for all clients, starting from the clock (in microseconds), so a sequence never repeats:
   * not after a client's log is swept, not after a restart that a browser's Last-Event-ID outlives.
   */
  #seq: number;

  constructor(options: MemoryFrameLogOptions) {
    this.#options = {
      now: Date.now,
      dedupWindowMs: 120_000,
      maxBytes: Number.POSITIVE_INFINITY,
      ...options,
    };
    this.#seq = this.#options.now() * 1000;
  }

  async append(clientId: string, data: string): Promise<number> {
    return this.#append(clientId, data);
  }

  /** Synchronous, so the frames of one `appendAll` get consecutive sequences. */
  #append(clientId: string, data: string): number {
    const log = this.#log(clientId);
    const frame: TimedFrame = { seq: ++this.#seq, data, at: this.#options.now() };
    log.lastSeq = frame.seq;
    if (log.frames) log.frames.push(frame);
    else log.frames = [frame];
    this.#bytes += data.length;
    this.#trim(log);
    if (this.#bytes > this.#options.maxBytes) this.#evict();
    tellFollowers(log.followers, { seq: frame.seq, data });
    return frame.seq;
  }

  async appendAll(
    clientId: string,
    frames: readonly string[],
    options: { id?: string } = {},
  ): Promise<AppendResult> {
    if (frames.length === 0) throw new Error('appendAll needs at least one frame');
    const now = this.#options.now();
    if (options.id !== undefined) {
      this.#forgetWritten(now);
      const written = this.#written.get(options.id);
      if (written) {
        const earlier = this.#framesOf(written);
        return { seq: written.seq, duplicate: true, ...(earlier ? { earlier } : {}) };
      }
    }
    let seq = 0;
    for (const data of frames) seq = this.#append(clientId, data);
    if (options.id !== undefined)
      this.#written.set(options.id, { clientId, seq, count: frames.length, at: now });
    return { seq, duplicate: false };
  }

  async lastSeq(clientId: string): Promise<number> {
    return this.#logs.get(clientId)?.lastSeq ?? 0;
  }

  follow(clientId: string, afterSeq: number): AsyncIterableIterator<LoggedFrame> & AsyncDisposable {
    const log = this.#log(clientId);
    this.#trim(log);
    const queue = new FrameQueue({
      initial: log.frames?.filter((frame) => frame.seq > afterSeq).map(({ seq, data }) => ({ seq, data })),
      onClose: unfollow,
      owner: log,
    });
    const { followers } = log;
    if (followers === undefined) log.followers = queue;
    else if (Array.isArray(followers)) followers.push(queue);
    else log.followers = [followers, queue];
    return queue.iterator();
  }

  /** Drops logs that are empty, idle and unfollowed, so abandoned client ids do not accumulate. */
  sweep(): void {
    this.#forgetWritten(this.#options.now());
    for (const [clientId, log] of this.#logs) {
      this.#trim(log);
      if (log.frames === undefined && log.followers === undefined) this.#logs.delete(clientId);
    }
  }

  #forgetWritten(now: number): void {
    const oldest = now - this.#options.dedupWindowMs;
    for (const [id, written] of this.#written) {
      if (written.at > oldest) break;
      this.#written.delete(id);
    }
  }

  #log(clientId: string): ClientLog {
    let log = this.#logs.get(clientId);
    if (!log) {
      log = { frames: undefined, lastSeq: 0, followers: undefined };
      this.#logs.set(clientId, log);
    }
    return log;
  }

  #trim(log: ClientLog): void {
    const { frames } = log;
    if (!frames) return;
    const oldest = this.#options.now() - this.#options.retentionMs;
    let drop = Math.max(0, frames.length - this.#options.maxFramesPerClient);
    while (drop < frames.length && (frames[drop]?.at ?? Infinity) < oldest) drop++;
    this.#drop(log, drop);
  }

  /** Removes the `count` oldest frames of a log. */
  #drop(log: ClientLog, count: number): void {
    const { frames } = log;
    if (!frames || count === 0) return;
    for (let i = 0; i < count; i++) this.#bytes -= frames[i]!.data.length;
    if (count === frames.length) log.frames = undefined;
    else frames.splice(0, count);
  }

  /**
   * The frames an earlier `appendAll` stored, while its client's log still holds all of them (they are
   * not kept twice: the log is where they live).
   */
  #framesOf(written: Written): string[] | undefined {
    const frames = this.#logs.get(written.clientId)?.frames;
    if (!frames) return undefined;
    const first = written.seq - written.count + 1;
    const at = frames.findIndex((frame) => frame.seq >= first);
    if (at < 0 || frames[at]!.seq !== first || frames.length < at + written.count) return undefined;
    return frames.slice(at, at + written.count).map((frame) => frame.data);
  }

  /**
   * Drops the oldest frames of all clients until the log holds at most EVICT_TO of `maxBytes`. Each log is
   * in sequence order and sequences are global, so the oldest frames overall come from merging the logs'
   * fronts: a min-heap of logs by their next frame's sequence. Work is proportional to the frames dropped
   * (times log₂ of the clients holding frames), not to all frames held, so the event loop is not stalled.
   */
  #evict(): void {
    const excess = this.#bytes - Math.floor(this.#options.maxBytes * EVICT_TO);
    const heap: Cursor[] = [];
    for (const log of this.#logs.values()) if (log.frames) heap.push({ log, frames: log.frames, next: 0 });
    const cursors = [...heap];
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) siftDown(heap, i);
    let freed = 0;
    while (freed < excess && heap.length > 0) {
      const oldest = heap[0]!;
      freed += oldest.frames[oldest.next++]!.data.length;
      if (oldest.next === oldest.frames.length) {
        const last = heap.pop()!;
        if (heap.length === 0) break;
        heap[0] = last;
      }
      siftDown(heap, 0);
    }
    let evicted = 0;
    for (const { log, next } of cursors) {
      if (next === 0) continue;
      this.#drop(log, next);
      evicted += next;
    }
    if (evicted > 0) this.#options.onEvict?.(evicted);
  }
}
