/**
 * @module adapters/ehdb/feedCursor
 * Where the event feed's readers are, kept in a shared K/V bucket (`gateway_event_feed`, key
 * `cursor.<shard>`, the highest id handled by any replica) so that:
 * - a restarted gateway resumes where the fleet stopped instead of re-reading the feed from its beginning
 *   (the reference's reader starts at 0 on every start);
 * - with a shared frame log (NATS), a replica that fell behind — its feed connection was down for a while —
 *   skips what the others already routed instead of sending those frames a second time. Replicas reading
 *   live route the same events at about the same time; those writes carry one id per event and client, and
 *   the frame log stores the first only (its de-duplication window).
 *
 * The stored value only ever moves forward from this replica's view (read, compare, write once a second);
 * two replicas writing at once may move it back a little, which costs a few events read twice, deduplicated.
 */
import type { KeyValueBucket } from '../ports.ts';
import { BACKOFF, type EhdbLogger, silentLogger } from './kvClient.ts';

const DIGITS = /^\d{1,20}$/;

export interface FeedCursorOptions {
  bucket: KeyValueBucket;
  /** The key of this shard's cursor. */
  key: string;
  /** Frames are shared with other replicas (NATS): events they routed are skipped here. */
  shared: boolean;
  /** How often the cursor is written (and the others' read); default 1000 ms. */
  flushMs?: number;
  logger?: EhdbLogger;
}

function max(a: string, b: string): string {
  return BigInt(a) >= BigInt(b) ? a : b;
}

export class FeedCursor {
  readonly #options: FeedCursorOptions & { flushMs: number; logger: EhdbLogger };
  /** The highest id this replica handled. */
  #own = '0';
  /** The highest id stored (by any replica) when last read. */
  #stored = '0';
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> | undefined;
  #closed = false;
  #loaded = false;
  /** Ends the wait between two load attempts early (close). */
  #wake: (() => void) | undefined;

  constructor(options: FeedCursorOptions) {
    this.#options = { flushMs: 1000, logger: silentLogger, ...options };
  }

  /**
   * Reads the stored cursor — waiting, with backoff, while the bucket does not answer: starting from 0
   * instead would send old events again — and starts writing it. Resolves with where to start reading.
   */
  async load(): Promise<string> {
    let backoffMs: number = BACKOFF.initialMs;
    let warned = false;
    while (!this.#closed) {
      try {
        const value = (await this.#options.bucket.get(this.#options.key))?.trim();
        this.#stored = value && DIGITS.test(value) ? value : '0';
        this.#own = this.#stored;
        this.#loaded = true;
        this.#timer = setInterval(() => void this.flush(), this.#options.flushMs);
        this.#timer.unref();
        return this.#own;
      } catch (error) {
        if (!warned)
          this.#options.logger.warn(
            { err: error },
            'EHDB event feed: the stored cursor cannot be read yet; lifecycle events wait for it',
          );
        warned = true;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, backoffMs);
          this.#wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.#wake = undefined;
        backoffMs = Math.min(backoffMs * 2, BACKOFF.maxMs);
      }
    }
    return '0';
  }

  advance(id: string): void {
    this.#own = max(this.#own, id);
  }

  /** With shared frames: whether the stored cursor (another replica's progress) has passed `id`. */
  routedElsewhere(id: string): boolean {
    return this.#options.shared && BigInt(id) <= BigInt(this.#stored);
  }

  /** Writes this replica's progress if it is ahead of the stored one, and learns the others'. */
  flush(): Promise<void> {
    this.#flushing ??= this.#flush().finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  async #flush(): Promise<void> {
    const { bucket, key } = this.#options;
    try {
      const value = (await bucket.get(key))?.trim();
      const stored = value && DIGITS.test(value) ? value : '0';
      if (BigInt(this.#own) > BigInt(stored)) await bucket.put(key, this.#own);
      this.#stored = max(stored, this.#own);
    } catch {
      // The store is away: the next tick tries again (the feed's own cursor is unaffected).
    }
  }

  /** Stops loading or ticking; once loaded, writes one last time. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#wake?.();
    clearInterval(this.#timer);
    if (this.#loaded) await this.flush();
  }
}
