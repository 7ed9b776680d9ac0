/**
 * @module adapters/memory/memoryFrameLog
 * Per-client frame logs in process memory, bounded by count and age.
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
  /** How long `appendAll` ids are remembered (default 120 s, as the NATS log's duplicate window). */
  dedupWindowMs?: number;
  now?: () => number;
}

interface Written {
  seq: number;
  frames: string[];
  at: number;
}

export class MemoryFrameLog implements FrameLog {
  readonly #logs = new Map<string, ClientLog>();
  readonly #options: Required<MemoryFrameLogOptions>;
  /** `appendAll` ids within the de-duplication window, oldest first. */
  readonly #written = new Map<string, Written>();
  /**
   * One counter for all clients, starting from the clock (in microseconds), so a sequence never repeats:
   * not after a client's log is swept, not after a restart that a browser's Last-Event-ID outlives.
   */
  #seq: number;

  constructor(options: MemoryFrameLogOptions) {
    this.#options = { now: Date.now, dedupWindowMs: 120_000, ...options };
    this.#seq = this.#options.now() * 1000;
  }

  async append(clientId: string, data: string): Promise<number> {
    const log = this.#log(clientId);
    const frame: TimedFrame = { seq: ++this.#seq, data, at: this.#options.now() };
    log.lastSeq = frame.seq;
    if (log.frames) log.frames.push(frame);
    else log.frames = [frame];
    this.#trim(log);
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
      const earlier = this.#written.get(options.id);
      if (earlier) return { seq: earlier.seq, duplicate: true, earlier: [...earlier.frames] };
    }
    let seq = 0;
    for (const data of frames) seq = await this.append(clientId, data);
    if (options.id !== undefined) this.#written.set(options.id, { seq, frames: [...frames], at: now });
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
    if (drop === frames.length) log.frames = undefined;
    else if (drop > 0) frames.splice(0, drop);
  }
}
