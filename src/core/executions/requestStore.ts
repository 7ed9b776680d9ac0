/**
 * @module core/executions/requestStore
 * Pending requests (`requests` bucket, keyed by request id, reference value shape), an index
 * `<client_id>.<request_id>` so a client's requests are listed without scanning the bucket, and a counter
 * per session (core/executions/pendingCounter) so the per-session limit costs O(1) per execute. The
 * counter entries live in the third bucket (formerly an index by session), keyed `<session key>.r.<replica>`.
 *
 * Counting: `reserve` before starting the execution, `unreserve` when it did not start or could not be
 * stored, `remove` when its result is delivered. Expired requests stop counting with their time window.
 *
 * Requests saved by this replica are also kept here (bounded, until they expire), so a callback that lands
 * on the replica that started the execution finds its request without a round trip. Removal is a
 * compare-and-delete on the revision the request was read with: of two removals of one request (a
 * duplicated callback, on any replicas) exactly one wins and uncounts it. A replica removing a request it
 * did not save tells the others on the bus, so the one keeping a copy drops it; a copy kept while the bus
 * was away is dropped too (it may have missed that message). With embedded stores (one replica) copies are
 * kept too: every removal is this replica's own. Shared stores without a bus keep none.
 */
import { randomUUID } from 'node:crypto';
import type { KeyValueBucket, MessageBus } from '../../adapters/ports.ts';
import { PendingRequest } from '../../contract/index.ts';
import { parseJsonLossless } from '../../lib/losslessJson.ts';
import { sessionKey } from '../sessions/sessionKey.ts';
import { PendingCounter } from './pendingCounter.ts';

export interface RequestStoreOptions {
  /** TTL of the `requests` bucket: how long an unanswered request keeps counting. Default 1800 (the config default). */
  ttlSeconds?: number;
  /** This replica's id in the counter keys (random by default). */
  replicaId?: string;
  /** False when no other replica reads these buckets (embedded stores): the counters stay in memory. */
  shared?: boolean;
  now?: () => number;
  /** Where removals are announced to the other replicas (none: this replica keeps no copies). */
  bus?: MessageBus;
  /** Subject of those announcements (default `gateway.requests.removed`). */
  removedSubject?: string;
  /** Requests of this replica kept in memory at most (the oldest are dropped past it; default 100,000). */
  maxKept?: number;
}

/** A pending request with the revision it was stored (or read) with. */
export interface FoundRequest {
  requestId: string;
  request: PendingRequest;
  revision: number;
}

interface Kept {
  request: PendingRequest;
  revision: number;
  expiresAt: number;
}

export class RequestStore implements Disposable {
  readonly #requests: KeyValueBucket;
  readonly #byClient: KeyValueBucket;
  readonly #counter: PendingCounter;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #bus: MessageBus | undefined;
  readonly #removedSubject: string;
  readonly #maxKept: number;
  /** Requests saved by this replica, oldest first. */
  readonly #kept = new Map<string, Kept>();
  readonly #removals: Disposable | undefined;

  constructor(
    requests: KeyValueBucket,
    byClient: KeyValueBucket,
    counters: KeyValueBucket,
    options: RequestStoreOptions = {},
  ) {
    this.#requests = requests;
    this.#byClient = byClient;
    const ttlSeconds = options.ttlSeconds ?? 1800;
    this.#ttlMs = ttlSeconds * 1000;
    this.#now = options.now ?? Date.now;
    this.#counter = new PendingCounter(counters, {
      ttlSeconds,
      replicaId: options.replicaId ?? randomUUID(),
      shared: options.shared ?? true,
      now: options.now,
    });
    this.#bus = options.bus;
    this.#removedSubject = options.removedSubject ?? 'gateway.requests.removed';
    // Copies are safe where every removal is seen: announced on the bus, or made by this one replica.
    const seesRemovals = options.bus !== undefined || options.shared === false;
    this.#maxKept = seesRemovals ? (options.maxKept ?? 100_000) : 0;
    this.#removals = options.bus?.subscribe(
      this.#removedSubject,
      (_subject, requestId) => {
        this.#kept.delete(requestId);
        return undefined;
      },
      { onGap: () => this.#kept.clear() },
    );
  }

  /** Stops listening to removals by other replicas (shutdown). */
  [Symbol.dispose](): void {
    this.#removals?.[Symbol.dispose]();
    this.#kept.clear();
  }

  /**
   * Counts a request about to be created at `createdAt` (seconds) for the session, unless the session
   * already has `limit` waiting: then false. Pair with `save` (same `created_at`) or `unreserve`.
   */
  reserve(sessionToken: string, createdAt: number, limit: number): Promise<boolean> {
    return this.#counter.reserve(sessionKey(sessionToken), createdAt, limit);
  }

  /** Undoes a `reserve` whose request was never saved (the execution did not start, or storing it failed). */
  unreserve(sessionToken: string, createdAt: number): Promise<void> {
    return this.#counter.release(sessionKey(sessionToken), createdAt);
  }

  /** Stores a request counted by `reserve`. */
  async save(requestId: string, request: PendingRequest): Promise<void> {
    const [revision] = await Promise.all([
      this.#requests.put(requestId, JSON.stringify(request)),
      this.#byClient.put(`${request.client_id}.${requestId}`, ''),
    ]);
    this.#keep(requestId, request, revision);
  }

  /** How many requests of this session still await their result (on every replica). */
  async countForSession(sessionToken: string): Promise<number> {
    return this.#counter.count(sessionKey(sessionToken));
  }

  async get(requestId: string): Promise<PendingRequest | undefined> {
    return (await this.lookup(requestId))?.request;
  }

  /** The request and its revision: from memory when this replica saved it, else from the bucket. */
  async lookup(requestId: string): Promise<FoundRequest | undefined> {
    const kept = this.#kept.get(requestId);
    if (kept) {
      if (kept.expiresAt > this.#now()) return { requestId, request: kept.request, revision: kept.revision };
      this.#kept.delete(requestId);
    }
    const entry = await this.#requests.entry(requestId);
    if (!entry) return undefined;
    try {
      const parsed = PendingRequest.safeParse(parseJsonLossless(entry.value));
      return parsed.success ? { requestId, request: parsed.data, revision: entry.revision } : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The request's result was delivered: forget it and stop counting it — once, whoever removes it (the
   * removal that deletes the revision it read wins). Without `revision`, the current one is read.
   */
  async remove(requestId: string, request: PendingRequest, revision?: number): Promise<void> {
    const kept = this.#kept.get(requestId);
    this.#kept.delete(requestId);
    // Another replica may keep a copy: it must not answer a late duplicate from memory.
    if (!kept) this.#bus?.publish(this.#removedSubject, requestId).catch(() => {});
    const current = revision ?? kept?.revision ?? (await this.#requests.entry(requestId))?.revision;
    const [first] = await Promise.all([
      current === undefined ? false : this.#requests.deleteIfRevision(requestId, current),
      this.#byClient.delete(`${request.client_id}.${requestId}`),
    ]);
    if (first) await this.#counter.release(sessionKey(request.session_token), request.created_at);
  }

  #keep(requestId: string, request: PendingRequest, revision: number): void {
    if (this.#maxKept === 0) return;
    const now = this.#now();
    this.#kept.set(requestId, { request, revision, expiresAt: request.created_at * 1000 + this.#ttlMs });
    // Oldest first: drop what expired from the front, and the oldest past the bound.
    for (const [id, kept] of this.#kept) {
      if (kept.expiresAt > now && this.#kept.size <= this.#maxKept) break;
      this.#kept.delete(id);
    }
  }

  /** The client's requests that still await a result, oldest first. */
  async forClient(clientId: string): Promise<{ requestId: string; request: PendingRequest }[]> {
    const keys = await this.#byClient.keys(`${clientId}.`);
    const found = await Promise.all(
      keys.map(async (key) => {
        const requestId = key.slice(clientId.length + 1);
        const request = await this.get(requestId);
        return request ? { requestId, request } : undefined;
      }),
    );
    return found
      .filter((entry) => entry !== undefined)
      .sort((a, b) => a.request.created_at - b.request.created_at);
  }
}
