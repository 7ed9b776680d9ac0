/**
 * @module core/executions/pendingCounter
 * How many requests of a session await their result, without listing them: O(1) work per execute
 * whatever the count (listing a session's requests made N executes cost O(N²)).
 *
 * Design (a PN-counter sharded by replica, with expiring time windows):
 * - Each replica keeps its own counts per session in memory, split by the time window (`span` seconds) in
 *   which the requests were created, and writes them to one K/V entry per session and replica,
 *   `<session key>.r.<replica id>`. Only that replica writes that key, so no write ever conflicts and no
 *   revision check is needed; this replica's writes to one key are serialised and coalesced.
 * - A session's count = this replica's counts (memory) + the other replicas' entries (one key listing of
 *   `<session key>.r.` — as many keys as replicas, not as requests — and a read of each).
 * - A request is counted in the window of its `created_at` (stored with it), so whichever replica removes
 *   it subtracts from that same window, in its own entry (which may go negative; sums are per window).
 * - Expiry: a request lives at most the request TTL after it was created, so a window is dropped once its
 *   last second is a TTL old. A request that expires unanswered therefore stops counting at most `span`
 *   seconds after it is gone: the count cannot drift upward for longer than TTL + span. Entries of a
 *   replica that stopped expire with the bucket TTL.
 * - Within one replica the check and the increment happen in the same synchronous step, so concurrent
 *   executes of one session never pass the limit. Across replicas, executes racing on different replicas
 *   may pass it by the number racing (each sees the others' counts once written).
 * - With stores no other replica reads (the embedded mode), the counts stay in memory: no entry is written
 *   or listed, which was a K/V listing, a serialisation and a write per execute and per callback for nothing.
 */
import type { KeyValueBucket } from '../../adapters/ports.ts';

export interface PendingCounterOptions {
  /** Lifetime of a pending request (the `requests` bucket TTL). */
  ttlSeconds: number;
  /** This replica's id in the counter keys; random by default. */
  replicaId: string;
  /** False when no other replica shares the bucket (embedded stores): counts are never written or read. */
  shared?: boolean;
  now?: () => number;
}

/** Window start (seconds) → count. */
type Windows = Map<number, number>;

interface Entry {
  span: number;
  ttl: number;
  counts: Record<string, number>;
}

interface Flush {
  /** A write not started yet: it will serialise the counts when it starts, so it carries every change so far. */
  queued: Promise<void> | undefined;
  tail: Promise<void>;
}

const SWEEP_EVERY = 1024;

/** Windows per TTL: the counts stay small (≤ ~31 numbers per entry) and expire in steps of TTL/30. */
export function windowSpan(ttlSeconds: number): number {
  return Math.max(1, Math.ceil(ttlSeconds / 30));
}

export class PendingCounter {
  readonly #bucket: KeyValueBucket;
  readonly #ttl: number;
  readonly #span: number;
  readonly #replica: string;
  readonly #now: () => number;
  readonly #shared: boolean;
  readonly #own = new Map<string, Windows>();
  readonly #flushes = new Map<string, Flush>();
  #operations = 0;

  constructor(bucket: KeyValueBucket, options: PendingCounterOptions) {
    this.#bucket = bucket;
    this.#ttl = options.ttlSeconds;
    this.#span = windowSpan(options.ttlSeconds);
    this.#replica = options.replicaId;
    this.#now = options.now ?? Date.now;
    this.#shared = options.shared ?? true;
  }

  /** The session's pending requests, on every replica. */
  async count(session: string): Promise<number> {
    const others = await this.#others(session);
    return this.#total(session, others);
  }

  /**
   * Counts one more request of the session, created at `createdAt` (seconds), unless it already has
   * `limit`: then false and nothing changes. Resolves once the new count is written for other replicas.
   */
  async reserve(session: string, createdAt: number, limit: number): Promise<boolean> {
    const others = await this.#others(session);
    // Check and increment in one synchronous step: concurrent reserves on this replica see each other.
    if (this.#total(session, others) >= limit) return false;
    this.#add(session, createdAt, 1);
    if (!this.#shared) return true;
    try {
      await this.#flush(session);
    } catch (error) {
      this.#add(session, createdAt, -1);
      this.#flush(session).catch(() => undefined);
      throw error;
    }
    return true;
  }

  /** One request of the session created at `createdAt` no longer waits (delivered, removed, never started). */
  async release(session: string, createdAt: number): Promise<void> {
    if (this.#expired(this.#windowOf(createdAt), this.#span, this.#ttl, this.#nowSecs())) return;
    this.#add(session, createdAt, -1);
    if (this.#shared) await this.#flush(session);
  }

  #nowSecs(): number {
    return Math.floor(this.#now() / 1000);
  }

  #windowOf(createdAt: number): number {
    return createdAt - (((createdAt % this.#span) + this.#span) % this.#span);
  }

  #expired(start: number, span: number, ttl: number, nowSecs: number): boolean {
    return start + span + ttl <= nowSecs;
  }

  #key(session: string, replica = this.#replica): string {
    return `${session}.r.${replica}`;
  }

  #add(session: string, createdAt: number, delta: number): void {
    const start = this.#windowOf(createdAt);
    let windows = this.#own.get(session);
    if (!windows) {
      windows = new Map();
      this.#own.set(session, windows);
    }
    const next = (windows.get(start) ?? 0) + delta;
    if (next === 0) windows.delete(start);
    else windows.set(start, next);
    if (++this.#operations % SWEEP_EVERY === 0) this.#sweep();
  }

  /** Counts per window of the other replicas' entries that are still live. */
  async #others(session: string): Promise<Windows> {
    if (!this.#shared) return new Map();
    const own = this.#key(session);
    const keys = (await this.#bucket.keys(`${session}.r.`)).filter((key) => key !== own);
    const merged: Windows = new Map();
    if (keys.length === 0) return merged;
    const now = this.#nowSecs();
    const values = await Promise.all(keys.map((key) => this.#bucket.get(key)));
    for (const raw of values) {
      const entry = parseEntry(raw);
      if (!entry) continue;
      for (const [start, count] of Object.entries(entry.counts)) {
        const at = Number(start);
        if (!Number.isFinite(at) || !Number.isFinite(count)) continue;
        if (this.#expired(at, entry.span, entry.ttl, now)) continue;
        merged.set(at, (merged.get(at) ?? 0) + count);
      }
    }
    return merged;
  }

  /** This replica's live counts plus `others`, per window, never below zero in a window. */
  #total(session: string, others: Windows): number {
    const now = this.#nowSecs();
    const merged = new Map(others);
    const windows = this.#own.get(session);
    if (windows) {
      for (const [start, count] of windows) {
        if (this.#expired(start, this.#span, this.#ttl, now)) {
          windows.delete(start);
          continue;
        }
        merged.set(start, (merged.get(start) ?? 0) + count);
      }
      if (windows.size === 0) this.#own.delete(session);
    }
    let total = 0;
    for (const count of merged.values()) if (count > 0) total += count;
    return total;
  }

  /** Writes this replica's counts of the session; writes of one key never overlap or reorder. */
  #flush(session: string): Promise<void> {
    let flush = this.#flushes.get(session);
    if (!flush) {
      flush = { queued: undefined, tail: Promise.resolve() };
      this.#flushes.set(session, flush);
    }
    if (flush.queued) return flush.queued;
    const state = flush;
    const write = state.tail
      .catch(() => undefined)
      .then(async () => {
        state.queued = undefined;
        await this.#bucket.put(this.#key(session), this.#serialise(session));
      });
    state.queued = write;
    state.tail = write;
    write.then(
      () => this.#settled(session, state, write),
      () => this.#settled(session, state, write),
    );
    return write;
  }

  #settled(session: string, state: Flush, write: Promise<void>): void {
    if (state.tail === write && !state.queued && this.#flushes.get(session) === state)
      this.#flushes.delete(session);
  }

  #serialise(session: string): string {
    const counts: Record<string, number> = {};
    for (const [start, count] of this.#own.get(session) ?? []) counts[start] = count;
    const entry: Entry = { span: this.#span, ttl: this.#ttl, counts };
    return JSON.stringify(entry);
  }

  /** Drops windows (and sessions) that expired, so memory follows the live sessions. */
  #sweep(): void {
    const now = this.#nowSecs();
    for (const [session, windows] of this.#own) {
      for (const start of windows.keys())
        if (this.#expired(start, this.#span, this.#ttl, now)) windows.delete(start);
      if (windows.size === 0 && !this.#flushes.has(session)) this.#own.delete(session);
    }
  }
}

function parseEntry(raw: string | null): Entry | undefined {
  if (!raw) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<Entry>;
    if (
      typeof value.span !== 'number' ||
      typeof value.ttl !== 'number' ||
      !value.counts ||
      typeof value.counts !== 'object'
    )
      return undefined;
    return value as Entry;
  } catch {
    return undefined;
  }
}
