/**
 * @module adapters/nats/natsFrameLog
 * The frame log as one JetStream stream (`GATEWAY_FRAMES`), one subject per client
 * (`gateway.frames.<clientId>`), bounded by age and by count per client. A frame's seq is its stream
 * sequence: increasing per client, not contiguous.
 *
 * `follow` reads the client's subject from the stream's leader (`STREAM.MSG.GET` with `next_by_subj`,
 * one message after another from the frame after the last one handed out) and is woken by the subject
 * itself: a core subscription on `gateway.frames.<clientId>` sees every publish of a frame, and each one
 * means a message to read (it may arrive before the store has it: then the read is tried again, briefly).
 * It reads again after a reconnect (core messages are not kept for a disconnected client), after a node
 * left the cluster, after a failure (with backoff), and at least every FOLLOW_IDLE_READ_MS. No consumer is
 * used: JetStream places an ephemeral consumer on any node holding the stream, and one placed on a node
 * that is catching up after a restart can skip messages for good (its scan passes sequences the node does
 * not have yet; seen with nats-server 2.9 in test/integration/natsNodeLoss.test.ts). The leader has every
 * acknowledged message, so a follower neither loses nor repeats a frame across restarts, reconnects and
 * leader changes. (Each open stream also costs the servers no consumer, and a held stream no pull requests.)
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
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
  type MsgRequest,
  type NextMsgRequest,
  RetentionPolicy,
  StorageType,
  type StreamConfig,
} from '@nats-io/jetstream';
import {
  errors,
  headers,
  type MsgHdrs,
  type NatsConnection,
  nanos,
  nuid,
  type Subscription,
} from '@nats-io/transport-node';
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

/** Frames a follower holds before it stops reading from NATS until its reader catches up. */
const FOLLOW_HIGH_WATER = 256;
const FOLLOW_RETRY_MAX_MS = 2000;
/**
 * A follower reads its subject at least this often, woken or not: a wake-up lost while connected (the
 * client dropped it as a slow consumer) delays a frame by this much at most. One read per open stream per
 * interval (what the pull requests of consumers cost before).
 */
const FOLLOW_IDLE_READ_MS = 30_000;
/**
 * A wake-up can arrive before the leader has stored its message: the read is tried again after these
 * delays until the message is there (or, for a publish that was never stored, given up after ~2 s).
 */
const WOKEN_RETRY_MS = [2, 5, 10, 25, 50, 100, 250, 500, 1000];
/** JetStream's default duplicate window; it must not exceed the stream's max age. */
const DUPLICATE_WINDOW_MS = 120_000;
/** Header of a message holding several frames: their lengths, comma-separated. */
const FRAMES_HEADER = 'Gateway-Frames';

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

/** One follower's state, as the log's shared listeners see it. */
interface Follower {
  readonly subject: string;
  /** Set when there may be something to read (woken, reconnected, idle too long, failed). */
  dirty: boolean;
  /** Read until the subject has nothing more (not only what the wake-ups announced). */
  catchUp: boolean;
  /** Publishes seen on the subject and not read yet (so a read that found nothing knows to try again). */
  owed: number;
  /** When the follower last read its subject. */
  readAt: number;
  /** Resumes a follower waiting to be woken. */
  wake: (() => void) | undefined;
  subscription: Subscription | undefined;
}

export class NatsFrameLog implements FrameLog {
  readonly streamName: string;
  readonly #subjectPrefix: string;
  readonly #connector: NatsConnector;
  readonly #options: NatsFrameLogOptions;
  readonly #logger: NatsLogger;
  /** The stream made sure of on a given connection; a new connection checks again. */
  #context: { connection: NatsConnection; ready: Promise<JetStreamContext> } | undefined;
  readonly #followers = new Set<Follower>();
  readonly #listeners: Disposable[];
  /** One timer for every follower: reads the subjects not read for FOLLOW_IDLE_READ_MS. */
  #ticker: NodeJS.Timeout | undefined;

  constructor(connector: NatsConnector, options: NatsFrameLogOptions) {
    this.#connector = connector;
    this.#options = options;
    this.streamName = options.streamName ?? 'GATEWAY_FRAMES';
    this.#subjectPrefix = options.subjectPrefix ?? 'gateway.frames';
    this.#logger = options.logger ?? silentLogger;
    const readAll = () => {
      for (const follower of this.#followers) markDirty(follower, true);
    };
    this.#listeners = [
      // A new connection object needs every follower's subscription; the client restores them itself
      // after a reconnect of the same connection.
      connector.onConnection((connection) => {
        for (const follower of this.#followers) this.#subscribe(follower, connection);
      }),
      // Publishes made while disconnected woke nobody: read every subject again.
      connector.onStateChange((connected) => {
        if (connected) readAll();
      }),
      connector.onClusterChange(readAll),
    ];
  }

  /** Stops listening to the connector (the followers end with it). */
  [Symbol.dispose](): void {
    for (const listener of this.#listeners) listener[Symbol.dispose]();
    clearInterval(this.#ticker);
    this.#ticker = undefined;
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
   * Feeds `push` with the client's frames after `afterSeq`, for as long as `signal` is not aborted: reads
   * the subject from the leader whenever there may be something new (see the module comment), one message
   * after another from the last frame pushed; after a failure it waits (backoff) and reads again from there.
   */
  async #pump(
    clientId: string,
    afterSeq: number,
    push: (frame: LoggedFrame) => Promise<void>,
    signal: AbortSignal,
  ): Promise<void> {
    const follower: Follower = {
      subject: this.#subject(clientId),
      dirty: true,
      catchUp: true,
      owed: 0,
      readAt: 0,
      wake: undefined,
      subscription: undefined,
    };
    const wake = () => follower.wake?.();
    signal.addEventListener('abort', wake, { once: true });
    this.#followers.add(follower);
    // Subscribed before the first read, so no publish after that read can go unnoticed.
    const current = this.#connector.current;
    if (current) this.#subscribe(follower, current);
    this.#ticker ??= setInterval(() => this.#readIdle(), 1000);
    this.#ticker.unref();
    /** The last frame pushed (or the resume point before the first). */
    let cursor = afterSeq;
    /** Whether the stream must be asked where it ends before reading (at first, and after failures). */
    let checkEnd = true;
    let resumed = false;
    let failures = 0;
    let retries = 0;
    try {
      while (!signal.aborted && !this.#connector.closed) {
        if (!follower.dirty) {
          await new Promise<void>((resolve) => {
            follower.wake = resolve;
          });
          follower.wake = undefined;
          continue;
        }
        follower.dirty = false;
        let connection: NatsConnection | undefined;
        try {
          connection = await this.#connector.whenConnected(signal);
          const { jsm } = await this.#connector.call('preparing the frame stream', (live) =>
            this.#ready(live),
          );
          if (checkEnd) {
            cursor = await this.#connector.call('frame log read', () =>
              this.#resumePoint(jsm, cursor, resumed),
            );
            checkEnd = false;
            resumed = true;
          }
          // Woken only by publishes: read what they announced. Otherwise read until the subject has no more.
          const untilEmpty = follower.catchUp;
          follower.catchUp = false;
          let read = 0;
          for (;;) {
            // The message holding the frame after the cursor (a cursor inside a message starts at it).
            const message = await this.#connector.call('frame log read', () =>
              jsm.streams.getMessage(
                this.streamName,
                nextBySubject(Math.floor(cursor) + 1, follower.subject),
              ),
            );
            follower.readAt = Date.now();
            if (!message || signal.aborted) break;
            read++;
            const frames = splitFrames(message.string(), message.header);
            for (let i = 0; i < frames.length && !signal.aborted; i++) {
              const position = framePosition(message.seq, i, frames.length);
              if (position <= cursor) continue;
              cursor = position;
              await push({ seq: position, data: frames[i]! });
            }
            if (!untilEmpty && follower.owed <= read) break;
          }
          failures = 0;
          follower.owed = Math.max(0, follower.owed - read);
          if (read > 0) retries = 0;
          if (follower.owed > 0 && !signal.aborted) {
            // Woken for a message the leader did not have yet: look again shortly, for a while.
            if (retries < WOKEN_RETRY_MS.length) {
              await pause(WOKEN_RETRY_MS[retries++]!, signal);
              follower.dirty = true;
            } else {
              follower.owed = 0; // a publish that was not stored (a duplicate, or it failed)
              retries = 0;
            }
          }
        } catch (error) {
          if (signal.aborted) return;
          // The stream may be gone (deleted by an operator): make sure of it again, and of where it ends.
          if (connection && !isUnavailability(error)) this.#forget(connection);
          checkEnd = true;
          failures++;
          markDirty(follower, true);
          this.#logger.debug({ err: error, clientId }, 'reading frames failed; retrying');
          await pause(Math.min(100 * 2 ** Math.min(failures, 5), FOLLOW_RETRY_MAX_MS), signal);
        }
      }
    } finally {
      signal.removeEventListener('abort', wake);
      this.#followers.delete(follower);
      try {
        follower.subscription?.unsubscribe();
      } catch {
        // the connection is gone already
      }
      if (this.#followers.size === 0) {
        clearInterval(this.#ticker);
        this.#ticker = undefined;
      }
    }
  }

  /** Wakes the follower on every publish to its subject (a core subscription on the connection). */
  #subscribe(follower: Follower, connection: NatsConnection): void {
    try {
      follower.subscription?.unsubscribe();
    } catch {
      // it belonged to a closed connection
    }
    try {
      follower.subscription = connection.subscribe(follower.subject, {
        callback: (error) => {
          if (!error) follower.owed++;
          // An error (a slow consumer's dropped messages): what was dropped is found by reading to the end.
          markDirty(follower, error !== null);
        },
      });
    } catch (error) {
      follower.subscription = undefined;
      this.#logger.debug({ err: error, subject: follower.subject }, 'subscribing to a frame subject failed');
      markDirty(follower, true);
    }
  }

  /** Marks the followers that have not read for FOLLOW_IDLE_READ_MS (their wake-ups may have been lost). */
  #readIdle(): void {
    const before = Date.now() - FOLLOW_IDLE_READ_MS;
    for (const follower of this.#followers) if (follower.readAt < before) markDirty(follower, true);
  }

  /**
   * Where reading starts: after `cursor`, unless the stream ends before it. At first that means a resume
   * point past the end of the stream (a client that saw a stream that was since recreated) gets "only new
   * frames", as with the memory log, instead of waiting for the sequence to catch up; after a failure, a
   * stream that came back shorter (recreated, its store lost) is followed from its end.
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

/**
 * The first message on `subject` at or after `seq`, asked of the stream's leader (`STREAM.MSG.GET` with
 * `next_by_subj`, since nats-server 2.9). The client types offer `next_by_subj` only for direct gets (which
 * any replica may answer, possibly from behind), though `getMessage` sends the request as it is given.
 */
function nextBySubject(seq: number, subject: string): MsgRequest {
  const request: NextMsgRequest = { seq, next_by_subj: subject };
  return request as unknown as MsgRequest;
}

/** Tells a follower there may be something to read; with `catchUp`, whatever its subject holds. */
function markDirty(follower: Follower, catchUp: boolean): void {
  follower.dirty = true;
  if (catchUp) follower.catchUp = true;
  follower.wake?.();
}

function isNoResponders(error: unknown): boolean {
  return (
    error instanceof errors.NoRespondersError ||
    (error instanceof errors.RequestError && error.isNoResponders()) ||
    (error instanceof Error && /jetstream (is )?not enabled/i.test(error.message))
  );
}
