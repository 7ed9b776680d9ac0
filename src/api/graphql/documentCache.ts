/**
 * @module api/graphql/documentCache
 * A least-recently-used map bounded by entries and by the total length of its keys (GraphQL query texts:
 * what a parsed document costs in memory grows with it), so a stream of distinct or huge queries cannot
 * grow it without end.
 */

export interface DocumentCacheOptions {
  /** Entries kept at most. */
  maxEntries: number;
  /** Total length of the keys kept at most; a longer key alone is never kept. */
  maxKeyChars: number;
}

export class DocumentCache<V> {
  readonly #entries = new Map<string, V>();
  readonly #maxEntries: number;
  readonly #maxKeyChars: number;
  #keyChars = 0;

  constructor(options: DocumentCacheOptions) {
    this.#maxEntries = options.maxEntries;
    this.#maxKeyChars = options.maxKeyChars;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The value of `key`, which becomes the most recently used. */
  get(key: string): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined) {
      // Map keeps insertion order: re-inserting moves the key to the young end.
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: V): void {
    if (this.#maxEntries < 1 || key.length > this.#maxKeyChars) return;
    if (this.#entries.delete(key)) this.#keyChars -= key.length;
    this.#entries.set(key, value);
    this.#keyChars += key.length;
    for (const oldest of this.#entries.keys()) {
      if (this.#entries.size <= this.#maxEntries && this.#keyChars <= this.#maxKeyChars) break;
      this.#entries.delete(oldest);
      this.#keyChars -= oldest.length;
    }
  }
}
