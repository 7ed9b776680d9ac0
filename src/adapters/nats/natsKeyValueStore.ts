/**
 * @module adapters/nats/natsKeyValueStore
 * K/V buckets on NATS JetStream Key/Value, shared by every replica. A bucket handle is returned at once
 * and bound (or created) on first use, per connection, so the gateway starts while NATS is down. Every
 * operation has the connector's deadline and fails fast while NATS is away (`NatsUnavailableError`).
 *
 * Replication: a bucket is created with the configured replica count (`replicasFor`), and an existing one
 * is brought to it when bound. Reads go to the bucket's stream leader (`allow_direct` is not used): with
 * several replicas a direct read may be answered by a replica that is behind — or one just back from an
 * outage with an old store — and report a key written a moment ago as absent, which for the request store
 * would answer a worker "Request not found" for a request that exists.
 */
import {
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import type { KeyValueBucket, KeyValueStore } from '../ports.ts';
import {
  type NatsConnector,
  type NatsLogger,
  type ReplicaSetting,
  replicasFor,
  silentLogger,
} from './natsConnection.ts';

/** The NATS key alphabet, checked here so a stray token never becomes a protocol error. */
const VALID_KEY = /^[-/=.\w]+$/;

export function isValidKey(key: string): boolean {
  return VALID_KEY.test(key) && !key.startsWith('.') && !key.endsWith('.') && !key.includes('..');
}

interface Bound {
  kv: KV;
  jsm: JetStreamManager;
}

interface Binding {
  connection: NatsConnection;
  bound: Promise<Bound>;
}

export interface BucketSettings {
  ttlSeconds: number;
  description: string;
  /** Replicas of the bucket's stream (default `auto`). */
  replicas?: ReplicaSetting;
}

export class NatsKeyValueBucket implements KeyValueBucket {
  readonly name: string;
  readonly #connector: NatsConnector;
  readonly #settings: BucketSettings;
  readonly #logger: NatsLogger;
  /** The bound bucket and the connection it was bound on; a new connection binds again. */
  #binding: Binding | undefined;

  constructor(connector: NatsConnector, name: string, settings: BucketSettings, logger = silentLogger) {
    this.#connector = connector;
    this.name = name;
    this.#settings = settings;
    this.#logger = logger;
  }

  /** Binds the bucket now if NATS is connected; failures are logged and retried on the next use. */
  async warmUp(): Promise<void> {
    if (!this.#connector.connected) return;
    await this.#connector
      .call(`binding K/V bucket ${this.name}`, (connection) => this.#bind(connection).bound)
      .catch((error: unknown) =>
        this.#logger.warn({ err: error, bucket: this.name }, 'binding a NATS K/V bucket failed; will retry'),
      );
  }

  async get(key: string): Promise<string | null> {
    if (!isValidKey(key)) return null;
    const entry = await this.#use(({ kv }) => kv.get(key));
    if (!entry || entry.operation !== 'PUT') return null;
    // Values may come from other programs (the login playbook writes `sessions`): hand back the text.
    return entry.string();
  }

  async entry(key: string): Promise<{ value: string; revision: number } | null> {
    if (!isValidKey(key)) return null;
    const entry = await this.#use(({ kv }) => kv.get(key));
    if (!entry || entry.operation !== 'PUT') return null;
    return { value: entry.string(), revision: entry.revision };
  }

  async put(key: string, value: string): Promise<number> {
    if (!isValidKey(key)) return 0;
    return this.#use(({ kv }) => kv.put(key, value));
  }

  async create(key: string, value: string): Promise<boolean> {
    if (!isValidKey(key)) return false;
    return this.#use(async ({ kv }) => {
      try {
        await kv.create(key, value);
        return true;
      } catch (error) {
        // `create` rejects with "wrong last sequence" when a live value exists; anything else fails.
        if (isWrongLastSequence(error)) return false;
        throw error;
      }
    });
  }

  async delete(key: string): Promise<void> {
    if (!isValidKey(key)) return;
    await this.#use(({ kv }) => kv.delete(key));
  }

  async deleteIfRevision(key: string, revision: number): Promise<boolean> {
    if (!isValidKey(key) || revision <= 0) return false;
    return this.#use(async ({ kv }) => {
      try {
        await kv.delete(key, { previousSeq: revision });
        return true;
      } catch (error) {
        if (isWrongLastSequence(error)) return false;
        throw error;
      }
    });
  }

  /** One cheap round trip to the bucket's stream leader (readiness), within `timeoutMs`. */
  async probe(timeoutMs: number): Promise<void> {
    let binding: Binding | undefined;
    try {
      await this.#connector.call(
        `K/V ${this.name} probe`,
        async (connection) => {
          binding = this.#bind(connection);
          const { jsm } = await binding.bound;
          await jsm.streams.info(`KV_${this.name}`);
        },
        timeoutMs,
      );
    } catch (error) {
      if (binding && this.#binding === binding) this.#binding = undefined;
      throw error;
    }
  }

  /**
   * One stream-info request with a subject filter lists the candidate keys (the server answers from its
   * per-subject index), then each candidate is read to drop deleted ones. Unlike `kv.keys()`, this leaves
   * no consumer behind on the server, which matters because presence asks on every delivered callback.
   */
  async keys(prefix: string): Promise<string[]> {
    const filter = keyFilter(prefix);
    if (filter === undefined) return [];
    return this.#use(async ({ kv, jsm }) => {
      const subjectPrefix = `$KV.${this.name}.`;
      const info = await jsm.streams.info(`KV_${this.name}`, {
        subjects_filter: `${subjectPrefix}${filter}`,
      });
      const candidates = Object.keys(info.state.subjects ?? {})
        .map((subject) => subject.slice(subjectPrefix.length))
        .filter((key) => key.startsWith(prefix));
      const live = await Promise.all(
        candidates.map(async (key) => ((await kv.get(key))?.operation === 'PUT' ? key : undefined)),
      );
      return live.filter((key) => key !== undefined);
    });
  }

  /**
   * Runs `operation` on the bound nats.js bucket within the connector's deadline, for what the port does
   * not offer (revisions: compare-and-set updates and deletes). Outages reject with NatsUnavailableError.
   */
  withKv<T>(operation: (kv: KV) => Promise<T>): Promise<T> {
    return this.#use(({ kv }) => operation(kv));
  }

  /**
   * Runs `operation` on the bound bucket, within the connector's deadline. After a failure the binding is
   * dropped, so the next use binds (or creates) the bucket again: a bucket deleted by an operator comes
   * back instead of failing forever.
   */
  async #use<T>(operation: (bound: Bound) => Promise<T>): Promise<T> {
    let binding: Binding | undefined;
    try {
      return await this.#connector.call(`K/V ${this.name}`, async (connection) => {
        binding = this.#bind(connection);
        return operation(await binding.bound);
      });
    } catch (error) {
      if (binding && this.#binding === binding) this.#binding = undefined;
      throw error;
    }
  }

  #bind(connection: NatsConnection): Binding {
    if (this.#binding?.connection !== connection) {
      const options = { timeout: this.#connector.operationTimeoutMs };
      const setting = this.#settings.replicas ?? 'auto';
      const replicas = replicasFor(setting, connection.info);
      const kvm = new Kvm(jetstream(connection, options));
      const settings = {
        history: 1,
        ttl: this.#settings.ttlSeconds * 1000,
        description: this.#settings.description,
        replicas,
        allow_direct: false,
      };
      const bound = jetstreamManager(connection, { ...options, checkAPI: false }).then(async (jsm) => {
        const kv = await kvm.create(this.name, settings).catch(async (error: unknown) => {
          // Another replica may have created the bucket between our lookup and our create (the server
          // then answers "subjects overlap"); if it exists now, bind it.
          await jsm.streams.info(`KV_${this.name}`).catch(() => Promise.reject(error));
          return kvm.create(this.name, settings);
        });
        await ensureReplicas(jsm, `KV_${this.name}`, setting, replicas, this.#logger);
        return { kv, jsm };
      });
      const binding = { connection, bound };
      this.#binding = binding;
      // A failed bind is forgotten, so the next operation tries again instead of failing forever.
      bound.catch(() => {
        if (this.#binding === binding) this.#binding = undefined;
      });
    }
    return this.#binding;
  }
}

/**
 * Brings an existing stream to `replicas`: exactly, for a configured number; for `auto`, only upwards (an
 * operator's larger count stays). JetStream moves the data to the new peers by itself.
 */
export async function ensureReplicas(
  jsm: JetStreamManager,
  stream: string,
  setting: ReplicaSetting,
  replicas: number,
  logger: NatsLogger,
): Promise<void> {
  const info = await jsm.streams.info(stream);
  const current = info.config.num_replicas || 1;
  if (current === replicas || (setting === 'auto' && current > replicas)) return;
  await jsm.streams.update(stream, { ...info.config, num_replicas: replicas });
  logger.info({ stream, from: current, to: replicas }, 'NATS stream replicas changed');
}

/**
 * The subject filter for keys starting with `prefix`, narrowed to the last whole token so the server
 * never scans the bucket: `client.abc.` → `client.abc.>`. Undefined when no key can match.
 */
export function keyFilter(prefix: string): string | undefined {
  if (prefix === '') return '>';
  const lastDot = prefix.lastIndexOf('.');
  const whole = prefix.slice(0, lastDot + 1); // tokens that are complete, with their trailing dot
  const partial = prefix.slice(lastDot + 1);
  if (partial !== '' && !/^[-/=\w]+$/.test(partial)) return undefined;
  if (whole === '') return '>';
  const tokens = whole.slice(0, -1);
  return isValidKey(tokens) ? `${tokens}.>` : undefined;
}

/** True when a write was refused because the key's revision was not the expected one (compare-and-set lost). */
export function isWrongLastSequence(error: unknown): boolean {
  if (error instanceof JetStreamApiError) {
    return (
      error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown
    );
  }
  return error instanceof Error && /wrong last sequence/i.test(error.message);
}

export class NatsKeyValueStore implements KeyValueStore {
  readonly #connector: NatsConnector;
  readonly #logger: NatsLogger;
  readonly #replicas: ReplicaSetting;
  readonly #buckets = new Map<string, NatsKeyValueBucket>();

  constructor(connector: NatsConnector, logger = silentLogger, replicas: ReplicaSetting = 'auto') {
    this.#connector = connector;
    this.#logger = logger;
    this.#replicas = replicas;
  }

  /** Every bucket handed out so far. */
  get buckets(): NatsKeyValueBucket[] {
    return [...this.#buckets.values()];
  }

  /**
   * Binds the existing bucket (its own settings win, as with the reference gateway) or creates it with
   * history 1, `max_age` = the TTL and the description. Never fails for lack of NATS: binding is retried
   * on use.
   */
  async bucket(name: string, options: BucketSettings): Promise<KeyValueBucket> {
    let bucket = this.#buckets.get(name);
    if (!bucket) {
      bucket = new NatsKeyValueBucket(
        this.#connector,
        name,
        { replicas: this.#replicas, ...options },
        this.#logger,
      );
      this.#buckets.set(name, bucket);
    }
    await bucket.warmUp();
    return bucket;
  }
}
