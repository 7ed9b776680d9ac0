/**
 * @module waiting/mailbox
 * Values that arrive by key (a `playbook/result` by request id, a terminal `playbook/state` by
 * execution id) meet whoever waits for them, in either order. A value that arrives before anyone asks
 * is kept for a while: the gateway may push a result before the HTTP answer that names its request id
 * reaches the caller (the SPAs' "result before registration" race, handled here once).
 */

export interface MailboxOptions {
  /** How long an unclaimed value is kept. Default 5 minutes, as the React example's cache. */
  ttlMs?: number;
  /** Bound on kept values; the oldest go first. Default 1000. */
  maxEntries?: number;
}

export interface WaitOptions {
  /** Reject with `timeoutError()` after this long. No deadline when undefined. */
  timeoutMs?: number | undefined;
  timeoutError: () => Error;
  signal?: AbortSignal | undefined;
}

interface Waiter<V> {
  resolve(value: V): void;
  reject(error: unknown): void;
}

export class Mailbox<V> {
  readonly #entries = new Map<string, { value: V; expiresAt: number }>();
  readonly #waiters = new Map<string, Set<Waiter<V>>>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(options: MailboxOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 300_000;
    this.#maxEntries = options.maxEntries ?? 1000;
  }

  /** Hands the value to every current waiter of `key` and keeps it for later ones. */
  deliver(key: string, value: V): void {
    this.#evict();
    this.#entries.delete(key); // re-insert so the newest is last in iteration order
    this.#entries.set(key, { value, expiresAt: Date.now() + this.#ttlMs });
    const waiters = this.#waiters.get(key);
    this.#waiters.delete(key);
    for (const waiter of waiters ?? []) waiter.resolve(value);
  }

  peek(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry || entry.expiresAt <= Date.now()) return undefined;
    return entry.value;
  }

  wait(key: string, options: WaitOptions): Promise<V> {
    const kept = this.peek(key);
    if (kept !== undefined) return Promise.resolve(kept);
    if (options.signal?.aborted) return Promise.reject(options.signal.reason);
    return new Promise<V>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const onAbort = () => settle(() => reject(options.signal?.reason));
      const settle = (finish: () => void) => {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        this.#waiters.get(key)?.delete(waiter);
        if (this.#waiters.get(key)?.size === 0) this.#waiters.delete(key);
        finish();
      };
      const waiter: Waiter<V> = {
        resolve: (value) => settle(() => resolve(value)),
        reject: (error) => settle(() => reject(error)),
      };
      let set = this.#waiters.get(key);
      if (!set) {
        set = new Set();
        this.#waiters.set(key, set);
      }
      set.add(waiter);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.timeoutMs !== undefined)
        timer = setTimeout(() => waiter.reject(options.timeoutError()), options.timeoutMs);
    });
  }

  /** Rejects every waiter (the client closed or the session ended); kept values stay. */
  rejectAll(error: Error): void {
    const all = [...this.#waiters.values()].flatMap((set) => [...set]);
    this.#waiters.clear();
    for (const waiter of all) waiter.reject(error);
  }

  get waiting(): number {
    let count = 0;
    for (const set of this.#waiters.values()) count += set.size;
    return count;
  }

  #evict(): void {
    const now = Date.now();
    for (const [key, entry] of this.#entries) if (entry.expiresAt <= now) this.#entries.delete(key);
    while (this.#entries.size >= this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#entries.delete(oldest.value);
    }
  }
}
