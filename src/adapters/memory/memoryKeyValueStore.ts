/**
 * @module adapters/memory/memoryKeyValueStore
 * In-process K/V buckets with a bucket-wide TTL, for the embedded (single replica) mode.
 */
import type { KeyValueBucket, KeyValueStore } from '../ports.ts';

interface Entry {
  value: string;
  expiresAt: number;
  revision: number;
}

const SWEEP_EVERY_WRITES = 1024;

/**
 * The first dot-separated token of a key: indexes use `<owner>.<item>` keys and list by `<owner>.`. Keys
 * without a dot have none: no `<token>.` prefix can match them, so they are not indexed (a Set per key
 * would cost ~200 bytes per SSE client id).
 */
function firstToken(key: string): string | undefined {
  const dot = key.indexOf('.');
  return dot < 0 ? undefined : key.slice(0, dot);
}

export class MemoryKeyValueBucket implements KeyValueBucket {
  readonly #entries = new Map<string, Entry>();
  /** Keys by first token, so `keys('<token>.')` does not scan the bucket. */
  readonly #byFirstToken = new Map<string, Set<string>>();
  readonly #ttlMs: number;
  readonly #now: () => number;
  #writes = 0;
  /** Revisions count writes of the whole bucket, as a JetStream stream's sequence does. */
  #revision = 0;

  constructor(ttlSeconds: number, now: () => number = Date.now) {
    this.#ttlMs = ttlSeconds * 1000;
    this.#now = now;
  }

  async get(key: string): Promise<string | null> {
    return this.#live(key)?.value ?? null;
  }

  async entry(key: string): Promise<{ value: string; revision: number } | null> {
    const entry = this.#live(key);
    return entry ? { value: entry.value, revision: entry.revision } : null;
  }

  async put(key: string, value: string): Promise<number> {
    const revision = ++this.#revision;
    this.#entries.delete(key); // re-insert so iteration order follows write time (oldest first)
    this.#entries.set(key, { value, expiresAt: this.#now() + this.#ttlMs, revision });
    const token = firstToken(key);
    if (token !== undefined) {
      let keys = this.#byFirstToken.get(token);
      if (!keys) {
        keys = new Set();
        this.#byFirstToken.set(token, keys);
      }
      keys.add(key);
    }
    if (++this.#writes % SWEEP_EVERY_WRITES === 0) this.#sweep();
    return revision;
  }

  async create(key: string, value: string): Promise<boolean> {
    if (this.#live(key)) return false;
    await this.put(key, value);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.#remove(key);
  }

  async deleteIfRevision(key: string, revision: number): Promise<boolean> {
    if (this.#live(key)?.revision !== revision) return false;
    this.#remove(key);
    return true;
  }

  async keys(prefix: string): Promise<string[]> {
    const dot = prefix.indexOf('.');
    const candidates = dot < 0 ? this.#entries.keys() : (this.#byFirstToken.get(prefix.slice(0, dot)) ?? []);
    const found: string[] = [];
    for (const key of [...candidates]) {
      if (key.startsWith(prefix) && this.#live(key)) found.push(key);
    }
    return found;
  }

  #remove(key: string): void {
    if (!this.#entries.delete(key)) return;
    const token = firstToken(key);
    if (token === undefined) return;
    const keys = this.#byFirstToken.get(token);
    keys?.delete(key);
    if (keys?.size === 0) this.#byFirstToken.delete(token);
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#remove(key);
      return undefined;
    }
    return entry;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) break; // insertion order is expiry order
      this.#remove(key);
    }
  }
}

export class MemoryKeyValueStore implements KeyValueStore {
  readonly #buckets = new Map<string, MemoryKeyValueBucket>();

  async bucket(name: string, options: { ttlSeconds: number }): Promise<KeyValueBucket> {
    let bucket = this.#buckets.get(name);
    if (!bucket) {
      bucket = new MemoryKeyValueBucket(options.ttlSeconds);
      this.#buckets.set(name, bucket);
    }
    return bucket;
  }
}
