/**
 * @module adapters/memory/memoryKeyValueStore
 * In-process K/V buckets with a bucket-wide TTL, for the embedded (single replica) mode.
 */
import type { KeyValueBucket, KeyValueStore } from '../ports.ts';

interface Entry {
  value: string;
  expiresAt: number;
}

const SWEEP_EVERY_WRITES = 1024;

export class MemoryKeyValueBucket implements KeyValueBucket {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #now: () => number;
  #writes = 0;

  constructor(ttlSeconds: number, now: () => number = Date.now) {
    this.#ttlMs = ttlSeconds * 1000;
    this.#now = now;
  }

  async get(key: string): Promise<string | null> {
    return this.#live(key)?.value ?? null;
  }

  async put(key: string, value: string): Promise<void> {
    this.#entries.delete(key); // re-insert so iteration order follows write time (oldest first)
    this.#entries.set(key, { value, expiresAt: this.#now() + this.#ttlMs });
    if (++this.#writes % SWEEP_EVERY_WRITES === 0) this.#sweep();
  }

  async create(key: string, value: string): Promise<boolean> {
    if (this.#live(key)) return false;
    await this.put(key, value);
    return true;
  }

  async delete(key: string): Promise<void> {
    this.#entries.delete(key);
  }

  async keys(prefix: string): Promise<string[]> {
    const found: string[] = [];
    for (const key of this.#entries.keys()) {
      if (key.startsWith(prefix) && this.#live(key)) found.push(key);
    }
    return found;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #sweep(): void {
    const now = this.#now();
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > now) break; // insertion order is expiry order
      this.#entries.delete(key);
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
