/**
 * @module adapters/nats/natsSlotLeases
 * Slots shared by every replica, on NATS JetStream K/V, for limits that must hold across the cluster
 * (open `/events` streams per session).
 *
 * Design (one key per slot, taken by compare-and-set; liveness per replica, not per slot):
 * - A group of `limit` slots is the keys `<group>.0` … `<group>.<limit-1>` of the slots bucket; a slot is
 *   taken by *creating* its key with this replica's id as the value (create-if-absent: of two replicas
 *   racing for one key exactly one wins). An acquisition tries the group's slots from a random one on,
 *   skipping those this replica holds, until a create succeeds or every slot is held: then the limit is
 *   reached. Released by deleting the key at the revision it was taken with (a slot that has meanwhile
 *   been taken over by another replica is never deleted by its old holder).
 * - A slot is held while its holder is alive: each replica writes its liveness key (its id) to a bucket
 *   whose TTL is the lease, every third of it, as long as it holds slots. A taken slot whose holder has no
 *   liveness key is free: it is taken over by an update at the revision read (again only one replica
 *   wins). A replica that is killed therefore frees its slots one lease TTL after its last renewal, with
 *   no per-slot heartbeats (20,000 streams cost one renewal per interval, not 20,000).
 * - Slot keys themselves expire with the slots bucket's age (an hour) so the keys of a killed replica do
 *   not accumulate; held slots are rewritten (compare-and-set) once they are 20 minutes old.
 * - A replica that could not renew its liveness key for longer than the lease (NATS away) may have lost
 *   slots to other replicas: when it is connected again it checks each slot it holds and tells the holder
 *   of a lost one (`onLost`), so the limit holds again.
 * - Every acquisition has one deadline for all its round trips; past it, or while NATS is away, it rejects
 *   with NatsUnavailableError (503). A slot created after its acquisition gave up is deleted again.
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { KV } from '@nats-io/kv';
import type { SlotLease, SlotLeases } from '../ports.ts';
import { type NatsConnector, type NatsLogger, NatsUnavailableError, silentLogger } from './natsConnection.ts';
import { isValidKey, isWrongLastSequence, type NatsKeyValueBucket } from './natsKeyValueStore.ts';

/** Age at which the slots bucket drops a key; a held slot is rewritten well before. */
export const SLOT_KEY_MAX_AGE_SECONDS = 3600;
const SLOT_REWRITE_AFTER_MS = 20 * 60 * 1000;
/** How long another replica's liveness, once seen, is trusted without asking again. */
const ALIVE_CACHE_MS = 1000;

export interface NatsSlotLeasesOptions {
  connector: NatsConnector;
  /** Slot keys `<group>.<index>` → holder's replica id; bucket age SLOT_KEY_MAX_AGE_SECONDS. */
  slots: NatsKeyValueBucket;
  /** Liveness keys `<replica id>`; the bucket's TTL is `leaseSeconds`. */
  replicas: NatsKeyValueBucket;
  /** A replica that stops renewing loses its slots this long after its last renewal. */
  leaseSeconds: number;
  /** Deadline of one acquisition, all its round trips together (default: the connector's operation deadline). */
  timeoutMs?: number;
  replicaId?: string;
  logger?: NatsLogger;
}

interface Held {
  revision: number;
  writtenAt: number;
  onLost: (() => void) | undefined;
}

const noop = () => {};

export class NatsSlotLeases implements SlotLeases {
  readonly #connector: NatsConnector;
  readonly #slots: NatsKeyValueBucket;
  readonly #replicas: NatsKeyValueBucket;
  readonly #id: string;
  readonly #renewMs: number;
  readonly #timeoutMs: number;
  readonly #logger: NatsLogger;
  /** Slots this replica holds, by key. */
  readonly #held = new Map<string, Held>();
  /** Releases the store refused (NATS away), by key → revision; retried at each renewal. */
  readonly #unreleased = new Map<string, number>();
  /** Slot keys an acquisition of this replica is taking right now (the others leave them alone). */
  readonly #taking = new Set<string>();
  /** Other replicas seen alive, by id → when. */
  readonly #seenAlive = new Map<string, number>();
  readonly #reconnected: Disposable;
  #renewedAt = 0;
  #renewing: Promise<void> | undefined;
  #ticker: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: NatsSlotLeasesOptions) {
    this.#connector = options.connector;
    this.#slots = options.slots;
    this.#replicas = options.replicas;
    this.#id = options.replicaId ?? randomUUID();
    this.#renewMs = Math.max(1000, (options.leaseSeconds * 1000) / 3);
    this.#timeoutMs = options.timeoutMs ?? options.connector.operationTimeoutMs;
    this.#logger = options.logger ?? silentLogger;
    this.#reconnected = this.#connector.onStateChange((connected) => {
      if (connected && this.#held.size > 0) void this.#afterOutage();
    });
  }

  /** This replica's id in slot values and its liveness key. */
  get replicaId(): string {
    return this.#id;
  }

  /** Slots this replica holds. */
  get heldCount(): number {
    return this.#held.size;
  }

  async acquire(group: string, limit: number, onLost?: () => void): Promise<SlotLease | undefined> {
    if (!isValidKey(`${group}.${limit}`)) throw new Error(`invalid slot group: ${group}`);
    const attempt = { abandoned: false };
    const acquiring = this.#acquire(group, limit, onLost, attempt);
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        acquiring,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            attempt.abandoned = true;
            reject(new NatsUnavailableError(`NATS slot acquisition took longer than ${this.#timeoutMs} ms`));
          }, this.#timeoutMs);
        }),
      ]);
    } catch (error) {
      // Whatever the abandoned attempt still takes is given back.
      attempt.abandoned = true;
      acquiring.then((lease) => lease?.release(), noop);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  async #acquire(
    group: string,
    limit: number,
    onLost: (() => void) | undefined,
    attempt: { abandoned: boolean },
  ): Promise<SlotLease | undefined> {
    // Alive before holding anything: a slot of a replica without a liveness key is free for the taking.
    await this.#renewIfDue();
    const start = randomInt(limit);
    for (let k = 0; k < limit && !attempt.abandoned; k++) {
      const key = `${group}.${(start + k) % limit}`;
      if (this.#held.has(key) || this.#unreleased.has(key) || this.#taking.has(key)) continue;
      // Until it is leased (same synchronous step), no other acquisition of this replica touches the key.
      this.#taking.add(key);
      try {
        const revision = await this.#take(key);
        if (revision === undefined) continue;
        if (attempt.abandoned) {
          await this.#delete(key, revision);
          return undefined;
        }
        return this.#lease(key, revision, onLost);
      } finally {
        this.#taking.delete(key);
      }
    }
    return undefined;
  }

  /** Takes the slot key if it is free (absent, deleted, or held by a replica that is gone): its revision. */
  async #take(key: string): Promise<number | undefined> {
    const revision = await this.#create(key);
    if (revision !== undefined) return revision;
    const entry = await this.#slots.withKv((kv) => kv.get(key));
    if (!entry || entry.operation !== 'PUT') return this.#create(key);
    const holder = entry.string();
    // Our own id on a slot we neither hold nor are taking: left by an abandoned attempt, free.
    if (holder !== this.#id && (await this.#isAlive(holder))) return undefined;
    return this.#update(key, entry.revision);
  }

  /** Creates the slot key; its revision, or undefined when the key is taken. */
  #create(key: string): Promise<number | undefined> {
    return this.#write(key, (kv) => kv.create(key, this.#id));
  }

  /** Rewrites the slot key if it is still at `revision`; the new revision, or undefined when it moved on. */
  #update(key: string, revision: number): Promise<number | undefined> {
    return this.#write(key, (kv) => kv.update(key, this.#id, revision));
  }

  /**
   * One compare-and-set write of a slot key. A write that lands after the connector gave up on it (its
   * deadline) would hold a slot nobody knows about: it is deleted as soon as it is known to have landed.
   */
  async #write(key: string, write: (kv: KV) => Promise<number>): Promise<number | undefined> {
    let pending: Promise<number> | undefined;
    try {
      return await this.#slots.withKv((kv) => {
        pending = write(kv);
        return pending;
      });
    } catch (error) {
      if (isWrongLastSequence(error)) return undefined;
      pending?.then((revision) => this.#delete(key, revision), noop);
      throw error;
    }
  }

  #lease(key: string, revision: number, onLost: (() => void) | undefined): SlotLease {
    const held: Held = { revision, writtenAt: Date.now(), onLost };
    this.#held.set(key, held);
    this.#startTicker();
    return {
      release: async () => {
        if (this.#held.get(key) !== held) return;
        this.#held.delete(key);
        await this.#delete(key, held.revision);
      },
    };
  }

  /** Deletes a slot key still at `revision`; if NATS cannot be reached, retries at the next renewal. */
  async #delete(key: string, revision: number): Promise<void> {
    try {
      await this.#slots.withKv((kv) => kv.delete(key, { previousSeq: revision }));
      this.#unreleased.delete(key);
    } catch (error) {
      // Moved on (taken over, expired): nothing of ours left to delete.
      if (isWrongLastSequence(error)) this.#unreleased.delete(key);
      else {
        this.#unreleased.set(key, revision);
        this.#startTicker();
        this.#logger.debug({ err: error }, 'releasing a slot failed; retrying at the next renewal');
      }
    }
  }

  async #isAlive(replicaId: string): Promise<boolean> {
    const seen = this.#seenAlive.get(replicaId);
    if (seen !== undefined && Date.now() - seen < ALIVE_CACHE_MS) return true;
    const alive = (await this.#replicas.get(replicaId)) !== null;
    if (alive) this.#seenAlive.set(replicaId, Date.now());
    else this.#seenAlive.delete(replicaId);
    if (this.#seenAlive.size > 1000) this.#seenAlive.clear();
    return alive;
  }

  /** Writes the liveness key if its last write is a third of the lease old (one write at a time). */
  #renewIfDue(): Promise<void> {
    if (Date.now() - this.#renewedAt < this.#renewMs) return Promise.resolve();
    this.#renewing ??= this.#replicas
      .put(this.#id, '')
      .then(() => {
        this.#renewedAt = Date.now();
      })
      .finally(() => {
        this.#renewing = undefined;
      });
    return this.#renewing;
  }

  #startTicker(): void {
    if (this.#ticker || this.#closed) return;
    this.#ticker = setInterval(() => void this.#tick(), this.#renewMs);
    this.#ticker.unref();
  }

  /** Renews liveness, retries refused releases, rewrites old slot keys; stops when nothing is held. */
  async #tick(): Promise<void> {
    if (this.#held.size === 0 && this.#unreleased.size === 0) {
      clearInterval(this.#ticker);
      this.#ticker = undefined;
      return;
    }
    if (!this.#connector.connected) return;
    try {
      if (this.#held.size > 0) {
        this.#renewedAt = 0;
        await this.#renewIfDue();
      }
      for (const [key, revision] of [...this.#unreleased]) await this.#delete(key, revision);
      const now = Date.now();
      for (const [key, held] of [...this.#held]) {
        if (now - held.writtenAt < SLOT_REWRITE_AFTER_MS) continue;
        const revision = await this.#update(key, held.revision);
        if (this.#held.get(key) !== held) continue; // released meanwhile
        if (revision === undefined) this.#lost(key, held);
        else {
          held.revision = revision;
          held.writtenAt = now;
        }
      }
    } catch (error) {
      this.#logger.debug({ err: error }, 'renewing slot leases failed; retrying at the next renewal');
    }
  }

  /**
   * Back after an outage: the liveness key may have lapsed and other replicas may have taken slots this
   * replica still holds. Renew at once, then check each slot: one still at its revision is kept, one that
   * expired is taken again if free, one taken by another replica is lost.
   */
  async #afterOutage(): Promise<void> {
    try {
      this.#renewedAt = 0;
      await this.#renewIfDue();
      for (const [key, held] of [...this.#held]) {
        const entry = await this.#slots.withKv((kv) => kv.get(key));
        if (this.#held.get(key) !== held) continue;
        if (entry?.operation === 'PUT' && entry.revision === held.revision) continue;
        const revision =
          entry && entry.operation !== 'PUT'
            ? await this.#update(key, entry.revision)
            : entry
              ? undefined
              : await this.#create(key);
        if (this.#held.get(key) !== held) {
          if (revision !== undefined) await this.#delete(key, revision);
          continue;
        }
        if (revision === undefined) this.#lost(key, held);
        else {
          held.revision = revision;
          held.writtenAt = Date.now();
        }
      }
    } catch (error) {
      this.#logger.debug({ err: error }, 'checking slots after a NATS outage failed');
    }
  }

  #lost(key: string, held: Held): void {
    this.#held.delete(key);
    this.#logger.warn(
      { slot: key.slice(key.lastIndexOf('.') + 1) },
      'a slot lease lapsed and was taken over',
    );
    try {
      held.onLost?.();
    } catch (error) {
      this.#logger.error({ err: error }, 'a lost-slot handler failed');
    }
  }

  /**
   * Stops renewing and deletes the liveness key, so other replicas may take whatever slots are left at
   * once (slots still held are released by their holders before this, on a graceful stop).
   */
  async close(): Promise<void> {
    this.#closed = true;
    this.#reconnected[Symbol.dispose]();
    clearInterval(this.#ticker);
    this.#ticker = undefined;
    if (!this.#connector.connected) return;
    await Promise.all([...this.#unreleased].map(([key, revision]) => this.#delete(key, revision)));
    await this.#replicas.delete(this.#id).catch(noop);
  }
}
