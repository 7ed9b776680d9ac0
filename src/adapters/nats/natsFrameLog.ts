/**
 * @module adapters/nats/natsFrameLog
 * The frame log as one JetStream stream (`GATEWAY_FRAMES`), one subject per client
 * (`gateway.frames.<clientId>`), bounded by age and by count per client. A frame's seq is its stream
 * sequence: increasing per client, not contiguous.
 *
 * `follow` reads with an ordered consumer, in rounds. A round ends when the client loses its server
 * (disconnect), when the consumer reports trouble (missed heartbeats, consumer or stream gone), or when
 * the consumer ends; the next round waits until NATS is connected again and opens a new consumer at the
 * frame after the last one handed out. Frames at or before that point are skipped, so a follower neither
 * loses nor repeats a frame across server restarts and reconnects. (The client library's own recovery of
 * an ordered consumer is not relied on: after a restart it may back off for 30 s or stall silently.)
 * A round also ends when a node leaves the NATS cluster: JetStream places each ephemeral consumer on any
 * node holding the stream, so a lost node silently takes some consumers with it while this client stays
 * connected to another (found otherwise only by two missed heartbeats, ~30 s later).
 *
 * Several frames can be stored as one message (`appendAll`: a `playbook/state` frame and its result in one
 * JetStream publish); a header gives their lengths. Frame i of n in the message at stream sequence S has
 * position S - (n-1-i)/n, so positions stay increasing and the last frame keeps the message's sequence.
 * `appendAll` with an id sends it as `Nats-Msg-Id`: JetStream drops a second message with the same id
 * within the stream's duplicate window (`dedupWindowMs`) and answers with the first one's sequence.
 *
 * Replication: the stream is created with the configured replica count and an existing one brought to it.
 */
import {
  type ConsumerNotification,
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
import { errors, headers, type MsgHdrs, type NatsConnection, nanos, nuid } from '@nats-io/transport-node';
import { outgoingCall } from '../../observability/tracing.ts';
import { FrameQueue } from '../frameQueue.ts';
import type { AppendResult, FrameLog, LoggedFrame } from '../ports.ts';
import {
  isUnavailability,
  type NatsConnector,
  type NatsLogger,
  type ReplicaSetting,
  replicasFor,
  silentLogger,
} from './natsConnection.ts';
import { ensureReplicas } from './natsKeyValueStore.ts';

/** Frames a follower holds before it stops pulling from NATS until its reader catches up. */
const FOLLOW_HIGH_WATER = 256;
const FOLLOW_RETRY_MAX_MS = 2000;
/**
 * A follower's pull request lives this long (the client's default); the server sends a heartbeat every
 * half of it while the request waits, and two missed heartbeats end the round: a consumer lost without a
 * disconnect (deleted by an operator) is replaced within about a minute. Disconnects end a round at once.
 * Shorter would detect that rarer case sooner at the cost of idle traffic for every open stream.
 */
const FOLLOW_PULL_EXPIRES_MS = 30_000;
/** Consumer notifications after which the round starts over with a new consumer. */
const CONSUMER_TROUBLE = new Set([
  'consumer_deleted',
  'consumer_not_found',
  'stream_not_found',
  'no_responders',
]);
/** JetStream's default duplicate window; it must not exceed the stream's max age. */
const DUPLICATE_WINDOW_MS = 120_000;
/** Header of a message holding several frames: their lengths, comma-separated. */
const FRAMES_HEADER = 'Gateway-Frames';
/** Rounds ended by a cluster change start again spread over this long (not all consumers at once). */
const CLUSTER_CHANGE_SPREAD_MS = 1000;

/** A client id becomes one subject token: no separators, wildcards or whitespace. */
const VALID_CLIENT_ID = /^[^\s.*>]+$/;

export interface NatsFrameLogOptions {
  retentionMs: number;
  framesPerClient: number;
  /** Default `GATEWAY_FRAMES`. */
  streamName?: string;
  /** Default `gateway.frames`; the stream takes `<prefix>.>`. */
  subjectPrefix?: string;
  /** Replicas of the stream (default `auto`). */
  replicas?: ReplicaSetting;
  /** How long `appendAll` ids are remembered (the stream's duplicate window; default 120 s, at most the retention). */
  dedupWindowMs?: number;
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
  /** Ends the current round of every follower (a cluster node was lost). */
  readonly #rounds = new Set<() => void>();
  readonly #clusterChange: Disposable;

  constructor(connector: NatsConnector, options: NatsFrameLogOptions) {
    this.#connector = connector;
    this.#options = options;
    this.streamName = options.streamName ?? 'GATEWAY_FRAMES';
    this.#subjectPrefix = options.subjectPrefix ?? 'gateway.frames';
    this.#logger = options.logger ?? silentLogger;
    this.#clusterChange = connector.onClusterChange(() => {
      if (this.#rounds.size > 0)
        this.#logger.info(
          { followers: this.#rounds.size },
          'NATS cluster changed: frame followers start over',
        );
      for (const end of [...this.#rounds]) end();
    });
  }

  /** Stops listening to the connector (the followers end with it). */
  [Symbol.dispose](): void {
    this.#clusterChange[Symbol.dispose]();
  }

  /** Creates (or updates) the stream now if NATS is connected; failures are retried on use. */
  async warmUp(): Promise<void> {
    if (!this.#connector.connected) return;
    await this.#connector
      .call('preparing the frame stream', (connection) => this.#ready(connection))
      .catch((error: unknown) =>
        this.#logger.warn(
          { err: error, stream: this.streamName },
          'preparing the frame stream failed; will retry',
        ),
      );
  }

  /**
   * Stores a frame within the connector's deadline. A server that does not answer yet (JetStream still
   * starting) is asked again while the deadline allows; every attempt carries the same message id, so
   * JetStream drops a copy when an earlier attempt was in fact stored.
   */
  async append(clientId: string, data: string): Promise<number> {
    return (await this.appendAll(clientId, [data])).seq;
  }

  async appendAll(
    clientId: string,
    frames: readonly string[],
    options: { id?: string } = {},
  ): Promise<AppendResult> {
    if (frames.length === 0) throw new Error('appendAll needs at least one frame');
    const subject = this.#subject(clientId);
    const traced = outgoingCall('nats', 'nats publish', 'publish', subject);
    try {
      const result = await this.#append(subject, frames, options.id);
      traced?.end();
      return result;
    } catch (error) {
      traced?.end(undefined, error);
      throw error;
    }
  }

  /**
   * Stores frames as one message on their client's subject (JetStream publish, acknowledged). A duplicate
   * (the id was used within the window) is read back, so the caller can tell its own earlier write (a
   * retry) from another one.
   */
  #append(subject: string, frames: readonly string[], id: string | undefined): Promise<AppendResult> {
    const msgID = id ?? nuid.next();
    const data = frames.length === 1 ? frames[0]! : frames.join('');
    let hdrs: MsgHdrs | undefined;
    if (frames.length > 1) {
      hdrs = headers();
      hdrs.set(FRAMES_HEADER, frames.map((frame) => frame.length).join(','));
    }
    return this.#connector.call('frame append', async (connection, deadline) => {
      try {
        const { js, jsm } = await this.#ready(connection);
        for (let attempt = 0; ; attempt++) {
          try {
            const ack = await js.publish(subject, data, {
              msgID,
              timeout: this.#connector.operationTimeoutMs,
              ...(hdrs ? { headers: hdrs } : {}),
            });
            if (!ack.duplicate) return { seq: ack.seq, duplicate: false };
            if (id === undefined) return { seq: ack.seq, duplicate: false }; // an earlier attempt of this call
            const earlier = await jsm.streams.getMessage(this.streamName, { seq: ack.seq }).catch(() => null);
            return {
              seq: ack.seq,
              duplicate: true,
              ...(earlier && earlier.subject === subject
                ? { earlier: splitFrames(earlier.string(), earlier.header) }
                : {}),
            };
          } catch (error) {
            if (deadline.aborted || !isNoResponders(error)) throw error;
            await pause(Math.min(50 * 2 ** attempt, 500), deadline);
            if (deadline.aborted) throw error;
          }
        }
      } catch (error) {
        // The stream may be gone (deleted by an operator): make sure of it again on the next use.
        if (!isUnavailability(error)) this.#forget(connection);
        throw error;
      }
    });
  }

  /** One cheap round trip to the stream's leader (readiness), within `timeoutMs`. */
  async probe(timeoutMs: number): Promise<void> {
    await this.#connector.call(
      'frame stream probe',
      async (connection) => {
        try {
          const { jsm } = await this.#ready(connection);
          await jsm.streams.info(this.streamName);
        } catch (error) {
          if (!isUnavailability(error)) this.#forget(connection);
          throw error;
        }
      },
      timeoutMs,
    );
  }

  async lastSeq(clientId: string): Promise<number> {
    const subject = this.#subject(clientId);
    return this.#connector.call('frame log read', async (connection) => {
      const { jsm } = await this.#ready(connection);
      const last = await jsm.streams.getMessage(this.streamName, { last_by_subj: subject });
      return last?.seq ?? 0;
    });
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
   * round waits for a live connection, opens an ordered consumer at the frame after the last one pushed,
   * and reads until the connection drops, the consumer reports trouble, or it ends; then a new round
   * starts from there.
   */
  async #pump(
    clientId: string,
    afterSeq: number,
    push: (frame: LoggedFrame) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const subject = this.#subject(clientId);
    /** The last frame pushed (or the resume point before the first). */
    let cursor = afterSeq;
    let resumed = false;
    let failures = 0;
    while (!signal.aborted && !this.#connector.closed) {
      const round = new AbortController();
      const endRound = () => round.abort();
      let clusterChanged = false;
      const endForClusterChange = () => {
        clusterChanged = true;
        endRound();
      };
      this.#rounds.add(endForClusterChange);
      signal.addEventListener('abort', endRound, { once: true });
      // Registered before the connection is awaited, so no disconnect can slip between the two.
      const watch = this.#connector.onStateChange((connected) => {
        if (!connected) endRound();
      });
      let connection: NatsConnection | undefined;
      try {
        connection = await this.#connector.whenConnected(round.signal);
        const { js, jsm } = await this.#connector.call('preparing the frame stream', (live) =>
          this.#ready(live),
        );
        cursor = await this.#connector.call('frame log read', () => this.#resumePoint(jsm, cursor, resumed));
        resumed = true;
        // The message holding the frame after the cursor (a cursor inside a message restarts at it).
        const consumer = await this.#connector.call('opening a frame consumer', () =>
          js.consumers.get(this.streamName, {
            filter_subjects: subject,
            opt_start_seq: Math.floor(cursor) + 1,
          }),
        );
        const messages = await consumer.consume({
          max_messages: FOLLOW_HIGH_WATER,
          expires: FOLLOW_PULL_EXPIRES_MS,
        });
        failures = 0;
        const stop = () => messages.stop();
        round.signal.addEventListener('abort', stop, { once: true });
        // Ended while the consumer was being created: the listener above came too late to fire.
        if (round.signal.aborted) stop();
        void watchConsumer(messages.status(), endRound, round.signal);
        try {
          for await (const message of messages) {
            if (round.signal.aborted) break;
            // The ordered consumer never repeats, but a new round must not either.
            if (message.seq <= cursor) continue;
            const batch = message.headers?.get(FRAMES_HEADER);
            if (!batch) {
              cursor = message.seq;
              await push({ seq: message.seq, data: message.string() });
              continue;
            }
            const frames = splitFrames(message.string(), message.headers);
            for (let i = 0; i < frames.length; i++) {
              const position = framePosition(message.seq, i, frames.length);
              if (position <= cursor) continue;
              cursor = position;
              await push({ seq: position, data: frames[i]! });
              if (round.signal.aborted) break;
            }
          }
        } finally {
          round.signal.removeEventListener('abort', stop);
          messages.stop();
          // Do not leave the server an idle consumer to expire on its own.
          consumer.delete().catch(() => {});
        }
        if (!signal.aborted)
          this.#logger.debug({ clientId, cursor }, 'frame consumer ended; following again');
      } catch (error) {
        if (signal.aborted) return;
        // The stream may be gone (deleted by an operator): make sure of it again on the next round.
        if (connection && !isUnavailability(error)) this.#forget(connection);
        failures++;
        this.#logger.debug({ err: error, clientId }, 'following frames failed; retrying');
      } finally {
        watch[Symbol.dispose]();
        this.#rounds.delete(endForClusterChange);
        signal.removeEventListener('abort', endRound);
      }
      if (!signal.aborted && !this.#connector.closed)
        await pause(
          Math.min(100 * 2 ** Math.min(failures, 5), FOLLOW_RETRY_MAX_MS) +
            (clusterChanged ? Math.random() * CLUSTER_CHANGE_SPREAD_MS : 0),
          signal,
        );
    }
  }

  /**
   * Where a round starts: after `cursor`, unless the stream ends before it. For the first round that means
   * a resume point past the end of the stream (a client that saw a stream that was since recreated) gets
   * "only new frames", as with the memory log, instead of waiting for the sequence to catch up; for a later
   * round, a stream that came back shorter (recreated, its store lost) is followed from its end.
   */
  async #resumePoint(jsm: JetStreamManager, cursor: number, resumed: boolean): Promise<number> {
    if (cursor <= 0) return 0;
    const info = await jsm.streams.info(this.streamName);
    const last = info.state.last_seq;
    if (resumed && last < cursor)
      this.#logger.warn(
        { stream: this.streamName, cursor, last },
        'frame stream is behind a follower (recreated?); following from its end',
      );
    return Math.min(cursor, last);
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
    const timeout = this.#connector.operationTimeoutMs;
    const jsm = await jetstreamManager(connection, { timeout });
    const js = jetstream(connection, { timeout });
    const maxAge = nanos(this.#options.retentionMs);
    const limits = {
      max_age: maxAge,
      max_msgs_per_subject: this.#options.framesPerClient,
      duplicate_window: nanos(
        Math.min(this.#options.dedupWindowMs ?? DUPLICATE_WINDOW_MS, this.#options.retentionMs),
      ),
    };
    const setting = this.#options.replicas ?? 'auto';
    const replicas = replicasFor(setting, connection.info);
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
      await ensureReplicas(jsm, this.streamName, setting, replicas, this.#logger);
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
        num_replicas: replicas,
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

/** Position of frame `index` of `count` stored in the message at stream sequence `seq`. */
function framePosition(seq: number, index: number, count: number): number {
  return index === count - 1 ? seq : seq - (count - 1 - index) / count;
}

/** The frames of one message: several when the frames header gives their lengths, else the whole text. */
function splitFrames(text: string, hdrs: MsgHdrs | undefined): string[] {
  const lengths = hdrs?.get(FRAMES_HEADER);
  if (!lengths) return [text];
  const frames: string[] = [];
  let at = 0;
  for (const length of lengths.split(',')) {
    const end = at + Number(length);
    frames.push(text.slice(at, end));
    at = end;
  }
  return frames;
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

/** Ends the round (`end`) when the consumer reports what it may not recover from by itself. */
async function watchConsumer(
  notifications: AsyncIterable<ConsumerNotification>,
  end: () => void,
  round: AbortSignal,
): Promise<void> {
  try {
    for await (const notification of notifications) {
      if (round.aborted) return;
      if (
        CONSUMER_TROUBLE.has(notification.type) ||
        (notification.type === 'heartbeats_missed' && notification.count >= 2)
      ) {
        end();
        return;
      }
    }
  } catch {
    // the notifications end with the consumer
  }
}

function isNoResponders(error: unknown): boolean {
  return (
    error instanceof errors.NoRespondersError ||
    (error instanceof errors.RequestError && error.isNoResponders()) ||
    (error instanceof Error && /jetstream (is )?not enabled/i.test(error.message))
  );
}
