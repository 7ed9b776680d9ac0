/**
 * @module adapters/nats/natsPresence
 * Which clients have an `/events` stream on some replica: one K/V key `<clientId>.<connection id>` per
 * open stream in a bucket with a short TTL, rewritten periodically while the stream lasts, so a replica
 * that dies takes its clients' presence with it within one TTL.
 */
import { randomBytes } from 'node:crypto';
import type { ClientPresence, KeyValueBucket } from '../ports.ts';
import { type NatsLogger, silentLogger } from './natsConnection.ts';

export interface NatsPresenceOptions {
  /** The bucket's TTL; keys are rewritten every third of it. */
  ttlSeconds: number;
  logger?: NatsLogger;
}

export class NatsPresence implements ClientPresence {
  readonly #bucket: KeyValueBucket;
  readonly #ttlSeconds: number;
  readonly #logger: NatsLogger;
  /** Keys written by this replica, by client id. */
  readonly #attached = new Map<string, Set<string>>();
  #refresh: NodeJS.Timeout | undefined;

  constructor(bucket: KeyValueBucket, options: NatsPresenceOptions) {
    this.#bucket = bucket;
    this.#ttlSeconds = options.ttlSeconds;
    this.#logger = options.logger ?? silentLogger;
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
    let released = false;
    return {
      [Symbol.asyncDispose]: async () => {
        if (released) return;
        released = true;
        const owned = this.#attached.get(clientId);
        owned?.delete(key);
        if (owned?.size === 0) this.#attached.delete(clientId);
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
    return (await this.#bucket.keys(`${clientId}.`)).length > 0;
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
    this.#attached.clear();
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
