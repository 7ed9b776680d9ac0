/**
 * Slot leases on a real nats-server, two "replicas" (each its own connection): the limit holds across
 * them under concurrency, a release frees the slot for the other, a replica that stops renewing loses its
 * slots after the lease, a slot taken over while its holder was cut off is reported lost when the holder
 * is back, and an acquisition abandoned at its deadline gives back what it took. Never a mock.
 */
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { NatsServer } from '../../../test/support/natsServer.ts';
import type { SlotLease } from '../ports.ts';
import { NatsConnector, NatsUnavailableError } from './natsConnection.ts';
import { NatsKeyValueBucket } from './natsKeyValueStore.ts';
import { NatsSlotLeases } from './natsSlotLeases.ts';

const LEASE_SECS = 3;

let server: NatsServer;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  server = await NatsServer.start();
}, 20_000);
afterEach(async () => {
  if (!server.running) await server.start();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await server?.close();
});

let unique = 0;

/** One replica's leases on its own connection; `names` lets two replicas share (or not share) buckets. */
async function replica(
  names: { slots: string; replicas: string },
  options: { timeoutMs?: number; operationTimeoutMs?: number } = {},
): Promise<{ leases: NatsSlotLeases; connector: NatsConnector }> {
  const connector = new NatsConnector({
    url: server.url,
    operationTimeoutMs: options.operationTimeoutMs ?? 2000,
    reconnectTimeWaitMs: 100,
  });
  await connector.firstAttempt(5000);
  const leases = new NatsSlotLeases({
    connector,
    slots: new NatsKeyValueBucket(connector, names.slots, { ttlSeconds: 3600, description: 'test slots' }),
    replicas: new NatsKeyValueBucket(connector, names.replicas, {
      ttlSeconds: LEASE_SECS,
      description: 'test replicas',
    }),
    leaseSeconds: LEASE_SECS,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
  cleanups.push(async () => {
    await leases.close();
    await connector.close();
  });
  return { leases, connector };
}

function buckets(): { slots: string; replicas: string } {
  unique++;
  return { slots: `test_slots_${unique}`, replicas: `test_replicas_${unique}` };
}

async function eventually<T>(attempt: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`nothing within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

test('40 concurrent acquisitions over two replicas get exactly the limit; a release frees one for the other', async () => {
  const names = buckets();
  const a = await replica(names);
  const b = await replica(names);
  const got = await Promise.all(
    Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).leases.acquire('session-x', 5)),
  );
  const taken = got.filter((lease): lease is SlotLease => lease !== undefined);
  expect(taken).toHaveLength(5);
  expect(await a.leases.acquire('session-x', 5)).toBeUndefined();
  expect(await b.leases.acquire('session-x', 5)).toBeUndefined();
  // Another group has its own slots.
  expect(await a.leases.acquire('session-y', 5)).toBeDefined();

  await taken[0]!.release();
  await taken[0]!.release(); // twice is once
  const again = await b.leases.acquire('session-x', 5);
  expect(again).toBeDefined();
  expect(await a.leases.acquire('session-x', 5)).toBeUndefined();
});

test('a replica that stops renewing loses its slots after the lease, not before', async () => {
  const names = buckets();
  const a = await replica(names);
  const b = await replica(names);
  expect(await a.leases.acquire('s', 2)).toBeDefined();
  expect(await a.leases.acquire('s', 2)).toBeDefined();
  // A's process is gone: its connection closes without releasing anything.
  await a.connector.close();
  const stoppedAt = Date.now();
  expect(await b.leases.acquire('s', 2)).toBeUndefined();
  await eventually(() => b.leases.acquire('s', 2), LEASE_SECS * 1000 + 5000);
  expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(((LEASE_SECS * 2) / 3) * 1000 - 500);
  expect(await b.leases.acquire('s', 2)).toBeDefined();
  expect(await b.leases.acquire('s', 2)).toBeUndefined();
}, 20_000);

test('a slot taken over while its holder was cut off is reported lost when the holder is back', async () => {
  const names = buckets();
  const a = await replica(names);
  const b = await replica(names);
  let lostByA = 0;
  let lostByB = 0;
  expect(
    await a.leases.acquire('s', 1, () => {
      lostByA++;
    }),
  ).toBeDefined();
  // A's liveness lapses (as if it could not renew for a lease): B takes the slot over.
  const raw = new NatsKeyValueBucket(b.connector, names.replicas, {
    ttlSeconds: LEASE_SECS,
    description: '',
  });
  await raw.delete(a.leases.replicaId);
  const takenOver = await b.leases.acquire('s', 1, () => {
    lostByB++;
  });
  expect(takenOver).toBeDefined();
  // NATS restarts: both replicas reconnect and check their slots; only A lost its.
  await server.restart();
  await eventually(async () => (lostByA > 0 ? lostByA : undefined), 10_000);
  expect(lostByA).toBe(1);
  expect(lostByB).toBe(0);
  expect(a.leases.heldCount).toBe(0);
  expect(b.leases.heldCount).toBe(1);
}, 20_000);

test('an acquisition abandoned at its deadline gives back the slot it took late', async () => {
  const names = buckets();
  const slow = await replica(names, { timeoutMs: 300, operationTimeoutMs: 10_000 });
  const other = await replica(names);
  const raw = new NatsKeyValueBucket(other.connector, names.slots, { ttlSeconds: 3600, description: '' });
  const slot = () => raw.withKv((kv) => kv.get('s.0'));
  // Liveness written, then the server hangs while the slot is being created.
  const first = await slow.leases.acquire('s', 1);
  await first!.release();
  const released = (await slot())!;
  expect(released.operation).toBe('DEL');
  await server.pause();
  const abandoned = slow.leases.acquire('s', 1);
  await expect(abandoned).rejects.toBeInstanceOf(NatsUnavailableError);
  server.resume();
  // The create lands after the deadline (a new revision), and is deleted again at once.
  const after = await eventually(async () => {
    const entry = await slot();
    return entry && entry.revision > released.revision + 1 && entry.operation === 'DEL' ? entry : undefined;
  }, 10_000);
  expect(after.revision).toBe(released.revision + 2);
  expect(slow.leases.heldCount).toBe(0);
  expect(await other.leases.acquire('s', 1)).toBeDefined();
}, 20_000);

test('NATS away: acquire rejects with NatsUnavailableError at once', async () => {
  const names = buckets();
  const a = await replica(names);
  await server.stop();
  await eventually(async () => (a.connector.connected ? undefined : true), 5000);
  await expect(a.leases.acquire('s', 1)).rejects.toBeInstanceOf(NatsUnavailableError);
});
