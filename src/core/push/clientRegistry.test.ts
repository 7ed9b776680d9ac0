/**
 * ClientRegistry: who owns a client id, and the cache of claims this replica confirmed (an execute with a
 * client id asks `confirm` on every request). The bucket is the in-memory one, counting the reads and
 * writes that reach it; the clock is injected.
 */
import { describe, expect, test } from 'vitest';
import { MemoryKeyValueBucket } from '../../adapters/memory/memoryKeyValueStore.ts';
import { ClientRegistry } from './clientRegistry.ts';

/** The in-memory bucket, counting calls (a confirm answered from the cache makes none). */
class CountingBucket extends MemoryKeyValueBucket {
  calls = 0;

  override async get(key: string): Promise<string | null> {
    this.calls++;
    return super.get(key);
  }

  override async create(key: string, value: string): Promise<boolean> {
    this.calls++;
    return super.create(key, value);
  }
}

/** `ttlSeconds`: the TTL the registry is told the bucket has (0: none, so no claim is trusted). */
function setUp(ttlSeconds = 600) {
  const clock = { now: 1_000_000_000 };
  const bucket = new CountingBucket(600, () => clock.now);
  const registry = new ClientRegistry(bucket, { ttlSeconds, now: () => clock.now });
  /** Whether `confirm` answered and how many bucket calls it made. */
  const confirm = async (clientId: string, session: string) => {
    const before = bucket.calls;
    const ok = await registry.confirm(clientId, session);
    return { ok, roundTrips: bucket.calls - before };
  };
  return { clock, bucket, registry, confirm };
}

describe('claims', () => {
  test('the first session owns a client id; another cannot claim or confirm it', async () => {
    const { registry, confirm } = setUp();
    expect(await registry.claim('tab-1', 'session-ann')).toEqual({ ok: true, deliveredSeq: 0 });
    expect(await registry.claim('tab-1', 'session-ann')).toEqual({ ok: true, deliveredSeq: 0 });
    expect(await registry.claim('tab-1', 'session-bob')).toEqual({ ok: false });
    expect((await confirm('tab-1', 'session-bob')).ok).toBe(false);
    expect((await confirm('tab-2', 'session-bob')).ok).toBe(true); // a new id is claimed
    expect(await registry.claim('tab-2', 'session-ann')).toEqual({ ok: false });
  });

  test('a reconnect naming its client id resumes where delivery stopped', async () => {
    const { registry } = setUp();
    await registry.claim('tab-1', 'session-ann');
    await registry.recordDelivered('tab-1', 42);
    await registry.recordDelivered('tab-1', 17); // an older stream closing late does not go back
    expect(await registry.claim('tab-1', 'session-ann')).toEqual({ ok: true, deliveredSeq: 42 });
  });
});

describe('confirmed claims', () => {
  test('reused within their validity (no round trip), then checked with the store again', async () => {
    const { clock, bucket, registry, confirm } = setUp();
    await registry.claim('tab-1', 'session-ann');
    expect(await confirm('tab-1', 'session-ann')).toEqual({ ok: true, roundTrips: 0 });
    expect(await confirm('tab-1', 'session-bob')).toEqual({ ok: false, roundTrips: 0 });
    clock.now += 14_999; // trusted for at least half of the 30 s window
    expect(await confirm('tab-1', 'session-ann')).toEqual({ ok: true, roundTrips: 0 });

    // The record changes hands in the store (it expired; another replica gave the id to another session).
    await bucket.delete('tab-1');
    expect(await new ClientRegistry(bucket).claim('tab-1', 'session-bob')).toMatchObject({ ok: true });
    clock.now += 15_001; // 30 s after the claim: no longer trusted
    const checked = await confirm('tab-1', 'session-ann');
    expect(checked.ok).toBe(false);
    expect(checked.roundTrips).toBeGreaterThan(0);
  });

  test('a confirm that went to the store is trusted again; none is trusted past 30 s', async () => {
    const { clock, registry, confirm } = setUp();
    await registry.claim('tab-1', 'session-ann');
    for (let step = 0; step < 8; step++) {
      clock.now += 30_000;
      const answer = await confirm('tab-1', 'session-ann');
      expect(answer.ok).toBe(true);
      expect(answer.roundTrips).toBeGreaterThan(0); // re-checked at every 30 s step
      expect(await confirm('tab-1', 'session-ann')).toEqual({ ok: true, roundTrips: 0 });
    }
  });

  test('trusted for at most half the bucket TTL; a TTL of 0 turns the cache off', async () => {
    const short = setUp(10); // 5 s
    await short.registry.claim('tab-1', 'session-ann');
    expect(await short.confirm('tab-1', 'session-ann')).toEqual({ ok: true, roundTrips: 0 });
    short.clock.now += 5_000;
    expect((await short.confirm('tab-1', 'session-ann')).roundTrips).toBeGreaterThan(0);

    const off = setUp(0);
    await off.registry.claim('tab-1', 'session-ann');
    expect((await off.confirm('tab-1', 'session-ann')).roundTrips).toBeGreaterThan(0);
  });

  test('bounded: past 10,000 claims the oldest are asked about again, the newest are not', async () => {
    const { registry, confirm } = setUp();
    const ids = Array.from({ length: 12_000 }, (_, i) => `tab-${i}`);
    for (const id of ids) await registry.claim(id, 'session-ann');
    expect((await confirm('tab-11999', 'session-ann')).roundTrips).toBe(0);
    expect((await confirm('tab-7000', 'session-ann')).roundTrips).toBe(0);
    expect((await confirm('tab-0', 'session-ann')).roundTrips).toBeGreaterThan(0);
    let cached = 0;
    for (const id of ids.slice(1, 2_000)) if ((await confirm(id, 'session-ann')).roundTrips === 0) cached++;
    expect(cached).toBe(0);
  });
});
