/**
 * @module adapters/nats/natsPresence
 * Which clients have an `/events` stream on some replica: one K/V key `<clientId>.<connection id>` per
 * open stream in a bucket with a short TTL, rewritten periodically while the stream lasts, so a replica
 * that dies takes its clients' presence with it within one TTL.
 *
 * Asking is cheap: a client with a stream on this replica is known here; for others the answer read from
 * the bucket is kept for a third of the TTL, and the bus keeps it right meanwhile: every replica announces
 * a client's first stream opening on it (`+<client id>`: connected) and its last one closing (`-<client
 * id>`: ask the bucket again). What may have been missed while the bus was away is forgotten.
 */
import { randomBytes } from 'node:crypto';
import type { ClientPresence, KeyValueBucket, MessageBus } from '../ports.ts';
import { type NatsLogger, silentLogger } from './natsConnection.ts';

export interface NatsPresenceOptions {
  /** The bucket's TTL; keys are rewritten every third of it. */
  ttlSeconds: number;
  /** Announces streams opening and closing to the other replicas (default: no cache of remote answers). */
  bus?: MessageBus;
  /** Subject of those announcements (default `gateway.presence`). */
  subject?: string;
  /** Remote answers kept at most (the oldest are dropped past it; default 100,000). */
  maxCached?: number;
  logger?: NatsLogger;
  now?: () => number;
}

interface Cached {
  connected: boolean;
  until: number;
}

export class NatsPresence implements ClientPresence {
  readonly #bucket: KeyValueBucket;
  readonly #ttlSeconds: number;
  readonly #logger: NatsLogger;
  /** Keys written by this replica, by client id. */
  readonly #attached = new Map<string, Set<string>>();
  /** What the bucket said about clients not attached here, until when it is trusted. */
  readonly #cached = new Map<string, Cached>();
  /** Bucket reads under way, so concurrent questions about one client share one read. */
  readonly #asking = new Map<string, Promise<boolean>>();
  readonly #bus: MessageBus | undefined;
  readonly #subject: string;
  readonly #cacheMs: number;
  readonly #maxCached: number;
  readonly #now: () => number;
  readonly #announcements: Disposable | undefined;
  #refresh: NodeJS.Timeout | undefined;

  constructor(bucket: KeyValueBucket, options: NatsPresenceOptions) {
    this.#bucket = bucket;
    this.#ttlSeconds = options.ttlSeconds;
    this.#logger = options.logger ?? silentLogger;
    this.#bus = options.bus;
    this.#subject = options.subject ?? 'gateway.presence';
    this.#cacheMs = options.bus ? Math.max(1000, (options.ttlSeconds * 1000) / 3) : 0;
    this.#maxCached = options.maxCached ?? 100_000;
    this.#now = options.now ?? Date.now;
    this.#announcements = options.bus?.subscribe(
      this.#subject,
      (_subject, payload) => {
        const clientId = payload.slice(1);
        if (payload.startsWith('+')) this.#remember(clientId, true);
        else this.#cached.delete(clientId);
        return undefined;
      },
      { onGap: () => this.#cached.clear() },
    );
  }

  /**
   * Never fails for a NATS outage: the stream is recorded here and its key is written again on every
   * refresh, so presence comes back with NATS instead of refusing the client's stream.
   */
  async attach(clientId: string): Promise<AsyncDisposable> {
    const key = `${clientId}.${randomBytes(8).toString('hex')}`;
    let keys = this.#attached.get(clientId);
    if (!keys) {
      keys = new Set();
      this.#attached.set(clientId, keys);
    }
    keys.add(key);
    this.#startRefreshing();
    await this.#write(key);
    if (keys.size === 1) this.#announce('+', clientId);
    let released = false;
    return {
      [Symbol.asyncDispose]: async () => {
        if (released) return;
        released = true;
        const owned = this.#attached.get(clientId);
        owned?.delete(key);
        if (owned?.size === 0) {
          this.#attached.delete(clientId);
          this.#announce('-', clientId);
        }
        if (this.#attached.size === 0) this.#stopRefreshing();
        await this.#bucket
          .delete(key)
          .catch((error: unknown) =>
            this.#logger.debug({ err: error }, 'removing a presence key failed; it expires by TTL'),
          );
      },
    };
  }

  async isConnected(clientId: string): Promise<boolean> {
    if (this.#attached.has(clientId)) return true;
    const cached = this.#cached.get(clientId);
    if (cached && cached.until > this.#now()) return cached.connected;
    let asking = this.#asking.get(clientId);
    if (!asking) {
      asking = this.#bucket.keys(`${clientId}.`).then((keys) => {
        this.#remember(clientId, keys.length > 0);
        return keys.length > 0;
      });
      this.#asking.set(clientId, asking);
      const done = () => this.#asking.delete(clientId);
      asking.then(done, done);
    }
    return asking;
  }

  /**
   * Writes every key of this replica now (e.g. when NATS is back after an outage: keys written before it
   * may have expired, or been lost with the server's store).
   */
  refresh(): void {
    for (const keys of this.#attached.values()) for (const key of keys) void this.#write(key);
  }

  /** Stops refreshing (shutdown). Keys left behind expire with the bucket's TTL. */
  close(): void {
    this.#stopRefreshing();
    this.#announcements?.[Symbol.dispose]();
    this.#attached.clear();
    this.#cached.clear();
  }

  #remember(clientId: string, connected: boolean): void {
    if (this.#cacheMs === 0) return;
    this.#cached.delete(clientId); // re-inserted: the map stays in the order of expiry
    this.#cached.set(clientId, { connected, until: this.#now() + this.#cacheMs });
    if (this.#cached.size > this.#maxCached) {
      const oldest = this.#cached.keys().next().value;
      if (oldest !== undefined) this.#cached.delete(oldest);
    }
  }

  /** Tells the other replicas (best effort: a missed announcement costs a bucket read at most). */
  #announce(change: '+' | '-', clientId: string): void {
    this.#bus?.publish(this.#subject, `${change}${clientId}`).catch(() => {});
  }

  async #write(key: string): Promise<void> {
    try {
      await this.#bucket.put(key, '');
    } catch (error) {
      this.#logger.debug({ err: error }, 'writing a presence key failed; retrying at the next refresh');
    }
  }

  #startRefreshing(): void {
    if (this.#refresh) return;
    this.#refresh = setInterval(() => this.refresh(), Math.max(1000, (this.#ttlSeconds * 1000) / 3));
    this.#refresh.unref();
  }

  #stopRefreshing(): void {
    clearInterval(this.#refresh);
    this.#refresh = undefined;
  }
}
