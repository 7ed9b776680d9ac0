/**
 * @module api/fixedWindowLimiter
 * At most `limit` events per key per window (e.g. logins per client address per minute), in bounded
 * memory: the table is cleared at each new window.
 */
export class FixedWindowLimiter {
  readonly #limit: number;
  readonly #windowMs: number;
  readonly #maxKeys: number;
  #windowStart = 0;
  #counts = new Map<string, number>();

  constructor(options: { limit: number; windowMs: number; maxKeys?: number }) {
    this.#limit = options.limit;
    this.#windowMs = options.windowMs;
    this.#maxKeys = options.maxKeys ?? 100_000;
  }

  /**
   * Counts one event for `key`.
   * @returns 0 when allowed, else the seconds until the window ends.
   */
  take(key: string, now = Date.now()): number {
    if (now - this.#windowStart >= this.#windowMs) {
      this.#windowStart = now;
      this.#counts = new Map();
    }
    // A flood of distinct keys cannot grow memory: past the bound, new keys share one count.
    const slot = this.#counts.has(key) || this.#counts.size < this.#maxKeys ? key : '';
    const count = (this.#counts.get(slot) ?? 0) + 1;
    this.#counts.set(slot, count);
    if (count <= this.#limit) return 0;
    return Math.max(1, Math.ceil((this.#windowStart + this.#windowMs - now) / 1000));
  }
}
