/**
 * @module core/executions/requestStore
 * Pending requests (`requests` bucket, keyed by request id, reference value shape), an index
 * `<client_id>.<request_id>` so a client's requests are listed without scanning the bucket, and a counter
 * per session (core/executions/pendingCounter) so the per-session limit costs O(1) per execute. The
 * counter entries live in the third bucket (formerly an index by session), keyed `<session key>.r.<replica>`.
 *
 * Counting: `reserve` before starting the execution, `unreserve` when it did not start or could not be
 * stored, `remove` when its result is delivered. Expired requests stop counting with their time window.
 */
import { randomUUID } from 'node:crypto';
import type { KeyValueBucket } from '../../adapters/ports.ts';
import { PendingRequest } from '../../contract/index.ts';
import { parseJsonLossless } from '../../lib/losslessJson.ts';
import { sessionKey } from '../sessions/sessionKey.ts';
import { PendingCounter } from './pendingCounter.ts';

export interface RequestStoreOptions {
  /** TTL of the `requests` bucket: how long an unanswered request keeps counting. Default 1800 (the config default). */
  ttlSeconds?: number;
  /** This replica's id in the counter keys (random by default). */
  replicaId?: string;
  now?: () => number;
}

/** Marks a request removed, so of two concurrent removals (a duplicated callback) only one uncounts it. */
const REMOVED_SUFFIX = '.removed';

export class RequestStore {
  readonly #requests: KeyValueBucket;
  readonly #byClient: KeyValueBucket;
  readonly #counter: PendingCounter;

  constructor(
    requests: KeyValueBucket,
    byClient: KeyValueBucket,
    counters: KeyValueBucket,
    options: RequestStoreOptions = {},
  ) {
    this.#requests = requests;
    this.#byClient = byClient;
    this.#counter = new PendingCounter(counters, {
      ttlSeconds: options.ttlSeconds ?? 1800,
      replicaId: options.replicaId ?? randomUUID(),
      now: options.now,
    });
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
    await this.#requests.put(requestId, JSON.stringify(request));
    await this.#byClient.put(`${request.client_id}.${requestId}`, '');
  }

  /** How many requests of this session still await their result (on every replica). */
  async countForSession(sessionToken: string): Promise<number> {
    return this.#counter.count(sessionKey(sessionToken));
  }

  async get(requestId: string): Promise<PendingRequest | undefined> {
    const raw = await this.#requests.get(requestId);
    if (!raw) return undefined;
    try {
      const parsed = PendingRequest.safeParse(parseJsonLossless(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** The request's result was delivered: forget it and stop counting it (once, whoever removes it). */
  async remove(requestId: string, request: PendingRequest): Promise<void> {
    const first = await this.#requests.create(`${requestId}${REMOVED_SUFFIX}`, '');
    await this.#requests.delete(requestId);
    await this.#byClient.delete(`${request.client_id}.${requestId}`);
    if (first) await this.#counter.release(sessionKey(request.session_token), request.created_at);
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
