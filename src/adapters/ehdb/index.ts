/**
 * @module adapters/ehdb
 * The v3.x backends: EHDB's KV face (sessions and pending requests, `NOETL_KV_ADDR`) and its event feed
 * (NoETL lifecycle events, `NOETL_EVENT_FEED_ADDR`). Each one replaces its NATS counterpart on its own;
 * frames, SSE client ownership, auth callbacks between replicas and the gateway's other buckets stay on NATS
 * when `NATS_URL` is set, in memory otherwise. Loaded only when one of the two addresses is set.
 */
import type { KeyValueBucket } from '../ports.ts';
import { EhdbKeyValueStore } from './ehdbKeyValueStore.ts';
import { EventFeedReader, type FeedReconnectReason } from './eventFeed.ts';
import { FeedCursor } from './feedCursor.ts';
import { EhdbKvClient, type EhdbLogger, silentLogger } from './kvClient.ts';

export { bucketsOn, EhdbKeyValueStore } from './ehdbKeyValueStore.ts';
export { EhdbUnavailableError } from './kvClient.ts';

/** The bucket of the feed cursor, and how long an untouched cursor is kept. */
export const FEED_CURSOR_BUCKET = 'gateway_event_feed';
export const FEED_CURSOR_TTL_SECONDS = 7 * 24 * 3600;

export interface HostPort {
  host: string;
  port: number;
}

export interface EhdbStoreOptions extends HostPort {
  timeoutMs: number;
  maxInFlight: number;
  maxFrameBytes: number;
  /** Deadline of the readiness probe (default 1000 ms). */
  probeTimeoutMs?: number;
  logger?: EhdbLogger;
}

export interface EhdbStore {
  kv: EhdbKeyValueStore;
  connected(): boolean;
  /** One cheap read within the probe deadline: whether the KV face answers now. */
  probe(): Promise<{ ok: boolean; detail: string }>;
  close(): Promise<void>;
}

/** Connects to the KV face (waiting at most 2 s for the first attempt; never failing when it is down). */
export async function ehdbStore(options: EhdbStoreOptions): Promise<EhdbStore> {
  const logger = options.logger ?? silentLogger;
  const client = new EhdbKvClient({
    host: options.host,
    port: options.port,
    timeoutMs: options.timeoutMs,
    maxInFlight: options.maxInFlight,
    maxFrameBytes: options.maxFrameBytes,
    logger,
  });
  await client.firstAttempt(2000);
  if (!client.connected) logger.warn({}, 'EHDB KV not reachable yet: not ready until it is');
  const kv = new EhdbKeyValueStore(client);
  const probeTimeoutMs = options.probeTimeoutMs ?? 1000;
  let probing: Promise<{ ok: boolean; detail: string }> | undefined;
  const probeOnce = async () => {
    if (!client.connected) return { ok: false, detail: 'disconnected' };
    try {
      // As the reference's start-up probe: a read of a key nobody writes, in the sessions bucket.
      const bucket = kv.buckets[0] ?? (await kv.bucket('sessions', { ttlSeconds: 300 }));
      await bucket.probe(probeTimeoutMs);
      return { ok: true, detail: 'connected; KV answers' };
    } catch {
      return { ok: false, detail: 'KV does not answer' };
    }
  };
  return {
    kv,
    connected: () => client.connected,
    probe: () => {
      probing ??= probeOnce().finally(() => {
        probing = undefined;
      });
      return probing;
    },
    close: () => client.close(),
  };
}

export interface LifecycleFeedOptions extends HostPort {
  shard?: number;
  maxEventBytes: number;
  /** Where the cursor is kept (see feedCursor.ts). */
  cursorBucket: Promise<KeyValueBucket>;
  /** Frames go to a log shared by the replicas (NATS): skip what others routed. */
  sharedFrames: boolean;
  /**
   * Routes one event; `writeId` names it for the frame log's de-duplication (the same event read by
   * several replicas, or again after a retry, is stored once per client). Rejects with
   * BackendUnavailableError when it must be retried.
   */
  deliver(event: string, writeId: string | undefined): Promise<void>;
  onMalformed?: () => void;
  onReconnect?: (reason: FeedReconnectReason) => void;
  logger?: EhdbLogger;
}

export interface LifecycleFeed {
  /** Whether the feed connection is open now. */
  connected(): boolean;
  /** The last id handled (`0` before the first). */
  cursor(): string;
  close(): Promise<void>;
}

/** Reads the feed from the stored cursor, routing each event through `deliver`, until closed. */
export function startLifecycleFeed(options: LifecycleFeedOptions): LifecycleFeed {
  const shard = options.shard ?? 0;
  const logger = options.logger ?? silentLogger;
  let reader: EventFeedReader | undefined;
  let cursor: FeedCursor | undefined;
  let closed = false;
  const started = (async () => {
    cursor = new FeedCursor({
      bucket: await options.cursorBucket,
      key: `cursor.${shard}`,
      shared: options.sharedFrames,
      logger,
    });
    if (closed) return;
    const start = await cursor.load();
    if (closed) return;
    const position = cursor;
    logger.info({ cursor: start, shard }, 'reading NoETL lifecycle events from the EHDB event feed');
    reader = new EventFeedReader({
      host: options.host,
      port: options.port,
      shard,
      cursor: start,
      maxEventBytes: options.maxEventBytes,
      onEvent: (event, id) => options.deliver(event, id === undefined ? undefined : `feed${shard}.${id}`),
      onAdvance: (id) => position.advance(id),
      routedElsewhere: (id) => position.routedElsewhere(id),
      ...(options.onMalformed ? { onMalformed: options.onMalformed } : {}),
      ...(options.onReconnect ? { onReconnect: options.onReconnect } : {}),
      onConnected: () => logger.info({ cursor: reader?.cursor }, 'EHDB event feed connected'),
      logger,
    });
  })();
  return {
    connected: () => reader?.connected ?? false,
    cursor: () => reader?.cursor ?? '0',
    async close() {
      closed = true;
      if (!reader) await cursor?.close(); // ends a load still waiting for the store
      await started.catch(() => {});
      await reader?.close();
      await cursor?.close(); // the last write, with the final position
    },
  };
}
