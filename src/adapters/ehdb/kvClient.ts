/**
 * @module adapters/ehdb/kvClient
 * One TCP connection to EHDB's KV face per replica, reused by every call. Requests are pipelined — written
 * as they come, without waiting for earlier answers — and answers are matched to them in order (the KV face
 * answers a connection's requests in the order it received them).
 *
 * Outage decision (as the NATS adapter's): the client never throws at start and never crashes the process.
 * It connects in the background and again after every drop, waiting 250 ms, doubling to 5 s, between
 * attempts. While it waits, calls fail at once with `EhdbUnavailableError` (a `BackendUnavailableError`:
 * 503 with `Retry-After` for the caller); a call made while a connection attempt is under way waits for it.
 * Every call has a deadline; a call past it fails the same way and the connection is dropped and redialled,
 * since answers behind a lost one can no longer be matched. A malformed answer drops the connection too.
 */
import { connect, type Socket } from 'node:net';
import { BackendUnavailableError } from '../ports.ts';
import {
  decodeResponse,
  encodeFrame,
  FrameReader,
  KvProtocolError,
  type KvRequest,
  type KvResponse,
} from './kvProtocol.ts';

/** The subset of a pino logger the EHDB adapters use. */
export interface EhdbLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

const noop = () => {};
export const silentLogger: EhdbLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** EHDB (KV face or feed) cannot be reached, did not answer in time, or refused a call. */
export class EhdbUnavailableError extends BackendUnavailableError {
  constructor(message = 'EHDB KV is not connected', options?: ErrorOptions) {
    super(message, options);
    this.name = 'EhdbUnavailableError';
  }
}

/** Reconnect backoff: 250 ms, doubling, at most 5 s (the reference feed reader's schedule). */
export const BACKOFF = { initialMs: 250, maxMs: 5000 } as const;

export interface EhdbKvClientOptions {
  host: string;
  port: number;
  /** Deadline of one call, the wait for a connection included (default 2000 ms). */
  timeoutMs?: number;
  /** Calls awaiting an answer at once; past it a call fails at once (default 10,000). */
  maxInFlight?: number;
  /** Largest answer accepted; a larger one drops the connection (default 16 MiB). */
  maxFrameBytes?: number;
  logger?: EhdbLogger;
  /** Told when the connection comes up (true) or goes away (false). */
  onStateChange?: (connected: boolean) => void;
}

interface InFlight {
  resolve(response: KvResponse): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

interface Connection {
  socket: Socket;
  reader: FrameReader;
  /** Calls written on this connection, oldest first: the next answer belongs to the first. */
  inFlight: InFlight[];
  /** Writes of this tick are being gathered. */
  corked: boolean;
}

export class EhdbKvClient {
  readonly #options: Required<Omit<EhdbKvClientOptions, 'onStateChange'>> &
    Pick<EhdbKvClientOptions, 'onStateChange'>;
  #connection: Connection | undefined;
  /** Set while a connection attempt is under way: resolves to the connection, or undefined when it failed. */
  #connecting: Promise<Connection | undefined> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #backoffMs: number = BACKOFF.initialMs;
  #closed = false;
  /** Whether a drop was already logged (one warning per outage, not per attempt). */
  #outageLogged = false;

  constructor(options: EhdbKvClientOptions) {
    this.#options = {
      timeoutMs: 2000,
      maxInFlight: 10_000,
      maxFrameBytes: 16 * 1024 * 1024,
      logger: silentLogger,
      ...options,
    };
    this.#dial();
  }

  get connected(): boolean {
    return this.#connection !== undefined;
  }

  /** Waits (at most `waitMs`) for the first connection attempt to finish, whatever its outcome. */
  async firstAttempt(waitMs: number): Promise<void> {
    if (!this.#connecting) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#connecting,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timer);
  }

  /** Sends one request and returns its answer (which may be `ok: false`: the caller decides what that means). */
  async call(request: KvRequest, timeoutMs = this.#options.timeoutMs): Promise<KvResponse> {
    if (this.#closed) throw new EhdbUnavailableError('EHDB KV client is closed');
    const deadline = Date.now() + timeoutMs;
    let connection = this.#connection;
    if (!connection) {
      if (!this.#connecting) throw new EhdbUnavailableError();
      connection = await this.#withDeadline(this.#connecting, timeoutMs);
      if (!connection) throw new EhdbUnavailableError();
    }
    if (connection.inFlight.length >= this.#options.maxInFlight)
      throw new EhdbUnavailableError(
        `EHDB KV has ${connection.inFlight.length} calls in flight (GATEWAY_EHDB_KV_MAX_IN_FLIGHT)`,
      );
    const frame = encodeFrame(request);
    return new Promise<KvResponse>((resolve, reject) => {
      const left = Math.max(1, deadline - Date.now());
      const timer = setTimeout(() => {
        // The answer may still come, but every answer after it would then go to the wrong call: start over.
        this.#drop(connection, new EhdbUnavailableError(`EHDB KV did not answer within ${timeoutMs} ms`));
      }, left);
      connection.inFlight.push({ resolve, reject, timer });
      // Requests made in the same tick leave in one write (one packet, one syscall, rather than one each).
      if (!connection.corked) {
        connection.corked = true;
        connection.socket.cork();
        process.nextTick(() => {
          connection.corked = false;
          connection.socket.uncork();
        });
      }
      connection.socket.write(frame);
    });
  }

  /** Closes the connection; calls in flight fail, later ones fail at once. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#retry);
    const connection = this.#connection;
    if (connection) this.#drop(connection, new EhdbUnavailableError('EHDB KV client is closed'));
  }

  #withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new EhdbUnavailableError('EHDB KV connection not ready in time')),
          ms,
        );
      }),
    ]).finally(() => clearTimeout(timer));
  }

  #dial(): void {
    if (this.#closed) return;
    const { host, port, maxFrameBytes, logger } = this.#options;
    this.#connecting = new Promise<Connection | undefined>((resolve) => {
      const socket = connect({ host, port });
      const failed = (error: Error) => {
        socket.destroy();
        this.#connecting = undefined;
        if (!this.#outageLogged) {
          logger.warn({ err: error }, 'EHDB KV unreachable; retrying in the background');
          this.#outageLogged = true;
        }
        this.#scheduleRetry();
        resolve(undefined);
      };
      socket.once('error', failed);
      socket.once('connect', () => {
        socket.off('error', failed);
        if (this.#closed) {
          socket.destroy();
          resolve(undefined);
          return;
        }
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 10_000);
        const connection: Connection = {
          socket,
          reader: new FrameReader(maxFrameBytes),
          inFlight: [],
          corked: false,
        };
        socket.on('data', (chunk: Buffer) => this.#receive(connection, chunk));
        socket.on('error', (error) => this.#drop(connection, new EhdbUnavailableError(error.message)));
        socket.on('close', () =>
          this.#drop(connection, new EhdbUnavailableError('EHDB KV connection closed')),
        );
        this.#connection = connection;
        this.#connecting = undefined;
        this.#backoffMs = BACKOFF.initialMs;
        if (this.#outageLogged) logger.info({}, 'EHDB KV connected again');
        this.#outageLogged = false;
        this.#options.onStateChange?.(true);
        resolve(connection);
      });
    });
  }

  #receive(connection: Connection, chunk: Buffer): void {
    let responses: KvResponse[];
    try {
      responses = connection.reader.push(chunk).map(decodeResponse);
    } catch (error) {
      this.#drop(
        connection,
        new EhdbUnavailableError('EHDB KV answered outside its protocol', { cause: error }),
      );
      return;
    }
    for (const response of responses) {
      const call = connection.inFlight.shift();
      if (!call) {
        this.#drop(
          connection,
          new EhdbUnavailableError('EHDB KV answered a request it was not sent', {
            cause: new KvProtocolError('unsolicited answer'),
          }),
        );
        return;
      }
      clearTimeout(call.timer);
      call.resolve(response);
    }
  }

  /** Forgets a connection (once): its calls fail with `error`, and a new one is dialled after the backoff. */
  #drop(connection: Connection, error: Error): void {
    if (this.#connection !== connection) return;
    this.#connection = undefined;
    connection.socket.destroy();
    for (const call of connection.inFlight.splice(0)) {
      clearTimeout(call.timer);
      call.reject(error);
    }
    this.#options.onStateChange?.(false);
    if (this.#closed) return;
    this.#options.logger.warn({ err: error }, 'EHDB KV connection lost; reconnecting');
    this.#outageLogged = true;
    this.#scheduleRetry();
  }

  #scheduleRetry(): void {
    if (this.#closed) return;
    const wait = this.#backoffMs;
    this.#backoffMs = Math.min(this.#backoffMs * 2, BACKOFF.maxMs);
    this.#retry = setTimeout(() => this.#dial(), wait);
    this.#retry.unref();
  }
}
