/**
 * @module adapters/nats/natsConnection
 * One NATS connection per replica that keeps trying forever: it is opened in the background, the client
 * reconnects by itself after a drop, and a closed connection is replaced. Exposes whether it is connected
 * (readiness) and hands the current connection to the adapters. No NATS error escapes as a crash.
 *
 * Every store and bus operation goes through `call`: it fails at once while the client is disconnected,
 * gives up after a deadline (default 2 s), and turns what an unreachable or restarting server causes
 * (timeouts, no responders, a closed connection, JetStream not ready) into `NatsUnavailableError`, a
 * `BackendUnavailableError`: the caller answers 503 and may retry, never 500 and never "not found".
 */
import { JetStreamApiError } from '@nats-io/jetstream';
import { connect, errors, type NatsConnection } from '@nats-io/transport-node';
import { BackendUnavailableError } from '../ports.ts';

/** The subset of a pino logger the NATS adapters use. */
export interface NatsLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

const noop = () => {};
export const silentLogger: NatsLogger = { debug: noop, info: noop, warn: noop, error: noop };

export interface NatsConnectionOptions {
  /** `nats://[user:pass@]host:port`, or several separated by commas. */
  url: string;
  /** Used when the URL carries no credentials. */
  username?: string;
  password?: string;
  /** Client name shown by the server's monitoring. */
  name?: string;
  /** Wait between reconnect attempts of the client (default 250 ms). */
  reconnectTimeWaitMs?: number;
  /** Deadline of one store or bus operation (default 2000 ms). */
  operationTimeoutMs?: number;
  logger?: NatsLogger;
}

/** Default deadline of one store or bus operation. */
export const DEFAULT_OPERATION_TIMEOUT_MS = 2000;

/** Raised by operations that need NATS while no connection has been established. */
export class NatsUnavailableError extends BackendUnavailableError {
  constructor(message = 'NATS is not connected', options?: ErrorOptions) {
    super(message, options);
    this.name = 'NatsUnavailableError';
  }
}

export interface ParsedNatsUrl {
  servers: string[];
  user?: string;
  pass?: string;
  token?: string;
}

/**
 * Splits `NATS_URL` into server addresses and credentials: the client itself ignores `user:pass@` in a
 * URL, and the reference deployment puts them there (`nats://noetl:noetl@nats…:4222`). A user without a
 * password is a token, as in the other NATS clients. Explicit options apply when the URL has none.
 */
export function parseNatsUrl(url: string, username?: string, password?: string): ParsedNatsUrl {
  const servers: string[] = [];
  let user: string | undefined;
  let pass: string | undefined;
  let token: string | undefined;
  for (const raw of url.split(',')) {
    const trimmed = raw.trim();
    if (!trimmed) continue;
    const withScheme = trimmed.includes('://') ? trimmed : `nats://${trimmed}`;
    let parsed: URL;
    try {
      parsed = new URL(withScheme);
    } catch {
      throw new Error(`invalid NATS URL: ${trimmed.replace(/\/\/[^@/]*@/, '//***@')}`);
    }
    if (parsed.username && user === undefined && token === undefined) {
      const name = decodeURIComponent(parsed.username);
      if (parsed.password) {
        user = name;
        pass = decodeURIComponent(parsed.password);
      } else {
        token = name;
      }
    }
    servers.push(`${parsed.protocol}//${parsed.host}`);
  }
  if (servers.length === 0) throw new Error('NATS URL names no server');
  if (user === undefined && token === undefined && username !== undefined) {
    user = username;
    pass = password;
  }
  const result: ParsedNatsUrl = { servers };
  if (user !== undefined) result.user = user;
  if (pass !== undefined) result.pass = pass;
  if (token !== undefined) result.token = token;
  return result;
}

type ConnectionListener = (connection: NatsConnection) => void;
type StateListener = (connected: boolean) => void;

/** How many replicas streams and buckets get: a number, or `auto` (see `replicasFor`). */
export type ReplicaSetting = number | 'auto';

/** The most replicas JetStream allows for a stream. */
export const MAX_REPLICAS = 5;

/**
 * The replica count for streams and buckets on the server `info` describes. A number is taken as it is.
 * `auto`: 1 on a server that is not part of a cluster; on a cluster, 3 when it advertises at least three
 * client URLs (its nodes), else as many as it advertises. (A cluster reporting fewer nodes than it has,
 * because one is down while the gateway connects, gets fewer replicas; `auto` raises them on a later
 * connection, it never lowers them.)
 */
export function replicasFor(
  setting: ReplicaSetting,
  info: { cluster?: string; connect_urls?: string[] } | undefined,
): number {
  if (setting !== 'auto') return setting;
  if (!info?.cluster) return 1;
  const nodes = new Set(info.connect_urls ?? []).size;
  return Math.max(1, Math.min(3, nodes));
}

/**
 * True for what an unreachable, restarting or overloaded server causes, as opposed to a bad request:
 * those become `NatsUnavailableError` (503, retry).
 */
export function isUnavailability(error: unknown): boolean {
  if (error instanceof BackendUnavailableError) return true;
  if (
    error instanceof errors.TimeoutError ||
    error instanceof errors.ClosedConnectionError ||
    error instanceof errors.ConnectionError ||
    error instanceof errors.DrainingConnectionError ||
    error instanceof errors.NoRespondersError ||
    error instanceof errors.RequestError
  )
    return true;
  // "JetStream system temporarily unavailable" and friends.
  if (error instanceof JetStreamApiError) return error.status === 503 || error.status === 408;
  return error instanceof Error && /jetstream (is )?not enabled|timeout|timed out/i.test(error.message);
}

const FIRST_CONNECT_MAX_BACKOFF_MS = 2000;
/** How often the advertised cluster nodes are compared with the last ones seen (a local check, no I/O). */
const CLUSTER_CHECK_MS = 500;

export class NatsConnector {
  readonly #options: NatsConnectionOptions;
  readonly #target: ParsedNatsUrl;
  readonly #logger: NatsLogger;
  readonly #listeners = new Set<ConnectionListener>();
  readonly #stateListeners = new Set<StateListener>();
  readonly #clusterListeners = new Set<() => void>();
  readonly #operationTimeoutMs: number;
  readonly #waiters = new Set<{
    resolve: (connection: NatsConnection) => void;
    reject: (error: Error) => void;
  }>();
  #connection: NatsConnection | undefined;
  #connected = false;
  #closing = false;
  #firstAttempt: Promise<void>;
  #retryTimer: NodeJS.Timeout | undefined;
  /** Client URLs the connected server advertised at the last check. */
  #advertised = new Set<string>();
  #clusterCheck: NodeJS.Timeout | undefined;
  #wakeRetry: (() => void) | undefined;

  constructor(options: NatsConnectionOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#target = parseNatsUrl(options.url, options.username, options.password);
    this.#operationTimeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
    this.#firstAttempt = this.#connectLoop();
  }

  /** True while the client has a live connection to a server. */
  get connected(): boolean {
    return this.#connected;
  }

  /** True once `close()` was called: nothing will connect again. */
  get closed(): boolean {
    return this.#closing;
  }

  /** The connection, if one was ever established and not closed (it may be reconnecting). */
  get current(): NatsConnection | undefined {
    return this.#connection;
  }

  /**
   * Resolves after the first connection attempt succeeded or failed (the connector keeps trying in the
   * background), or after `maxWaitMs`, whichever comes first.
   */
  async firstAttempt(maxWaitMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#firstAttempt,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, maxWaitMs);
        timer.unref();
      }),
    ]);
    clearTimeout(timer);
  }

  /** The current connection, or NatsUnavailableError when there is none (fail fast, never hang). */
  require(): NatsConnection {
    if (!this.#connection || this.#closing) throw new NatsUnavailableError();
    return this.#connection;
  }

  /** Deadline of one store or bus operation. */
  get operationTimeoutMs(): number {
    return this.#operationTimeoutMs;
  }

  /**
   * The connection while the client is connected to a server; NatsUnavailableError while it is not
   * (never connected, or reconnecting): what needs the server fails at once instead of waiting.
   */
  requireConnected(): NatsConnection {
    const connection = this.require();
    if (!this.#connected) throw new NatsUnavailableError('NATS is not connected (reconnecting)');
    return connection;
  }

  /**
   * Runs one store or bus operation on the live connection with a deadline (`timeoutMs`, by default the
   * operation deadline). Fails at once while disconnected; past the deadline, or on an error an outage
   * causes, rejects with NatsUnavailableError (the operation itself may still finish in the background).
   * Other errors pass through unchanged.
   */
  async call<T>(
    what: string,
    operation: (connection: NatsConnection, signal: AbortSignal) => Promise<T>,
    timeoutMs = this.#operationTimeoutMs,
  ): Promise<T> {
    const connection = this.requireConnected();
    const deadline = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const running = operation(connection, deadline.signal);
    try {
      return await Promise.race([
        running,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            deadline.abort();
            reject(new NatsUnavailableError(`NATS ${what} took longer than ${timeoutMs} ms`));
          }, timeoutMs);
        }),
      ]);
    } catch (error) {
      if (error instanceof NatsUnavailableError) throw error;
      if (isUnavailability(error) || !this.#connected) throw this.unavailable(what, error);
      throw error;
    } finally {
      clearTimeout(timer);
      running.catch(noop); // an operation abandoned at its deadline must not surface as unhandled
    }
  }

  /** `error` (caused by an outage) as the NatsUnavailableError the callers map to 503. */
  unavailable(what: string, error: unknown): NatsUnavailableError {
    if (error instanceof NatsUnavailableError) return error;
    return new NatsUnavailableError(`NATS ${what} failed: ${(error as Error)?.message ?? String(error)}`, {
      cause: error,
    });
  }

  /**
   * Resolves with the connection once the client is connected to a server (at once if it is); rejects
   * when `signal` aborts or the connector closes.
   */
  whenConnected(signal?: AbortSignal): Promise<NatsConnection> {
    if (this.#closing) return Promise.reject(new NatsUnavailableError('NATS connection closed'));
    if (this.#connection && this.#connected) return Promise.resolve(this.#connection);
    return new Promise((resolve, reject) => {
      const done = () => {
        listener[Symbol.dispose]();
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        done();
        reject(signal?.reason ?? new NatsUnavailableError());
      };
      const listener = this.onStateChange((connected) => {
        if (this.#closing) {
          done();
          reject(new NatsUnavailableError('NATS connection closed'));
        } else if (connected && this.#connection) {
          done();
          resolve(this.#connection);
        }
      });
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /**
   * Called with `false` when the client loses its server (or the connector closes) and `true` when it is
   * connected again: on the first connection, after each of the client's reconnects, on a new connection.
   */
  onStateChange(listener: StateListener): Disposable {
    this.#stateListeners.add(listener);
    return { [Symbol.dispose]: () => this.#stateListeners.delete(listener) };
  }

  /** Resolves with a connection as soon as there is one; rejects when `signal` aborts or on close. */
  connection(signal?: AbortSignal): Promise<NatsConnection> {
    if (this.#closing) return Promise.reject(new NatsUnavailableError('NATS connection closed'));
    if (this.#connection) return Promise.resolve(this.#connection);
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        this.#waiters.delete(waiter);
        reject(signal?.reason ?? new NatsUnavailableError());
      };
      const waiter = {
        resolve: (connection: NatsConnection) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(connection);
        },
        reject: (error: Error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      };
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.add(waiter);
    });
  }

  /**
   * Called when a node left the cluster: a client URL the connected server advertised (its INFO's
   * `connect_urls`, updated by the server as routes come and go) is no longer advertised: whatever lived
   * on that node only (an ephemeral consumer, a stream leader) is gone or moving, while this client, connected
   * elsewhere, sees no disconnect. (The frame followers read their subjects again.) (The client's own
   * `update` status names only servers it learned by gossip, not those configured in `NATS_URL`; the
   * advertised list is therefore compared here, every CLUSTER_CHECK_MS and on every `update`.)
   */
  onClusterChange(listener: () => void): Disposable {
    this.#clusterListeners.add(listener);
    return { [Symbol.dispose]: () => this.#clusterListeners.delete(listener) };
  }

  /** The connected server's INFO (cluster name and the client URLs it advertises), if connected. */
  get serverInfo(): { cluster?: string; connect_urls?: string[]; server_name?: string } | undefined {
    return this.#connection?.info;
  }

  /** Called with every new connection object (not on the client's own reconnects of the same one). */
  onConnection(listener: ConnectionListener): Disposable {
    this.#listeners.add(listener);
    if (this.#connection) this.#notify(listener, this.#connection);
    return { [Symbol.dispose]: () => this.#listeners.delete(listener) };
  }

  /** Drains the connection (finishing in-flight work) and stops trying to connect. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    clearTimeout(this.#retryTimer);
    clearInterval(this.#clusterCheck);
    this.#wakeRetry?.();
    const failure = new NatsUnavailableError('NATS connection closed');
    for (const waiter of [...this.#waiters]) {
      this.#waiters.delete(waiter);
      waiter.reject(failure);
    }
    const connection = this.#connection;
    const live = this.#connected;
    this.#connection = undefined;
    this.#connected = false;
    this.#setState(false);
    if (!connection || connection.isClosed()) return;
    try {
      // A disconnected client cannot drain (it would wait for the server); close it instead.
      if (connection.isDraining()) await connection.closed();
      else if (live) await withTimeout(connection.drain(), 5000);
      else await connection.close();
    } catch (error) {
      this.#logger.debug({ err: error }, 'closing the NATS connection failed');
      await connection.close().catch(noop);
    }
  }

  /** Opens a connection, retrying with a capped backoff until it succeeds or the connector closes. */
  async #connectLoop(): Promise<void> {
    let attempt = 0;
    while (!this.#closing) {
      try {
        const connection = await connect({
          servers: this.#target.servers,
          ...(this.#target.user !== undefined ? { user: this.#target.user } : {}),
          ...(this.#target.pass !== undefined ? { pass: this.#target.pass } : {}),
          ...(this.#target.token !== undefined ? { token: this.#target.token } : {}),
          name: this.#options.name ?? 'noetl-gateway',
          maxReconnectAttempts: -1,
          reconnectTimeWait: this.#options.reconnectTimeWaitMs ?? 250,
          reconnectJitter: 100,
          pingInterval: 10_000,
          // Otherwise every request builds error objects with async stack traces up front: measured at a
          // fifth of a replica's CPU under callback load (bench/).
          noAsyncTraces: true,
        });
        if (this.#closing) {
          await connection.close().catch(noop);
          return;
        }
        this.#adopt(connection);
        return;
      } catch (error) {
        const log = attempt === 0 ? this.#logger.warn : this.#logger.debug;
        log.call(this.#logger, { err: error, servers: this.#target.servers }, 'NATS not reachable; retrying');
        attempt++;
        await this.#pause(Math.min(250 * 2 ** Math.min(attempt, 4), FIRST_CONNECT_MAX_BACKOFF_MS));
      }
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wakeRetry = resolve;
      this.#retryTimer = setTimeout(resolve, ms);
      this.#retryTimer.unref();
    });
  }

  #adopt(connection: NatsConnection): void {
    this.#connection = connection;
    this.#connected = true;
    this.#logger.info({ server: connection.getServer() }, 'NATS connected');
    this.#advertised = new Set(connection.info?.connect_urls ?? []);
    clearInterval(this.#clusterCheck);
    this.#clusterCheck = setInterval(() => this.#checkCluster(), CLUSTER_CHECK_MS);
    this.#clusterCheck.unref();
    void this.#watchStatus(connection);
    void connection.closed().then((error) => {
      if (this.#connection !== connection) return;
      this.#connection = undefined;
      this.#connected = false;
      this.#setState(false);
      if (this.#closing) return;
      // The client gave up (e.g. an authorization error); start over with a new connection.
      this.#logger.warn({ err: error }, 'NATS connection closed unexpectedly; reconnecting');
      this.#firstAttempt = this.#connectLoop();
    });
    for (const waiter of [...this.#waiters]) {
      this.#waiters.delete(waiter);
      waiter.resolve(connection);
    }
    for (const listener of [...this.#listeners]) this.#notify(listener, connection);
    this.#setState(true);
  }

  /** Compares the advertised nodes with the last ones seen; tells the cluster listeners when one left. */
  #checkCluster(): void {
    const connection = this.#connection;
    if (!connection || !this.#connected) return;
    const now = new Set(connection.info?.connect_urls ?? []);
    const lost = [...this.#advertised].filter((url) => !now.has(url));
    const joined = [...now].filter((url) => !this.#advertised.has(url));
    this.#advertised = now;
    if (joined.length > 0) this.#logger.info({ joined }, 'a NATS cluster node joined');
    if (lost.length === 0) return;
    this.#logger.warn({ lost }, 'a NATS cluster node left');
    for (const listener of [...this.#clusterListeners]) {
      try {
        listener();
      } catch (error) {
        this.#logger.error({ err: error }, 'a NATS cluster listener failed');
      }
    }
  }

  #setState(connected: boolean): void {
    for (const listener of [...this.#stateListeners]) {
      try {
        listener(connected);
      } catch (error) {
        this.#logger.error({ err: error }, 'a NATS state listener failed');
      }
    }
  }

  #notify(listener: ConnectionListener, connection: NatsConnection): void {
    try {
      listener(connection);
    } catch (error) {
      this.#logger.error({ err: error }, 'a NATS connection listener failed');
    }
  }

  async #watchStatus(connection: NatsConnection): Promise<void> {
    try {
      for await (const status of connection.status()) {
        if (this.#connection !== connection) return;
        switch (status.type) {
          case 'disconnect':
            this.#connected = false;
            this.#logger.warn({ server: status.server }, 'NATS disconnected; reconnecting');
            this.#setState(false);
            break;
          case 'reconnect':
            this.#connected = true;
            // Followers started over with the disconnect: the new server's view is the baseline.
            this.#advertised = new Set(connection.info?.connect_urls ?? []);
            this.#logger.info({ server: status.server }, 'NATS reconnected');
            this.#setState(true);
            break;
          case 'error':
            this.#logger.warn({ err: status.error }, 'NATS reported an error');
            break;
          case 'update':
            this.#checkCluster();
            break;
          case 'close':
            this.#connected = false;
            this.#setState(false);
            break;
          default:
            break;
        }
      }
    } catch (error) {
      this.#logger.debug({ err: error }, 'NATS status stream ended');
    }
  }
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
