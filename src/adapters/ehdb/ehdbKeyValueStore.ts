/**
 * @module adapters/ehdb/ehdbKeyValueStore
 * K/V buckets on EHDB's KV face (v3.x's home of `sessions` and `requests`). Values are the same JSON
 * documents as in NATS K/V; every write carries the bucket's TTL as a per-key `ttl_ms`, as the reference
 * sends it. A failed call (`ok: false`, no answer, no connection) is `EhdbUnavailableError` — never a miss.
 *
 * The face has Get, Put, Delete and Scan only; the port's conditional operations are built on them:
 * - a revision is a hash of the value (the face keeps none), so it changes when the value does;
 * - `create` and `deleteIfRevision` read, compare, then write, one at a time per key in this process.
 *   Across replicas they are not atomic: two replicas removing the same request at the same instant may
 *   both succeed (the per-session pending counter then counts one request too few until it expires).
 * - `keys` scans the bucket. The gateway keeps only `sessions` and `requests` here, which it never lists.
 */
import { createHash } from 'node:crypto';
import type { KeyValueBucket, KeyValueStore } from '../ports.ts';
import { type EhdbKvClient, EhdbUnavailableError } from './kvClient.ts';
import type { KvRequest, KvResponse } from './kvProtocol.ts';

/** A revision for a value: 48 bits of its SHA-256 (an exact JavaScript integer), never 0. */
export function revisionOf(value: string): number {
  return createHash('sha256').update(value).digest().readUIntBE(0, 6) || 1;
}

export class EhdbKeyValueBucket implements KeyValueBucket {
  readonly name: string;
  readonly #client: EhdbKvClient;
  readonly #ttlMs: number;
  /** The tail of each key's queue of conditional operations in this process. */
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(client: EhdbKvClient, name: string, ttlSeconds: number) {
    this.#client = client;
    this.name = name;
    this.#ttlMs = ttlSeconds * 1000;
  }

  async get(key: string): Promise<string | null> {
    return (await this.#call({ Get: { bucket: this.name, key } }, key)).value ?? null;
  }

  async entry(key: string): Promise<{ value: string; revision: number } | null> {
    const value = await this.get(key);
    return value === null ? null : { value, revision: revisionOf(value) };
  }

  async put(key: string, value: string): Promise<number> {
    await this.#call({ Put: { bucket: this.name, key, value, ttl_ms: this.#ttlMs } }, key);
    return revisionOf(value);
  }

  create(key: string, value: string): Promise<boolean> {
    return this.#serialized(key, async () => {
      if ((await this.get(key)) !== null) return false;
      await this.put(key, value);
      return true;
    });
  }

  async delete(key: string): Promise<void> {
    await this.#call({ Delete: { bucket: this.name, key } }, key);
  }

  deleteIfRevision(key: string, revision: number): Promise<boolean> {
    return this.#serialized(key, async () => {
      const current = await this.get(key);
      if (current === null || revisionOf(current) !== revision) return false;
      await this.delete(key);
      return true;
    });
  }

  async keys(prefix: string): Promise<string[]> {
    const { entries = [] } = await this.#call({ Scan: { bucket: this.name } });
    return entries.map(([key]) => key).filter((key) => key.startsWith(prefix));
  }

  /** One cheap read within `timeoutMs` (readiness): rejects when the face does not answer `ok`. */
  async probe(timeoutMs: number): Promise<void> {
    await this.#call({ Get: { bucket: this.name, key: '__probe__' } }, undefined, timeoutMs);
  }

  async #call(request: KvRequest, key?: string, timeoutMs?: number): Promise<KvResponse> {
    const response = await this.#client.call(request, timeoutMs);
    if (response.ok) return response;
    const operation = Object.keys(request)[0];
    // The store's message may quote the key — a session token in the `sessions` bucket: never log that.
    const detail = response.err && key ? response.err.replaceAll(key, '***') : response.err;
    throw new EhdbUnavailableError(
      `EHDB KV ${operation} on bucket ${this.name} failed${detail ? `: ${detail.slice(0, 200)}` : ''}`,
    );
  }

  async #serialized<T>(key: string, operation: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(key) ?? Promise.resolve();
    const run = previous.then(operation, operation);
    const tail = run.catch(() => {});
    this.#locks.set(key, tail);
    try {
      return await run;
    } finally {
      if (this.#locks.get(key) === tail) this.#locks.delete(key);
    }
  }
}

export class EhdbKeyValueStore implements KeyValueStore {
  readonly #client: EhdbKvClient;
  readonly #buckets = new Map<string, EhdbKeyValueBucket>();

  constructor(client: EhdbKvClient) {
    this.#client = client;
  }

  /** The face creates buckets on first write: nothing to bind. The bucket's TTL goes with every write. */
  async bucket(name: string, options: { ttlSeconds: number }): Promise<EhdbKeyValueBucket> {
    let bucket = this.#buckets.get(name);
    if (!bucket) {
      bucket = new EhdbKeyValueBucket(this.#client, name, options.ttlSeconds);
      this.#buckets.set(name, bucket);
    }
    return bucket;
  }

  /** Buckets handed out so far (the readiness probe reads one of them). */
  get buckets(): EhdbKeyValueBucket[] {
    return [...this.#buckets.values()];
  }
}

/**
 * A store that keeps the named buckets on `ehdb` and every other on `rest`: with EHDB, the reference's
 * `sessions` and `requests` live where v3.x keeps them, the gateway's own buckets (client ownership,
 * indexes, watchers, counters — some need atomic create-if-absent) where its frames and bus are.
 */
export function bucketsOn(ehdb: KeyValueStore, names: Iterable<string>, rest: KeyValueStore): KeyValueStore {
  const onEhdb = new Set(names);
  return {
    bucket: (name, options) => (onEhdb.has(name) ? ehdb : rest).bucket(name, options),
  };
}
