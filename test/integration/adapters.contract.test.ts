/**
 * @module test/integration/adapters.contract.test
 * One behaviour suite for the ports of src/adapters/ports.ts, run against the memory adapters and the
 * NATS adapters (a real nats-server); then what only NATS can do: restarts, outages, several replicas.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MemoryFrameLog } from '../../src/adapters/memory/memoryFrameLog.ts';
import { MemoryKeyValueStore } from '../../src/adapters/memory/memoryKeyValueStore.ts';
import { MemoryMessageBus } from '../../src/adapters/memory/memoryMessageBus.ts';
import { MemoryPresence } from '../../src/adapters/memory/memoryPresence.ts';
import { NatsUnavailableError, natsInfrastructure, parseNatsUrl } from '../../src/adapters/nats/index.ts';
import { NatsConnector } from '../../src/adapters/nats/natsConnection.ts';
import { NatsFrameLog } from '../../src/adapters/nats/natsFrameLog.ts';
import { NatsKeyValueStore } from '../../src/adapters/nats/natsKeyValueStore.ts';
import { NatsMessageBus } from '../../src/adapters/nats/natsMessageBus.ts';
import { NatsPresence } from '../../src/adapters/nats/natsPresence.ts';
import type {
  ClientPresence,
  FrameLog,
  Infrastructure,
  KeyValueStore,
  LoggedFrame,
  MessageBus,
} from '../../src/adapters/ports.ts';
import type { PendingRequest } from '../../src/contract/index.ts';
import { RequestStore } from '../../src/core/executions/requestStore.ts';
import { NatsServer } from '../support/natsServer.ts';

interface Backend {
  kv(): KeyValueStore;
  bus(): MessageBus;
  frames(options: { framesPerClient: number; retentionMs: number }): FrameLog;
  presence(): Promise<ClientPresence>;
}

let unique = 0;
/** A fresh name per use, so tests sharing one nats-server never see each other's data. */
const fresh = (base: string) => `${base}_${++unique}`;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The next `count` frames, or a failure naming how many arrived before `timeoutMs`. */
async function take(
  frames: AsyncIterableIterator<LoggedFrame>,
  count: number,
  timeoutMs = 5000,
): Promise<LoggedFrame[]> {
  const got: LoggedFrame[] = [];
  const deadline = sleep(timeoutMs).then(() => 'timeout' as const);
  while (got.length < count) {
    const next = await Promise.race([frames.next(), deadline]);
    if (next === 'timeout') throw new Error(`got ${got.length} of ${count} frames: ${JSON.stringify(got)}`);
    if (next.done) throw new Error(`follow ended after ${got.length} of ${count} frames`);
    // Only the port's fields: an implementation may carry more on its frame objects.
    got.push({ seq: next.value.seq, data: next.value.data });
  }
  return got;
}

/** True when nothing more arrives within `ms` (the pending `next()` is abandoned with the iterator). */
async function nothingWithin(frames: AsyncIterableIterator<LoggedFrame>, ms: number): Promise<boolean> {
  const next = await Promise.race([frames.next(), sleep(ms).then(() => 'quiet' as const)]);
  return next === 'quiet';
}

function contractSuite(name: string, backend: () => Backend): void {
  describe(`${name}: KeyValueStore`, () => {
    test('get, put, overwrite, delete', async () => {
      const bucket = await backend().kv().bucket(fresh('kv'), { ttlSeconds: 60, description: 'test' });
      expect(await bucket.get('missing')).toBeNull();
      await bucket.put('k1', '{"json":true,"text":"é ✓"}');
      expect(await bucket.get('k1')).toBe('{"json":true,"text":"é ✓"}');
      await bucket.put('k1', 'second');
      expect(await bucket.get('k1')).toBe('second');
      await bucket.put('empty', '');
      expect(await bucket.get('empty')).toBe('');
      await bucket.delete('k1');
      expect(await bucket.get('k1')).toBeNull();
      await bucket.delete('never-written');
    });

    test('create writes only when absent', async () => {
      const bucket = await backend().kv().bucket(fresh('kv'), { ttlSeconds: 60, description: 'test' });
      expect(await bucket.create('c', 'first')).toBe(true);
      expect(await bucket.create('c', 'second')).toBe(false);
      expect(await bucket.get('c')).toBe('first');
      await bucket.delete('c');
      expect(await bucket.create('c', 'third')).toBe(true);
      expect(await bucket.get('c')).toBe('third');
    });

    test('revisions: put returns one, entry reads it, deleteIfRevision wins once', async () => {
      const bucket = await backend().kv().bucket(fresh('kv'), { ttlSeconds: 60, description: 'test' });
      expect(await bucket.entry('missing')).toBeNull();
      const first = await bucket.put('r', 'one');
      expect(await bucket.entry('r')).toEqual({ value: 'one', revision: first });
      const second = await bucket.put('r', 'two');
      expect(second).not.toBe(first);
      expect(await bucket.deleteIfRevision('r', first)).toBe(false);
      expect(await bucket.get('r')).toBe('two');
      const both = await Promise.all([
        bucket.deleteIfRevision('r', second),
        bucket.deleteIfRevision('r', second),
      ]);
      expect(both.filter(Boolean)).toHaveLength(1);
      expect(await bucket.get('r')).toBeNull();
      expect(await bucket.deleteIfRevision('r', second)).toBe(false);
    });

    test('keys lists whole-token prefixes only', async () => {
      const bucket = await backend().kv().bucket(fresh('kv'), { ttlSeconds: 60, description: 'test' });
      for (const key of ['client-a.r1', 'client-a.r2', 'client-ab.r1', 'client-b.r1', 'client-a'])
        await bucket.put(key, '');
      await bucket.delete('client-a.r2');
      expect((await bucket.keys('client-a.')).sort()).toEqual(['client-a.r1']);
      expect((await bucket.keys('client-b.')).sort()).toEqual(['client-b.r1']);
      expect(await bucket.keys('nobody.')).toEqual([]);
    });

    test('the same bucket name is the same bucket', async () => {
      const kv = backend().kv();
      const name = fresh('kv');
      await (await kv.bucket(name, { ttlSeconds: 60, description: 'test' })).put('shared', 'yes');
      expect(await (await kv.bucket(name, { ttlSeconds: 60, description: 'test' })).get('shared')).toBe(
        'yes',
      );
    });

    test('entries expire with the bucket TTL', async () => {
      const bucket = await backend().kv().bucket(fresh('kv'), { ttlSeconds: 1, description: 'test' });
      await bucket.put('short', 'lived');
      expect(await bucket.create('short-created', 'x')).toBe(true);
      expect(await bucket.get('short')).toBe('lived');
      await expect.poll(() => bucket.get('short'), { timeout: 5000, interval: 200 }).toBeNull();
      await expect
        .poll(() => bucket.create('short-created', 'y'), { timeout: 5000, interval: 200 })
        .toBe(true);
      expect(await bucket.keys('short.')).toEqual([]);
    });
  });

  describe(`${name}: pending requests per session (RequestStore counter)`, () => {
    /** Two replicas (own counter entries) over the same three buckets of one store. */
    async function replicas(ttlSeconds: number) {
      const kv = backend().kv();
      const options = { ttlSeconds, description: 'test' };
      const [requests, byClient, counters] = await Promise.all([
        kv.bucket(fresh('requests'), options),
        kv.bucket(fresh('client_requests'), options),
        kv.bucket(fresh('session_requests'), options),
      ]);
      const replica = (replicaId: string) =>
        new RequestStore(requests, byClient, counters, { ttlSeconds, replicaId });
      return { a: replica('a'), b: replica('b') };
    }

    async function execute(store: RequestStore, session: string, limit: number) {
      const createdAt = Math.floor(Date.now() / 1000);
      if (!(await store.reserve(session, createdAt, limit))) return undefined;
      const requestId = fresh('req');
      const request: PendingRequest = {
        client_id: 'client-1',
        session_token: session,
        execution_id: fresh('exec'),
        playbook_path: 'demo/x',
        created_at: createdAt,
      };
      await store.save(requestId, request);
      return { requestId, request };
    }

    test('one count across replicas; the limit holds; any replica removes, once', async () => {
      const { a, b } = await replicas(60);
      const first = await execute(a, 'session-1', 3);
      expect(first).toBeDefined();
      expect(await execute(b, 'session-1', 3)).toBeDefined();
      expect(await execute(a, 'session-1', 3)).toBeDefined();
      expect(await execute(b, 'session-1', 3)).toBeUndefined();
      expect(await a.countForSession('session-1')).toBe(3);
      expect(await b.countForSession('session-1')).toBe(3);
      expect(await a.countForSession('session-2')).toBe(0);
      // A duplicated callback reaches both replicas: the request is uncounted once.
      await Promise.all([
        b.remove(first!.requestId, first!.request),
        a.remove(first!.requestId, first!.request),
      ]);
      expect(await a.countForSession('session-1')).toBe(2);
      expect(await b.countForSession('session-1')).toBe(2);
      expect(await execute(a, 'session-1', 3)).toBeDefined();
      expect((await a.forClient('client-1')).map((entry) => entry.requestId)).not.toContain(first!.requestId);
      expect(await a.forClient('client-1')).toHaveLength(3);
    });

    test('unanswered requests stop counting once expired', async () => {
      const { a, b } = await replicas(1);
      expect(await execute(a, 'session-1', 2)).toBeDefined();
      expect(await execute(b, 'session-1', 2)).toBeDefined();
      expect(await execute(a, 'session-1', 2)).toBeUndefined();
      await expect.poll(() => a.countForSession('session-1'), { timeout: 8000, interval: 250 }).toBe(0);
      expect(await b.countForSession('session-1')).toBe(0);
      expect(await execute(b, 'session-1', 2)).toBeDefined();
    });
  });

  describe(`${name}: MessageBus`, () => {
    test('subscribers get what matches their wildcard', async () => {
      const bus = backend().bus();
      const root = fresh('bus');
      const deep: string[] = [];
      const one: string[] = [];
      const exact: string[] = [];
      using _a = bus.subscribe(`${root}.>`, (subject, payload) => void deep.push(`${subject}=${payload}`));
      using _b = bus.subscribe(`${root}.*.x`, (subject, payload) => void one.push(`${subject}=${payload}`));
      using _c = bus.subscribe(`${root}.a.x`, (subject, payload) => void exact.push(`${subject}=${payload}`));
      await bus.publish(`${root}.a.x`, '1');
      await bus.publish(`${root}.a.b.c`, '2');
      await bus.publish(`${root}.b.x`, '3');
      await expect.poll(() => deep.length).toBe(3);
      await expect.poll(() => one.length).toBe(2);
      await expect.poll(() => exact.length).toBe(1);
      expect(deep).toEqual([`${root}.a.x=1`, `${root}.a.b.c=2`, `${root}.b.x=3`]);
      expect(one).toEqual([`${root}.a.x=1`, `${root}.b.x=3`]);
      expect(exact).toEqual([`${root}.a.x=1`]);
    });

    test('a disposed subscription gets nothing more', async () => {
      const bus = backend().bus();
      const root = fresh('bus');
      const got: string[] = [];
      const subscription = bus.subscribe(`${root}.>`, (_subject, payload) => void got.push(payload));
      await bus.publish(`${root}.x`, 'before');
      await expect.poll(() => got).toEqual(['before']);
      subscription[Symbol.dispose]();
      await bus.publish(`${root}.x`, 'after');
      await sleep(100);
      expect(got).toEqual(['before']);
    });

    test('request gets the answer of the subscriber that answers', async () => {
      const bus = backend().bus();
      const root = fresh('bus');
      using _silent = bus.subscribe(`${root}.>`, () => undefined);
      using _answers = bus.subscribe(`${root}.*`, async (subject, payload) => `${subject}:${payload}:pong`);
      expect(await bus.request(`${root}.q`, 'ping', 2000)).toBe(`${root}.q:ping:pong`);
    });

    test('request with no responder, or none that answers, is null', async () => {
      const bus = backend().bus();
      const root = fresh('bus');
      expect(await bus.request(`${root}.nobody`, 'ping', 300)).toBeNull();
      using _silent = bus.subscribe(`${root}.quiet`, () => undefined);
      expect(await bus.request(`${root}.quiet`, 'ping', 300)).toBeNull();
    });
  });

  describe(`${name}: FrameLog`, () => {
    const options = { framesPerClient: 100, retentionMs: 60_000 };

    test('append then follow: retained frames in order, then live ones', async () => {
      const log = backend().frames(options);
      const client = fresh('client');
      const seqs = [
        await log.append(client, 'f1'),
        await log.append(client, 'f2'),
        await log.append(client, 'f3'),
      ];
      expect(seqs[1]!).toBeGreaterThan(seqs[0]!);
      expect(seqs[2]!).toBeGreaterThan(seqs[1]!);
      await using frames = log.follow(client, 0);
      expect(await take(frames, 3)).toEqual([
        { seq: seqs[0], data: 'f1' },
        { seq: seqs[1], data: 'f2' },
        { seq: seqs[2], data: 'f3' },
      ]);
      const live = await log.append(client, 'f4');
      expect(live).toBeGreaterThan(seqs[2]!);
      expect(await take(frames, 1)).toEqual([{ seq: live, data: 'f4' }]);
    });

    test('follow resumes after a given seq', async () => {
      const log = backend().frames(options);
      const client = fresh('client');
      const first = await log.append(client, 'a');
      const second = await log.append(client, 'b');
      await log.append(client, 'c');
      await using frames = log.follow(client, first);
      expect((await take(frames, 2)).map((frame) => frame.data)).toEqual(['b', 'c']);
      await using later = log.follow(client, second);
      expect((await take(later, 1)).map((frame) => frame.data)).toEqual(['c']);
    });

    test('a resume point past the end still gets every new frame', async () => {
      const log = backend().frames(options);
      const client = fresh('client');
      const last = await log.append(client, 'old');
      await using frames = log.follow(client, last + 1_000_000_000);
      await sleep(100);
      await log.append(client, 'new');
      expect((await take(frames, 1)).map((frame) => frame.data)).toEqual(['new']);
    });

    test('lastSeq is the seq of the last frame, 0 for none', async () => {
      const log = backend().frames(options);
      const client = fresh('client');
      expect(await log.lastSeq(client)).toBe(0);
      await log.append(client, 'a');
      const seq = await log.append(client, 'b');
      expect(await log.lastSeq(client)).toBe(seq);
    });

    test('two clients are isolated', async () => {
      const log = backend().frames(options);
      const ann = fresh('ann');
      const bob = fresh('bob');
      await log.append(ann, 'ann-1');
      await log.append(bob, 'bob-1');
      await log.append(ann, 'ann-2');
      await using annFrames = log.follow(ann, 0);
      await using bobFrames = log.follow(bob, 0);
      expect((await take(annFrames, 2)).map((frame) => frame.data)).toEqual(['ann-1', 'ann-2']);
      expect((await take(bobFrames, 1)).map((frame) => frame.data)).toEqual(['bob-1']);
      await log.append(bob, 'bob-2');
      expect((await take(bobFrames, 1)).map((frame) => frame.data)).toEqual(['bob-2']);
      expect(await nothingWithin(annFrames, 200)).toBe(true);
    });

    test('only the last frames per client are retained', async () => {
      const log = backend().frames({ framesPerClient: 3, retentionMs: 60_000 });
      const client = fresh('client');
      const other = fresh('client');
      for (let i = 1; i <= 5; i++) await log.append(client, `f${i}`);
      await log.append(other, 'o1');
      await using frames = log.follow(client, 0);
      expect((await take(frames, 3)).map((frame) => frame.data)).toEqual(['f3', 'f4', 'f5']);
      await using others = log.follow(other, 0);
      expect((await take(others, 1)).map((frame) => frame.data)).toEqual(['o1']);
    });

    test('appendAll: frames of one write in order, positions increasing; a resume inside a write', async () => {
      const log = backend().frames(options);
      const client = fresh('client');
      const before = await log.append(client, 'before');
      const written = await log.appendAll(client, ['state\nline', 'result']);
      expect(written.duplicate).toBe(false);
      const after = await log.append(client, 'after');
      await using frames = log.follow(client, 0);
      const got = await take(frames, 4);
      expect(got.map((frame) => frame.data)).toEqual(['before', 'state\nline', 'result', 'after']);
      const seqs = got.map((frame) => frame.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      expect(new Set(seqs).size).toBe(4);
      expect(seqs[0]).toBe(before);
      expect(seqs[2]).toBe(written.seq);
      expect(seqs[3]).toBe(after);
      expect(await log.lastSeq(client)).toBe(after);
      // Resuming after the first frame of the write gets the rest of it, not the whole write again.
      await using resumed = log.follow(client, seqs[1]!);
      expect((await take(resumed, 2)).map((frame) => frame.data)).toEqual(['result', 'after']);
    });

    test('appendAll with an id: a second write with it stores nothing and reports what the first stored', async () => {
      const log = backend().frames(options);
      const client = fresh('client');
      const id = fresh('write');
      const first = await log.appendAll(client, ['a', 'b'], { id });
      const again = await log.appendAll(client, ['c'], { id });
      expect(again).toEqual({ seq: first.seq, duplicate: true, earlier: ['a', 'b'] });
      const other = await log.appendAll(client, ['d'], { id: fresh('write') });
      expect(other.duplicate).toBe(false);
      await using frames = log.follow(client, 0);
      expect((await take(frames, 3)).map((frame) => frame.data)).toEqual(['a', 'b', 'd']);
      expect(await nothingWithin(frames, 200)).toBe(true);
    });

    test('several followers of one client: each gets every new frame; a closed one none, the others still do', async () => {
      const log = backend().frames(options);
      const client = fresh('client');
      const first = log.follow(client, 0);
      await log.append(client, 'one');
      const second = log.follow(client, 0);
      const third = log.follow(client, 0);
      const all = [first, second, third];
      for (const frames of all) expect((await take(frames, 1)).map((frame) => frame.data)).toEqual(['one']);
      await second[Symbol.asyncDispose]();
      await log.append(client, 'two');
      for (const frames of [first, third])
        expect((await take(frames, 1)).map((frame) => frame.data)).toEqual(['two']);
      await first[Symbol.asyncDispose]();
      await log.append(client, 'three');
      expect((await take(third, 1)).map((frame) => frame.data)).toEqual(['three']);
      await using fourth = log.follow(client, 0);
      expect((await take(fourth, 3)).map((frame) => frame.data)).toEqual(['one', 'two', 'three']);
      await third[Symbol.asyncDispose]();
      await log.append(client, 'four');
      expect((await take(fourth, 1)).map((frame) => frame.data)).toEqual(['four']);
      for (const frames of all) expect(await frames.next()).toEqual({ done: true, value: undefined });
    });

    test('closing a follow ends a pending next()', async () => {
      const log = backend().frames(options);
      const frames = log.follow(fresh('client'), 0);
      const pending = frames.next();
      await sleep(50);
      await frames[Symbol.asyncDispose]();
      expect(await pending).toEqual({ done: true, value: undefined });
      expect(await frames.next()).toEqual({ done: true, value: undefined });
    });
  });

  describe(`${name}: ClientPresence`, () => {
    test('attached until every handle is disposed', async () => {
      const presence = await backend().presence();
      const client = fresh('client');
      expect(await presence.isConnected(client)).toBe(false);
      const first = await presence.attach(client);
      const second = await presence.attach(client);
      expect(await presence.isConnected(client)).toBe(true);
      await first[Symbol.asyncDispose]();
      await first[Symbol.asyncDispose]();
      expect(await presence.isConnected(client)).toBe(true);
      await second[Symbol.asyncDispose]();
      expect(await presence.isConnected(client)).toBe(false);
      expect(await presence.isConnected(fresh('other'))).toBe(false);
    });
  });
}

contractSuite('memory', () => ({
  kv: () => new MemoryKeyValueStore(),
  bus: () => new MemoryMessageBus(),
  frames: ({ framesPerClient, retentionMs }) =>
    new MemoryFrameLog({ maxFramesPerClient: framesPerClient, retentionMs }),
  presence: async () => new MemoryPresence(),
}));

let server: NatsServer;
let connector: NatsConnector;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  server = await NatsServer.start();
  connector = new NatsConnector({ url: server.url });
  await connector.firstAttempt(5000);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await connector?.close();
  await server?.close();
});

contractSuite('nats', () => ({
  kv: () => new NatsKeyValueStore(connector),
  bus: () => {
    const bus = new NatsMessageBus(connector);
    cleanups.push(() => bus[Symbol.dispose]());
    return bus;
  },
  frames: ({ framesPerClient, retentionMs }) => {
    const name = fresh('FRAMES');
    return new NatsFrameLog(connector, {
      framesPerClient,
      retentionMs,
      streamName: name,
      subjectPrefix: name.toLowerCase(),
    });
  },
  presence: async () => {
    const store = new NatsKeyValueStore(connector);
    const presence = new NatsPresence(
      await store.bucket(fresh('presence'), { ttlSeconds: 30, description: 'test' }),
      { ttlSeconds: 30 },
    );
    cleanups.push(() => presence.close());
    return presence;
  },
}));

describe('nats only', () => {
  const infrastructureOptions = () => ({
    url: server.url,
    frameRetentionMs: 60_000,
    framesPerClient: 100,
  });

  async function infrastructure(): Promise<Infrastructure> {
    const infra = await natsInfrastructure(infrastructureOptions());
    cleanups.push(() => infra.close());
    return infra;
  }

  test('NATS_URL credentials and lists are parsed', () => {
    expect(parseNatsUrl('nats://noetl:s%40cret@nats.example:4222')).toEqual({
      servers: ['nats://nats.example:4222'],
      user: 'noetl',
      pass: 's@cret',
    });
    expect(parseNatsUrl('nats://a:4222, nats://b:4223', 'u', 'p')).toEqual({
      servers: ['nats://a:4222', 'nats://b:4223'],
      user: 'u',
      pass: 'p',
    });
    expect(parseNatsUrl('nats://t0ken@a:4222')).toEqual({ servers: ['nats://a:4222'], token: 't0ken' });
    expect(parseNatsUrl('127.0.0.1:4222')).toEqual({ servers: ['nats://127.0.0.1:4222'] });
    expect(() => parseNatsUrl('')).toThrow();
  });

  test('a failing bus handler does not break the bus', async () => {
    const bus = new NatsMessageBus(connector);
    cleanups.push(() => bus[Symbol.dispose]());
    const root = fresh('bus');
    const got: string[] = [];
    using _bad = bus.subscribe(`${root}.>`, () => {
      throw new Error('handler bug');
    });
    using _rejects = bus.subscribe(`${root}.>`, async () => {
      throw new Error('async handler bug');
    });
    using _good = bus.subscribe(`${root}.>`, (_subject, payload) => void got.push(payload));
    await bus.publish(`${root}.x`, 'still delivered');
    await expect.poll(() => got).toEqual(['still delivered']);
  });

  test('followers use no consumer on the server and end with their reader', async () => {
    const name = fresh('FRAMES');
    const log = new NatsFrameLog(connector, {
      framesPerClient: 10,
      retentionMs: 60_000,
      streamName: name,
      subjectPrefix: name.toLowerCase(),
    });
    await log.append('c', 'x');
    const closedAtOnce = log.follow('c', 0);
    await closedAtOnce[Symbol.asyncDispose]();
    const followers = [log.follow('c', 0), log.follow('c', 0)];
    for (const frames of followers) expect((await take(frames, 1)).map((frame) => frame.data)).toEqual(['x']);
    const jsm = await jetstreamManager(connector.require());
    expect((await jsm.streams.info(name)).state.consumer_count).toBe(0);
    for (const frames of followers) await frames[Symbol.asyncDispose]();
    await log.append('c', 'y'); // wakes nobody: the followers are gone
    for (const frames of followers) expect(await frames.next()).toEqual({ done: true, value: undefined });
  });

  test('keys outside the NATS alphabet are misses, not errors', async () => {
    const bucket = await new NatsKeyValueStore(connector).bucket(fresh('kv'), {
      ttlSeconds: 60,
      description: 'test',
    });
    for (const key of ['has space', 'a..b', '.lead', 'trail.', 'star*', 'gt>', 'ümlaut', '']) {
      expect(await bucket.get(key)).toBeNull();
      await bucket.put(key, 'x');
      expect(await bucket.create(key, 'x')).toBe(false);
      await bucket.delete(key);
    }
    expect(await bucket.keys('has space.')).toEqual([]);
  });

  test('values written by other programs come back as they are, and an existing bucket keeps its settings', async () => {
    const name = fresh('sessions');
    const foreign = await new Kvm(jetstream(connector.require())).create(name, {
      history: 1,
      ttl: 3_600_000,
      description: 'written by the login playbook',
    });
    await foreign.put('0123abcd', '{"session_token":"0123abcd","user_id":"7"}');
    const bucket = await new NatsKeyValueStore(connector).bucket(name, {
      ttlSeconds: 300,
      description: 'ours',
    });
    expect(await bucket.get('0123abcd')).toBe('{"session_token":"0123abcd","user_id":"7"}');
    const status = await foreign.status();
    expect(status.ttl).toBe(3_600_000);
    expect(status.description).toBe('written by the login playbook');
  });

  test('replicas share K/V, bus, frames and presence', async () => {
    const a = await infrastructure();
    const b = await infrastructure();
    expect(a.ready() && b.ready()).toBe(true);

    const bucket = fresh('shared');
    await (await a.kv.bucket(bucket, { ttlSeconds: 60, description: 'test' })).put('k', 'from a');
    expect(await (await b.kv.bucket(bucket, { ttlSeconds: 60, description: 'test' })).get('k')).toBe(
      'from a',
    );

    const root = fresh('callbacks');
    using _answer = b.bus.subscribe(`${root}.>`, (_subject, payload) =>
      payload === 'mine' ? 'delivered' : undefined,
    );
    await sleep(50); // b's subscription reaches the server before a asks
    expect(await a.bus.request(`${root}.r1`, 'mine', 2000)).toBe('delivered');
    expect(await a.bus.request(`${root}.r2`, 'not mine', 300)).toBeNull();

    const client = fresh('client');
    await using frames = b.frames.follow(client, 0);
    const seq = await a.frames.append(client, 'routed by a');
    expect(await take(frames, 1)).toEqual([{ seq, data: 'routed by a' }]);
    expect(await b.frames.lastSeq(client)).toBe(seq);

    const attached = await a.presence.attach(client);
    expect(await b.presence.isConnected(client)).toBe(true);
    await attached[Symbol.asyncDispose]();
    // b answered from its cache; a's announcement that the client left reaches it moments later.
    await expect.poll(() => b.presence.isConnected(client), { timeout: 2000, interval: 10 }).toBe(false);
    // Back on a: b learns it from the announcement, without asking the bucket again.
    const again = await a.presence.attach(client);
    await expect.poll(() => b.presence.isConnected(client), { timeout: 2000, interval: 10 }).toBe(true);
    await again[Symbol.asyncDispose]();
  });

  test('a follow open across a server restart gets later frames exactly once, in order', async () => {
    const infra = await infrastructure();
    const client = fresh('client');
    const before = [await infra.frames.append(client, 'b1'), await infra.frames.append(client, 'b2')];
    await using frames = infra.frames.follow(client, 0);
    expect((await take(frames, 2)).map((frame) => frame.seq)).toEqual(before);

    await server.restart();
    await expect.poll(() => infra.ready(), { timeout: 10_000 }).toBe(true);
    const after: number[] = [];
    for (const data of ['a1', 'a2', 'a3']) after.push(await infra.frames.append(client, data));
    const got = await take(frames, 3, 10_000);
    expect(got).toEqual([
      { seq: after[0], data: 'a1' },
      { seq: after[1], data: 'a2' },
      { seq: after[2], data: 'a3' },
    ]);
    expect(await nothingWithin(frames, 300)).toBe(true);
    // Frames from before the restart survived in the store: a new follower replays all of them.
    await using replay = infra.frames.follow(client, 0);
    expect((await take(replay, 5)).map((frame) => frame.data)).toEqual(['b1', 'b2', 'a1', 'a2', 'a3']);
  });

  test('K/V keeps its data and works again after a restart', async () => {
    const infra = await infrastructure();
    const bucket = await infra.kv.bucket(fresh('kv'), { ttlSeconds: 60, description: 'test' });
    await bucket.put('survives', 'yes');
    await server.restart();
    await expect.poll(() => infra.ready(), { timeout: 10_000 }).toBe(true);
    expect(await bucket.get('survives')).toBe('yes');
    await bucket.put('after', 'restart');
    expect(await bucket.get('after')).toBe('restart');
    expect(await bucket.create('after', 'again')).toBe(false);
  });

  test('started while NATS is down: not ready, fails fast, then works once NATS is up', async () => {
    await server.stop();
    const started = Date.now();
    const infra = await natsInfrastructure({ ...infrastructureOptions(), connectWaitMs: 300 });
    cleanups.push(() => infra.close());
    expect(Date.now() - started).toBeLessThan(3000);
    expect(infra.ready()).toBe(false);

    const bucket = await infra.kv.bucket(fresh('kv'), { ttlSeconds: 60, description: 'test' });
    await expect(bucket.get('k')).rejects.toBeInstanceOf(NatsUnavailableError);
    await expect(infra.frames.append('c', 'x')).rejects.toBeInstanceOf(NatsUnavailableError);
    await expect(infra.bus.publish('x.y', 'z')).rejects.toBeInstanceOf(NatsUnavailableError);
    // "Nobody answered" would be a lie while NATS is away: the caller answers 503 instead.
    await expect(infra.bus.request('x.y', 'z', 100)).rejects.toBeInstanceOf(NatsUnavailableError);

    // Registered before any connection: they start working when NATS appears.
    const root = fresh('early');
    using _early = infra.bus.subscribe(`${root}.>`, (_subject, payload) => `echo ${payload}`);
    const client = fresh('client');
    await using frames = infra.frames.follow(client, 0);
    const attached = await infra.presence.attach(client);

    await server.start();
    await expect.poll(() => infra.ready(), { timeout: 10_000 }).toBe(true);
    await bucket.put('k', 'v');
    expect(await bucket.get('k')).toBe('v');
    expect(await infra.bus.request(`${root}.q`, 'hi', 2000)).toBe('echo hi');
    const seq = await infra.frames.append(client, 'first');
    expect(await take(frames, 1, 10_000)).toEqual([{ seq, data: 'first' }]);
    expect(await infra.presence.isConnected(client)).toBe(true);
    await attached[Symbol.asyncDispose]();
  });
});
