/**
 * @module core/push/clientRegistry
 * Who owns an SSE client id. The first session to use a `client_id` owns it for the retention window;
 * another session can neither attach to it nor route results to it. Owners are stored as a hash of the
 * session token, never the token itself. Also keeps where a client's delivery stopped, so a reconnect
 * that names only its `client_id` resumes there.
 */
import { timingSafeEqual } from 'node:crypto';
import type { KeyValueBucket } from '../../adapters/ports.ts';
import { ClientRecord } from '../../contract/index.ts';
import { sessionKey } from '../sessions/sessionKey.ts';

export type ClaimResult = { ok: true; deliveredSeq: number } | { ok: false };

function sameOwner(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** How long a confirmed claim is trusted at most without asking the store again. */
const CONFIRMED_MS = 30_000;
/** Confirmed claims kept at most (both generations together). */
const MAX_CONFIRMED = 10_000;
/** Sessions whose owner hash is kept (one session usually claims many client ids: one per tab, per stream). */
const MAX_OWNERS = 1024;

export class ClientRegistry {
  readonly #bucket: KeyValueBucket;
  readonly #now: () => number;
  readonly #confirmMs: number;
  /**
   * Client ids this replica claimed recently → owner (hashed), in two generations of half the trust
   * window each: a claim is trusted while its generation is current or the one before, i.e. for between
   * half of `#confirmMs` and all of it. Each stream's claim leaves an entry (until the generations move
   * on, at a later claim or confirm), so an entry is two references to strings that exist anyway, not an
   * `{ owner, until }` record with a boxed time.
   */
  #confirmed = new Map<string, string>();
  #confirmedBefore = new Map<string, string>();
  /** The current generation's number: the time divided by half the trust window, rounded down. */
  #generation = 0;
  /** Session token → its hash, for the sessions claiming most recently: one hash and one string per session. */
  readonly #owners = new Map<string, string>();

  /** `ttlSeconds`: the bucket's TTL; a claim is trusted for at most half of it. */
  constructor(bucket: KeyValueBucket, options: { ttlSeconds?: number; now?: () => number } = {}) {
    this.#bucket = bucket;
    this.#now = options.now ?? Date.now;
    this.#confirmMs = Math.min(CONFIRMED_MS, ((options.ttlSeconds ?? 0) * 1000) / 2);
  }

  /**
   * Whether the client id is (or now becomes) the session's, as `claim` — but a claim made here recently
   * (within the last 15 to 30 s, at most half the bucket's TTL: see `#confirmed`) is taken as it is, without
   * a round trip: an owner never changes while its record lives, and that claim refreshed the record for
   * the whole TTL. (Executes with a client id ask this on every request; streams use `claim`, which also
   * says where delivery stopped.)
   */
  async confirm(clientId: string, sessionToken: string): Promise<boolean> {
    const owner = this.#ownerOf(sessionToken);
    this.#age();
    const known = this.#confirmed.get(clientId) ?? this.#confirmedBefore.get(clientId);
    if (known !== undefined) return sameOwner(known, owner);
    return (await this.claim(clientId, sessionToken)).ok;
  }

  /** Claims `clientId` for the session (or confirms it is already its own) and refreshes its lifetime. */
  async claim(clientId: string, sessionToken: string): Promise<ClaimResult> {
    const owner = this.#ownerOf(sessionToken);
    const fresh: ClientRecord = { owner, delivered_seq: 0 };
    if (await this.#bucket.create(clientId, JSON.stringify(fresh))) {
      this.#remember(clientId, owner);
      return { ok: true, deliveredSeq: 0 };
    }
    const existing = await this.#read(clientId);
    if (!existing) {
      await this.#bucket.put(clientId, JSON.stringify(fresh));
      this.#remember(clientId, owner);
      return { ok: true, deliveredSeq: 0 };
    }
    if (!sameOwner(existing.owner, owner)) return { ok: false };
    await this.#bucket.put(clientId, JSON.stringify(existing));
    this.#remember(clientId, owner);
    return { ok: true, deliveredSeq: existing.delivered_seq };
  }

  #ownerOf(sessionToken: string): string {
    let owner = this.#owners.get(sessionToken);
    if (owner === undefined) {
      owner = sessionKey(sessionToken);
      if (this.#owners.size >= MAX_OWNERS) this.#owners.delete(this.#owners.keys().next().value as string);
      this.#owners.set(sessionToken, owner);
    }
    return owner;
  }

  #remember(clientId: string, owner: string): void {
    if (this.#confirmMs <= 0) return;
    this.#age();
    // A full generation starts the next one early (the older goes sooner than its time): bounded.
    if (this.#confirmed.size >= MAX_CONFIRMED / 2) this.#nextGeneration(true);
    this.#confirmedBefore.delete(clientId);
    this.#confirmed.set(clientId, owner);
  }

  /** Moves to the generation the clock is in: the current one becomes the one before, or both go. */
  #age(): void {
    if (this.#confirmMs <= 0) return;
    const generation = Math.floor(this.#now() / (this.#confirmMs / 2));
    if (generation === this.#generation) return;
    this.#nextGeneration(generation === this.#generation + 1);
    this.#generation = generation;
  }

  #nextGeneration(keepCurrent: boolean): void {
    this.#confirmedBefore = keepCurrent ? this.#confirmed : new Map();
    this.#confirmed = new Map();
  }

  /** Records the last frame written to the client (called when a stream closes). */
  async recordDelivered(clientId: string, seq: number): Promise<void> {
    const existing = await this.#read(clientId);
    if (!existing || existing.delivered_seq >= seq) return;
    await this.#bucket.put(clientId, JSON.stringify({ ...existing, delivered_seq: seq }));
  }

  async #read(clientId: string): Promise<ClientRecord | undefined> {
    const raw = await this.#bucket.get(clientId);
    if (!raw) return undefined;
    try {
      const parsed = ClientRecord.safeParse(JSON.parse(raw));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }
}
