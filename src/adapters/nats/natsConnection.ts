/**
 * @module adapters/nats/natsConnection
 * One NATS connection per replica that keeps trying forever: it is opened in the background, the client
 * reconnects by itself after a drop, and a closed connection is replaced. Exposes whether it is connected
 * (readiness) and hands the current connection to the adapters. No NATS error escapes as a crash.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
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
  logger?: NatsLogger;
}

/** Raised by operations that need NATS while no connection has been established. */
export class NatsUnavailableError extends BackendUnavailableError {
  constructor(message = 'NATS is not connected') {
    super(message);
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

const FIRST_CONNECT_MAX_BACKOFF_MS = 2000;

export class NatsConnector {
  readonly #options: NatsConnectionOptions;
  readonly #target: ParsedNatsUrl;
  readonly #logger: NatsLogger;
  readonly #listeners = new Set<ConnectionListener>();
  readonly #waiters = new Set<{
    resolve: (connection: NatsConnection) => void;
    reject: (error: Error) => void;
  }>();
  #connection: NatsConnection | undefined;
  #connected = false;
  #closing = false;
  #firstAttempt: Promise<void>;
  #retryTimer: NodeJS.Timeout | undefined;
  #wakeRetry: (() => void) | undefined;

  constructor(options: NatsConnectionOptions) {
    this.#options = options;
    this.#logger = options.logger ?? silentLogger;
    this.#target = parseNatsUrl(options.url, options.username, options.password);
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
    void this.#watchStatus(connection);
    void connection.closed().then((error) => {
      if (this.#connection !== connection) return;
      this.#connection = undefined;
      this.#connected = false;
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
            break;
          case 'reconnect':
            this.#connected = true;
            this.#logger.info({ server: status.server }, 'NATS reconnected');
            break;
          case 'error':
            this.#logger.warn({ err: status.error }, 'NATS reported an error');
            break;
          case 'close':
            this.#connected = false;
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
