/**
 * @module test/unit/pendingCounter.test
 * The per-session pending counter behind GATEWAY_MAX_PENDING_PER_SESSION, on in-memory buckets with a fake
 * clock: counting, the limit, removal (once), expiry of unanswered requests, several replicas sharing the
 * buckets, and that an execute never lists the session's requests. The same behaviour against a real
 * nats-server is in test/integration/adapters.contract.test.ts.
 */
import { describe, expect, test } from 'vitest';
import { MemoryKeyValueBucket } from '../../src/adapters/memory/memoryKeyValueStore.ts';
import type { KeyValueBucket } from '../../src/adapters/ports.ts';
import type { PendingRequest } from '../../src/contract/index.ts';
import { windowSpan } from '../../src/core/executions/pendingCounter.ts';
import { RequestStore } from '../../src/core/executions/requestStore.ts';

const TTL = 60;

function world() {
  let clock = 1_700_000_000_000;
  const now = () => clock;
  const buckets = {
    requests: new MemoryKeyValueBucket(TTL, now),
    byClient: new MemoryKeyValueBucket(TTL, now),
    counters: new MemoryKeyValueBucket(TTL, now),
  };
  const replica = (replicaId: string, shared = true) =>
    new RequestStore(buckets.requests, buckets.byClient, buckets.counters, {
      ttlSeconds: TTL,
      replicaId,
      shared,
      now,
    });
  return {
    buckets,
    replica,
    now,
    nowSecs: () => Math.floor(clock / 1000),
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

let nextId = 0;
/** reserve + save, as ExecutionService does; undefined when the limit refused it. */
async function execute(store: RequestStore, session: string, createdAt: number, limit = 1_000_000) {
  if (!(await store.reserve(session, createdAt, limit))) return undefined;
  const requestId = `req-${++nextId}`;
  const request: PendingRequest = {
    client_id: 'client-1',
    session_token: session,
    execution_id: `exec-${nextId}`,
    playbook_path: 'demo/x',
    created_at: createdAt,
  };
  await store.save(requestId, request);
  return { requestId, request };
}

describe('pending requests per session', () => {
  test('counts saved requests, refuses past the limit, and a removal frees a slot', async () => {
    const { replica, nowSecs } = world();
    const store = replica('a');
    const first = await execute(store, 'session-1', nowSecs(), 2);
    expect(first).toBeDefined();
    expect(await execute(store, 'session-1', nowSecs(), 2)).toBeDefined();
    expect(await execute(store, 'session-1', nowSecs(), 2)).toBeUndefined();
    expect(await store.countForSession('session-1')).toBe(2);
    // Other sessions have their own count.
    expect(await execute(store, 'session-2', nowSecs(), 2)).toBeDefined();
    expect(await store.countForSession('session-2')).toBe(1);

    await store.remove(first!.requestId, first!.request);
    expect(await store.countForSession('session-1')).toBe(1);
    expect(await execute(store, 'session-1', nowSecs(), 2)).toBeDefined();
  });

  test('unreserve hands back a reservation that was never saved', async () => {
    const { replica, nowSecs } = world();
    const store = replica('a');
    expect(await store.reserve('s', nowSecs(), 1)).toBe(true);
    expect(await store.reserve('s', nowSecs(), 1)).toBe(false);
    await store.unreserve('s', nowSecs());
    expect(await store.countForSession('s')).toBe(0);
    expect(await store.reserve('s', nowSecs(), 1)).toBe(true);
  });

  test('a request removed twice (duplicated callback, two replicas) is uncounted once', async () => {
    const { replica, nowSecs } = world();
    const a = replica('a');
    const b = replica('b');
    await execute(a, 's', nowSecs());
    const twice = await execute(a, 's', nowSecs());
    await Promise.all([
      a.remove(twice!.requestId, twice!.request),
      b.remove(twice!.requestId, twice!.request),
    ]);
    await a.remove(twice!.requestId, twice!.request);
    expect(await a.countForSession('s')).toBe(1);
    expect(await b.countForSession('s')).toBe(1);
  });

  test('one replica (embedded stores): the same counts and limit, and the counter bucket is never touched', async () => {
    const { replica, nowSecs, buckets } = world();
    const store = replica('a', false);
    const first = await execute(store, 's', nowSecs(), 2);
    expect(await execute(store, 's', nowSecs(), 2)).toBeDefined();
    expect(await execute(store, 's', nowSecs(), 2)).toBeUndefined();
    expect(await store.countForSession('s')).toBe(2);
    await store.remove(first!.requestId, first!.request);
    expect(await store.countForSession('s')).toBe(1);
    expect(await execute(store, 's', nowSecs(), 2)).toBeDefined();
    expect(await buckets.counters.keys('')).toEqual([]);
    // A shared replica writes its counts for the others.
    const shared = replica('b');
    await execute(shared, 't', nowSecs());
    expect((await buckets.counters.keys('')).length).toBe(1);
  });

  test('one replica: a request it saved is found without reading the bucket (a callback parses nothing)', async () => {
    const { replica, nowSecs, buckets } = world();
    const store = replica('a', false);
    const saved = await execute(store, 's', nowSecs());
    let reads = 0;
    const entry = buckets.requests.entry.bind(buckets.requests);
    buckets.requests.entry = (key: string) => {
      reads++;
      return entry(key);
    };
    expect((await store.lookup(saved!.requestId))?.request).toEqual(saved!.request);
    expect(reads).toBe(0);
    await store.remove(saved!.requestId, saved!.request);
    expect(await store.lookup(saved!.requestId)).toBeUndefined();
    expect(await store.countForSession('s')).toBe(0);
  });

  test('concurrent executes of one session on one replica never pass the limit', async () => {
    const { replica, nowSecs } = world();
    const store = replica('a');
    const results = await Promise.all(Array.from({ length: 20 }, () => store.reserve('s', nowSecs(), 5)));
    expect(results.filter(Boolean)).toHaveLength(5);
    expect(await store.countForSession('s')).toBe(5);
  });

  test('replicas sharing the buckets see one count; any replica may remove', async () => {
    const { replica, nowSecs } = world();
    const a = replica('a');
    const b = replica('b');
    const fromA = await execute(a, 's', nowSecs(), 3);
    await execute(b, 's', nowSecs(), 3);
    await execute(a, 's', nowSecs(), 3);
    expect(await a.countForSession('s')).toBe(3);
    expect(await b.countForSession('s')).toBe(3);
    expect(await execute(b, 's', nowSecs(), 3)).toBeUndefined();
    // B delivers A's request: B's own entry goes to -1, the sum to 2.
    await b.remove(fromA!.requestId, fromA!.request);
    expect(await a.countForSession('s')).toBe(2);
    expect(await b.countForSession('s')).toBe(2);
    expect(await execute(a, 's', nowSecs(), 3)).toBeDefined();
    // A replica that restarts (new id) still sees what the old one counted, through the old one's entry.
    expect(await replica('a-restarted').countForSession('s')).toBe(3);
  });

  test('requests that expire unanswered stop counting within TTL + one window', async () => {
    const { replica, nowSecs, advance } = world();
    const a = replica('a');
    const b = replica('b');
    for (let i = 0; i < 3; i++) await execute(a, 's', nowSecs(), 3);
    expect(await execute(a, 's', nowSecs(), 3)).toBeUndefined();
    advance((TTL - 1) * 1000);
    expect(await a.countForSession('s')).toBe(3); // still within their lifetime
    advance((windowSpan(TTL) + 1) * 1000);
    expect(await a.countForSession('s')).toBe(0);
    expect(await b.countForSession('s')).toBe(0);
    expect(await execute(b, 's', nowSecs(), 3)).toBeDefined();
    // A late removal of an expired request does not push the count below the live ones.
    expect(await a.countForSession('s')).toBe(1);
  });

  test('a removal counted against an expired window is ignored', async () => {
    const { replica, nowSecs, advance } = world();
    const a = replica('a');
    const old = await execute(a, 's', nowSecs());
    advance((TTL + windowSpan(TTL) + 1) * 1000);
    await execute(a, 's', nowSecs());
    await a.remove(old!.requestId, old!.request);
    expect(await a.countForSession('s')).toBe(1);
  });

  test('forClient still lists a client’s pending requests, oldest first', async () => {
    const { replica, nowSecs, advance } = world();
    const store = replica('a');
    const first = await execute(store, 's', nowSecs());
    advance(2000);
    const second = await execute(store, 's', nowSecs());
    const listed = await store.forClient('client-1');
    expect(listed.map((entry) => entry.requestId)).toEqual([first!.requestId, second!.requestId]);
    await store.remove(first!.requestId, first!.request);
    expect((await store.forClient('client-1')).map((entry) => entry.requestId)).toEqual([second!.requestId]);
  });

  test('an execute never lists the session’s requests: K/V work per execute does not grow', async () => {
    const { buckets, nowSecs, now } = world();
    let listed = 0;
    let calls = 0;
    const counting = (bucket: KeyValueBucket): KeyValueBucket => {
      const counted =
        <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
        (...args: A) => {
          calls++;
          return operation(...args);
        };
      return {
        get: counted((key: string) => bucket.get(key)),
        put: counted((key: string, value: string) => bucket.put(key, value)),
        create: counted((key: string, value: string) => bucket.create(key, value)),
        delete: counted((key: string) => bucket.delete(key)),
        entry: counted((key: string) => bucket.entry(key)),
        deleteIfRevision: counted((key: string, revision: number) => bucket.deleteIfRevision(key, revision)),
        keys: counted(async (prefix: string) => {
          const keys = await bucket.keys(prefix);
          listed += keys.length;
          return keys;
        }),
      };
    };
    const store = new RequestStore(
      counting(buckets.requests),
      counting(buckets.byClient),
      counting(buckets.counters),
      { ttlSeconds: TTL, replicaId: 'a', now },
    );
    const N = 5000;
    for (let i = 0; i < N; i++) await execute(store, 's', nowSecs());
    expect(await store.countForSession('s')).toBe(N);
    // Per execute: one listing of this replica's counter key (1 key), one counter write, two saves.
    expect(listed).toBeLessThanOrEqual(N + 1);
    expect(calls).toBeLessThanOrEqual(4 * N + 1);
  });
});
