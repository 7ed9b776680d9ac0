/**
 * @module adapters/nats
 * The distributed infrastructure: K/V, bus, frame log and presence on one NATS connection.
 *
 * Outage decision: `natsInfrastructure` never fails because NATS is unreachable. It waits briefly for the
 * first connection attempt, then returns; `ready()` is false until a connection exists and whenever the
 * client is reconnecting, so the gateway starts and reports not ready instead of crash-looping. Nothing
 * has to exist at start: K/V buckets and the frame stream are bound (or created) on first use on each
 * connection, and again after a failure (prepared at once when NATS is already up); bus subscriptions open
 * as soon as a connection appears; frame-log followers wait for one; presence records its clients locally
 * and writes their keys when it can. Operations that need NATS while there has never been a connection
 * fail fast (`NatsUnavailableError`, a 503 for the caller) rather than hang, and so does every store and
 * bus operation while the client is reconnecting; one that starts while connected gives up at a deadline
 * (default 2 s) with the same error. Frame-log followers survive all of it: they wait for the connection
 * and resume after the last frame they handed out.
 *
 * Replication: every stream and bucket gets `replicas` (see `replicasFor`; existing ones are brought to it),
 * reads go to stream leaders, and `probe()` (readiness) asks each of them for its info within a short
 * deadline, so a replica whose socket is open while the stores have no leader or quorum is not ready.
 */
import type { Infrastructure } from '../ports.ts';
import { NatsConnector, type NatsLogger, type ReplicaSetting, silentLogger } from './natsConnection.ts';
import { NatsFrameLog } from './natsFrameLog.ts';
import { NatsKeyValueBucket, NatsKeyValueStore } from './natsKeyValueStore.ts';
import { NatsMessageBus } from './natsMessageBus.ts';
import { NatsPresence } from './natsPresence.ts';
import { NatsSlotLeases, SLOT_KEY_MAX_AGE_SECONDS } from './natsSlotLeases.ts';

export type { NatsLogger } from './natsConnection.ts';
export { NatsUnavailableError, parseNatsUrl } from './natsConnection.ts';

export interface NatsInfrastructureOptions {
  /** `nats://[user:pass@]host:port`, several separated by commas. */
  url: string;
  /** Used when the URL carries no credentials. */
  username?: string;
  password?: string;
  /** How long frames are kept for resuming (the stream's max age). */
  frameRetentionMs: number;
  /** Frames kept per client (the stream's max messages per subject). */
  framesPerClient: number;
  logger?: NatsLogger;
  /** TTL of the `gateway_presence` bucket (default 30 s). */
  presenceTtlSeconds?: number;
  /** Slot leases (per-session stream limit): a replica that stops frees its slots this long after (default 30 s). */
  slotLeaseSeconds?: number;
  /** How long to wait for the first connection before returning anyway (default 2 s). */
  connectWaitMs?: number;
  /** Deadline of one store or bus operation (default 2 s); past it the caller gets NatsUnavailableError. */
  operationTimeoutMs?: number;
  /** Frame stream name and subject prefix (defaults `GATEWAY_FRAMES`, `gateway.frames`). */
  frameStream?: { name: string; subjectPrefix: string };
  /** Replicas of every stream and bucket the gateway creates (default `auto`: see `replicasFor`). */
  replicas?: ReplicaSetting;
  /** How long frame-log write ids are remembered (JetStream duplicate window; default 120 s). */
  dedupWindowMs?: number;
  /** Deadline of the readiness probe of the stores (default 1 s). */
  probeTimeoutMs?: number;
}

const PRESENCE_BUCKET = 'gateway_presence';
const SLOTS_BUCKET = 'gateway_sse_slots';
const REPLICAS_BUCKET = 'gateway_sse_replicas';

export async function natsInfrastructure(options: NatsInfrastructureOptions): Promise<Infrastructure> {
  const logger = options.logger ?? silentLogger;
  const connector = new NatsConnector({
    url: options.url,
    ...(options.username !== undefined ? { username: options.username } : {}),
    ...(options.password !== undefined ? { password: options.password } : {}),
    ...(options.operationTimeoutMs !== undefined ? { operationTimeoutMs: options.operationTimeoutMs } : {}),
    logger,
  });
  await connector.firstAttempt(options.connectWaitMs ?? 2000);

  const replicas = options.replicas ?? 'auto';
  const kv = new NatsKeyValueStore(connector, logger, replicas);
  const bus = new NatsMessageBus(connector, logger);
  const frames = new NatsFrameLog(connector, {
    retentionMs: options.frameRetentionMs,
    framesPerClient: options.framesPerClient,
    ...(options.frameStream
      ? { streamName: options.frameStream.name, subjectPrefix: options.frameStream.subjectPrefix }
      : {}),
    replicas,
    ...(options.dedupWindowMs !== undefined ? { dedupWindowMs: options.dedupWindowMs } : {}),
    logger,
  });
  const presenceTtlSeconds = options.presenceTtlSeconds ?? 30;
  const presence = new NatsPresence(
    await kv.bucket(PRESENCE_BUCKET, {
      ttlSeconds: presenceTtlSeconds,
      description: 'SSE clients connected to a gateway replica',
    }),
    { ttlSeconds: presenceTtlSeconds, bus, logger },
  );
  const slotLeaseSeconds = options.slotLeaseSeconds ?? 30;
  const slotBuckets = {
    slots: new NatsKeyValueBucket(
      connector,
      SLOTS_BUCKET,
      {
        ttlSeconds: SLOT_KEY_MAX_AGE_SECONDS,
        description: 'Per-session /events stream slots: <session hash>.<index> → holder replica',
        replicas,
      },
      logger,
    ),
    replicas: new NatsKeyValueBucket(
      connector,
      REPLICAS_BUCKET,
      {
        ttlSeconds: slotLeaseSeconds,
        description: 'Liveness of the gateway replicas holding stream slots',
        replicas,
      },
      logger,
    ),
  };
  const slots = new NatsSlotLeases({ connector, ...slotBuckets, leaseSeconds: slotLeaseSeconds, logger });
  await Promise.all([frames.warmUp(), slotBuckets.slots.warmUp(), slotBuckets.replicas.warmUp()]);
  // Back after an outage: this replica's presence keys may have expired meanwhile; write them at once.
  const reconnected = connector.onStateChange((connected) => {
    if (connected) presence.refresh();
  });
  if (!connector.connected) logger.warn({}, 'NATS not reachable yet: not ready until it is');

  // Readiness: every store answers one cheap request within a short deadline. Concurrent probes share one.
  const probeTimeoutMs = options.probeTimeoutMs ?? 1000;
  let probing: Promise<{ ok: boolean; detail: string }> | undefined;
  const probeStores = async (): Promise<{ ok: boolean; detail: string }> => {
    if (!connector.connected) return { ok: false, detail: 'disconnected' };
    const stores = [
      { name: frames.streamName, probe: () => frames.probe(probeTimeoutMs) },
      ...[...kv.buckets, slotBuckets.slots, slotBuckets.replicas].map((bucket) => ({
        name: `KV_${bucket.name}`,
        probe: () => bucket.probe(probeTimeoutMs),
      })),
    ];
    const results = await Promise.allSettled(stores.map((store) => store.probe()));
    const failed = stores.filter((_, i) => results[i]!.status === 'rejected').map((store) => store.name);
    if (failed.length === 0) return { ok: true, detail: 'connected; stores answer' };
    return { ok: false, detail: `stores do not answer: ${failed.join(', ')}` };
  };

  return {
    kv,
    bus,
    frames,
    presence,
    slots,
    ready: () => connector.connected,
    probe: () => {
      probing ??= probeStores().finally(() => {
        probing = undefined;
      });
      return probing;
    },
    close: async () => {
      reconnected[Symbol.dispose]();
      frames[Symbol.dispose]();
      await slots.close();
      presence.close();
      bus[Symbol.dispose]();
      await connector.close();
    },
  };
}
