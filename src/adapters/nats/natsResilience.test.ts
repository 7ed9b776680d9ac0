/**
 * The NATS adapters through a server that dies (SIGKILL) and comes back late, or hangs (SIGSTOP): a
 * follower resumes by itself with every frame exactly once, and every store and bus operation fails with
 * NatsUnavailableError — at once while disconnected, at its deadline while the server does not answer.
 * A real nats-server, never a mock.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { NatsServer } from '../../../test/support/natsServer.ts';
import { until } from '../../../test/support/until.ts';
import type { Infrastructure, LoggedFrame } from '../ports.ts';
import { NatsUnavailableError, natsInfrastructure } from './index.ts';

const OPERATION_TIMEOUT_MS = 500;

let server: NatsServer;
const cleanups: (() => Promise<void>)[] = [];
beforeAll(async () => {
  server = await NatsServer.start();
}, 20_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  if (!server.running) await server.start();
});
afterAll(async () => {
  await server?.close();
});

let unique = 0;
const fresh = (base: string) => `${base}_${++unique}`;

async function infrastructure(): Promise<Infrastructure> {
  const infra = await natsInfrastructure({
    url: server.url,
    frameRetentionMs: 60_000,
    framesPerClient: 100,
    operationTimeoutMs: OPERATION_TIMEOUT_MS,
  });
  cleanups.push(() => infra.close());
  return infra;
}

/** Reads frames in the background, so a test can wait for them without racing `next()`. */
function reader(frames: AsyncIterableIterator<LoggedFrame>): { got: LoggedFrame[] } {
  const state = { got: [] as LoggedFrame[] };
  void (async () => {
    for await (const frame of frames) state.got.push({ seq: frame.seq, data: frame.data });
  })();
  return state;
}

/** How long `operation` took to reject with NatsUnavailableError. */
async function unavailableWithin(operation: () => Promise<unknown>): Promise<number> {
  const started = Date.now();
  await expect(operation()).rejects.toBeInstanceOf(NatsUnavailableError);
  return Date.now() - started;
}

test('a follower open across a SIGKILL and restart gets every frame once, in order, by itself', async () => {
  const infra = await infrastructure();
  const client = fresh('client');
  await using frames = infra.frames.follow(client, 0);
  const read = reader(frames);
  const before = [await infra.frames.append(client, 'b1'), await infra.frames.append(client, 'b2')];
  await until(() => read.got.length === 2, 'the frames before the kill', 5000);

  await server.kill();
  await until(() => !infra.ready(), 'the client to notice', 5000);
  // While the server is away the follower waits; a write fails at once.
  await unavailableWithin(() => infra.frames.append(client, 'lost'));
  await server.start();
  await until(() => infra.ready(), 'the reconnect', 10_000);

  const after: number[] = [];
  for (const data of ['a1', 'a2', 'a3', 'end']) after.push(await infra.frames.append(client, data));
  await until(() => read.got.at(-1)?.data === 'end', 'the frames after the restart', 10_000);
  expect(read.got).toEqual([
    { seq: before[0], data: 'b1' },
    { seq: before[1], data: 'b2' },
    { seq: after[0], data: 'a1' },
    { seq: after[1], data: 'a2' },
    { seq: after[2], data: 'a3' },
    { seq: after[3], data: 'end' },
  ]);
}, 30_000);

test('a follower survives two outages in a row and a frame stored just before each', async () => {
  const infra = await infrastructure();
  const client = fresh('client');
  await using frames = infra.frames.follow(client, 0);
  const read = reader(frames);
  const written: string[] = [];
  for (let round = 0; round < 2; round++) {
    const data = `before-kill-${round}`;
    await infra.frames.append(client, data);
    written.push(data);
    await server.kill();
    await until(() => !infra.ready(), 'the client to notice', 5000);
    await server.start();
    await until(() => infra.ready(), 'the reconnect', 10_000);
  }
  await infra.frames.append(client, 'end');
  written.push('end');
  await until(() => read.got.at(-1)?.data === 'end', 'the last frame', 10_000);
  expect(read.got.map((frame) => frame.data)).toEqual(written);
  expect(new Set(read.got.map((frame) => frame.seq)).size).toBe(written.length);
}, 40_000);

test('while disconnected, every store and bus operation fails at once with NatsUnavailableError', async () => {
  const infra = await infrastructure();
  const bucket = await infra.kv.bucket(fresh('kv'), { ttlSeconds: 60, description: 'test' });
  await bucket.put('k', 'v');
  await server.kill();
  await until(() => !infra.ready(), 'the client to notice', 5000);
  const operations: (() => Promise<unknown>)[] = [
    () => bucket.get('k'),
    () => bucket.put('k', 'w'),
    () => bucket.create('new', 'x'),
    () => bucket.delete('k'),
    () => bucket.keys(''),
    () => infra.frames.append('c', 'x'),
    () => infra.frames.lastSeq('c'),
    () => infra.bus.publish('x.y', 'z'),
    () => infra.bus.request('x.y', 'z', 5000),
    () => infra.presence.isConnected('c'),
  ];
  for (const operation of operations) expect(await unavailableWithin(operation)).toBeLessThan(200);
  await server.start();
  await until(() => infra.ready(), 'the reconnect', 10_000);
  expect(await bucket.get('k')).toBe('v');
}, 30_000);

test('a server that stops answering (SIGSTOP): operations give up at their deadline, then work again', async () => {
  const infra = await infrastructure();
  const bucket = await infra.kv.bucket(fresh('kv'), { ttlSeconds: 60, description: 'test' });
  const client = fresh('client');
  await using frames = infra.frames.follow(client, 0);
  const read = reader(frames);
  await bucket.put('k', 'v');
  await server.pause();
  cleanups.push(async () => server.resume());
  try {
    // The client still believes it is connected: only the deadline saves the caller.
    expect(infra.ready()).toBe(true);
    for (const operation of [() => bucket.get('k'), () => infra.frames.append(client, 'frozen')]) {
      const took = await unavailableWithin(operation);
      expect(took).toBeGreaterThanOrEqual(OPERATION_TIMEOUT_MS - 50);
      expect(took).toBeLessThan(OPERATION_TIMEOUT_MS + 1000);
    }
  } finally {
    server.resume();
  }
  expect(await bucket.get('k')).toBe('v');
  await infra.frames.append(client, 'thawed');
  await until(() => read.got.at(-1)?.data === 'thawed', 'the frame after the thaw', 10_000);
  // The append that timed out may or may not have been stored; nothing arrives twice either way.
  expect(new Set(read.got.map((frame) => frame.seq)).size).toBe(read.got.length);
}, 30_000);

test('a follower reads what another program publishes on the subject, and leaves no consumer on the server', async () => {
  const infra = await infrastructure();
  const client = fresh('client');
  await using frames = infra.frames.follow(client, 0);
  const read = reader(frames);
  await infra.frames.append(client, 'first');
  await until(() => read.got.length === 1, 'the first frame', 5000);

  // A frame stored by something else than the gateway (a playbook, an operator's tool) wakes it too.
  const operator = await connect({ servers: server.url });
  cleanups.push(() => operator.close());
  const js = jetstream(operator);
  const ack = await js.publish(`gateway.frames.${client}`, 'from elsewhere');
  await until(() => read.got.length === 2, 'the frame published elsewhere', 5000);
  expect(read.got[1]).toEqual({ seq: ack.seq, data: 'from elsewhere' });
  // The follower reads from the stream's leader: no consumer is kept for it.
  const jsm = await jetstreamManager(operator);
  expect((await jsm.streams.info('GATEWAY_FRAMES')).state.consumer_count).toBe(0);
}, 30_000);
