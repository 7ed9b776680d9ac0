/**
 * @module adapters/nats/natsFrameLog
 * The frame log as one JetStream stream (`GATEWAY_FRAMES`), one subject per client
 * (`gateway.frames.<clientId>`), bounded by age and by count per client. A frame's seq is its stream
 * sequence: increasing per client, not contiguous. `follow` reads with an ordered consumer and starts it
 * again from the last frame it yielded whenever it stops (server restart, lost connection), so a follower
 * neither loses nor repeats frames.
 */
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import { type NatsConnection, nanos, nuid } from '@nats-io/transport-node';
import { FrameQueue } from '../frameQueue.ts';
import type { FrameLog, LoggedFrame } from '../ports.ts';
import { type NatsConnector, type NatsLogger, silentLogger } from './natsConnection.ts';

const API_TIMEOUT_MS = 5000;
const PUBLISH_TIMEOUT_MS = 3000;
/** Frames a follower holds before it stops pulling from NATS until its reader catches up. */
const FOLLOW_HIGH_WATER = 256;
const FOLLOW_RETRY_MAX_MS = 2000;
/** JetStream's default duplicate window; it must not exceed the stream's max age. */
const DUPLICATE_WINDOW_MS = 120_000;

/** A client id becomes one subject token: no separators, wildcards or whitespace. */
const VALID_CLIENT_ID = /^[^\s.*>]+$/;

export interface NatsFrameLogOptions {
  retentionMs: number;
  framesPerClient: number;
  /** Default `GATEWAY_FRAMES`. */
  streamName?: string;
  /** Default `gateway.frames`; the stream takes `<prefix>.>`. */
  subjectPrefix?: string;
  logger?: NatsLogger;
}

interface JetStreamContext {
  js: JetStreamClient;
  jsm: JetStreamManager;
}

export class NatsFrameLog implements FrameLog {
  readonly streamName: string;
  readonly #subjectPrefix: string;
  readonly #connector: NatsConnector;
  readonly #options: NatsFrameLogOptions;
  readonly #logger: NatsLogger;
  /** The stream made sure of on a given connection; a new connection checks again. */
  #context: { connection: NatsConnection; ready: Promise<JetStreamContext> } | undefined;

  constructor(connector: NatsConnector, options: NatsFrameLogOptions) {
    this.#connector = connector;
    this.#options = options;
    this.streamName = options.streamName ?? 'GATEWAY_FRAMES';
    this.#subjectPrefix = options.subjectPrefix ?? 'gateway.frames';
    this.#logger = options.logger ?? silentLogger;
  }

  /** Creates (or updates) the stream now if NATS is connected; failures are retried on use. */
  async warmUp(): Promise<void> {
    const connection = this.#connector.current;
    if (!connection) return;
    await this.#ready(connection).catch((error: unknown) =>
      this.#logger.warn(
        { err: error, stream: this.streamName },
        'preparing the frame stream failed; will retry',
      ),
    );
  }

  async append(clientId: string, data: string): Promise<number> {
    const subject = this.#subject(clientId);
    const connection = this.#connector.require();
    const { js } = await this.#ready(connection);
    // The client retries a publish that timed out or found no stream (a restarting server); the same
    // message id on every attempt lets JetStream drop a copy when an earlier attempt was in fact stored.
    try {
      const ack = await js.publish(subject, data, {
        msgID: nuid.next(),
        timeout: PUBLISH_TIMEOUT_MS,
        retries: 3,
      });
      return ack.seq;
    } catch (error) {
      this.#forget(connection);
      throw error;
    }
  }

  async lastSeq(clientId: string): Promise<number> {
    const subject = this.#subject(clientId);
    const { jsm } = await this.#ready(this.#connector.require());
    const last = await jsm.streams.getMessage(this.streamName, { last_by_subj: subject });
    return last?.seq ?? 0;
  }

  follow(clientId: string, afterSeq: number): AsyncIterableIterator<LoggedFrame> & AsyncDisposable {
    const closing = new AbortController();
    // Backpressure: a slow reader stops the pulling instead of growing the queue without bound.
    const queue = new FrameQueue({ highWater: FOLLOW_HIGH_WATER, onClose: () => closing.abort() });
    if (VALID_CLIENT_ID.test(clientId)) {
      void this.#pump(clientId, afterSeq, (frame) => queue.push(frame), closing.signal)
        .catch((error: unknown) =>
          this.#logger.error({ err: error, clientId }, 'following a frame log failed'),
        )
        // The pump gave up for good (the connector closed): the reader ends once drained.
        .finally(() => queue.end());
    } else {
      queue.end();
    }
    return queue.iterator();
  }

  /**
   * Feeds `push` with the client's frames after `afterSeq`, for as long as `signal` is not aborted. Each
   * round opens an ordered consumer at the frame after the last one pushed; when it ends for any reason
   * but closing, a new round starts from there.
   */
  async #pump(
    clientId: string,
    afterSeq: number,
    push: (frame: LoggedFrame) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const subject = this.#subject(clientId);
    let cursor: number | undefined;
    let failures = 0;
    while (!signal.aborted && !this.#connector.closed) {
      let connection: NatsConnection | undefined;
      try {
        connection = await this.#connector.connection(signal);
        const { js, jsm } = await this.#ready(connection);
        if (cursor === undefined) cursor = await this.#startAfter(jsm, afterSeq);
        const consumer = await js.consumers.get(this.streamName, {
          filter_subjects: subject,
          opt_start_seq: cursor + 1,
        });
        const messages = await consumer.consume({ max_messages: FOLLOW_HIGH_WATER });
        const stop = () => messages.stop();
        signal.addEventListener('abort', stop, { once: true });
        // Closed while the consumer was being created: the listener above came too late to fire.
        if (signal.aborted) stop();
        try {
          for await (const message of messages) {
            if (signal.aborted) break;
            // The ordered consumer never repeats, but a new round must not either.
            if (message.seq <= cursor) continue;
            cursor = message.seq;
            failures = 0;
            await push({ seq: message.seq, data: message.string() });
          }
        } finally {
          signal.removeEventListener('abort', stop);
          messages.stop();
          // Do not leave the server an idle consumer to expire on its own.
          consumer.delete().catch(() => {});
        }
        if (!signal.aborted) this.#logger.debug({ clientId }, 'frame consumer ended; following again');
      } catch (error) {
        if (signal.aborted) return;
        // The stream may be gone (deleted by an operator): make sure of it again on the next round.
        if (connection) this.#forget(connection);
        failures++;
        this.#logger.debug({ err: error, clientId }, 'following frames failed; retrying');
      }
      if (!signal.aborted && !this.#connector.closed)
        await pause(Math.min(100 * 2 ** Math.min(failures, 5), FOLLOW_RETRY_MAX_MS), signal);
    }
  }

  /**
   * Where a follower starts. Frames after `afterSeq` that exist, then every new one: a resume point past
   * the end of the stream (a client that saw a stream that was since recreated) means "only new frames",
   * as with the memory log, instead of waiting for the sequence to catch up.
   */
  async #startAfter(jsm: JetStreamManager, afterSeq: number): Promise<number> {
    if (afterSeq <= 0) return 0;
    const info = await jsm.streams.info(this.streamName);
    return Math.min(afterSeq, info.state.last_seq);
  }

  #subject(clientId: string): string {
    if (!VALID_CLIENT_ID.test(clientId)) throw new Error(`client id not usable as a NATS subject token`);
    return `${this.#subjectPrefix}.${clientId}`;
  }

  #forget(connection: NatsConnection): void {
    if (this.#context?.connection === connection) this.#context = undefined;
  }

  #ready(connection: NatsConnection): Promise<JetStreamContext> {
    if (this.#context?.connection !== connection) {
      const ready = this.#ensureStream(connection);
      const context = { connection, ready };
      this.#context = context;
      ready.catch(() => {
        if (this.#context === context) this.#context = undefined;
      });
    }
    return this.#context.ready;
  }

  async #ensureStream(connection: NatsConnection): Promise<JetStreamContext> {
    const jsm = await jetstreamManager(connection, { timeout: API_TIMEOUT_MS });
    const js = jetstream(connection, { timeout: API_TIMEOUT_MS });
    const maxAge = nanos(this.#options.retentionMs);
    const limits = {
      max_age: maxAge,
      max_msgs_per_subject: this.#options.framesPerClient,
      duplicate_window: nanos(Math.min(DUPLICATE_WINDOW_MS, this.#options.retentionMs)),
    };
    try {
      const info = await jsm.streams.info(this.streamName);
      const config = info.config;
      if (
        config.max_age !== limits.max_age ||
        config.max_msgs_per_subject !== limits.max_msgs_per_subject ||
        config.duplicate_window !== limits.duplicate_window
      ) {
        // The configured retention is the truth: bring an existing stream to it.
        await jsm.streams.update(this.streamName, { ...config, ...limits });
        this.#logger.info({ stream: this.streamName, ...limits }, 'frame stream retention updated');
      }
    } catch (error) {
      if (!(error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound))
        throw error;
      const config: Partial<StreamConfig> & { name: string } = {
        name: this.streamName,
        description: 'Frames routed to SSE clients, kept for resuming',
        subjects: [`${this.#subjectPrefix}.>`],
        retention: RetentionPolicy.Limits,
        storage: StorageType.File,
        discard: DiscardPolicy.Old,
        num_replicas: 1,
        ...limits,
      };
      try {
        await jsm.streams.add(config);
      } catch (addError) {
        // Another replica may have created it in between; if it now exists, that is fine.
        await jsm.streams.info(this.streamName).catch(() => Promise.reject(addError));
      }
    }
    return { js, jsm };
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
