/**
 * A result callback while a backend store fails part-way: before its result frame is stored it fails with
 * the backend's error (503; the worker posts it again and the result arrives once, its terminal state
 * included); after, it succeeds (a retry would find the request gone or send the result twice). A write
 * that was stored although its answer was lost is not stored again by the retry.
 */
import { describe, expect, test } from 'vitest';
import { MemoryFrameLog } from '../../adapters/memory/memoryFrameLog.ts';
import { MemoryKeyValueBucket } from '../../adapters/memory/memoryKeyValueStore.ts';
import { MemoryPresence } from '../../adapters/memory/memoryPresence.ts';
import {
  BackendUnavailableError,
  type ClientPresence,
  type FrameLog,
  type KeyValueBucket,
  type LoggedFrame,
} from '../../adapters/ports.ts';
import { AsyncCallbackRequest } from '../../contract/index.ts';
import { RequestStore } from '../executions/requestStore.ts';
import { CallbackDelivery } from './callbackDelivery.ts';
import { FrameRouter } from './frameRouter.ts';
import { deserializeRoutedFrame } from './frames.ts';

/** A bucket that fails chosen operations as an unreachable NATS would. */
class FlakyBucket implements KeyValueBucket {
  readonly inner = new MemoryKeyValueBucket(60);
  failing = new Set<keyof KeyValueBucket>();

  #check(operation: keyof KeyValueBucket): void {
    if (this.failing.has(operation)) throw new BackendUnavailableError(`${operation} unavailable`);
  }
  async get(key: string) {
    this.#check('get');
    return this.inner.get(key);
  }
  async put(key: string, value: string) {
    this.#check('put');
    return this.inner.put(key, value);
  }
  async create(key: string, value: string) {
    this.#check('create');
    return this.inner.create(key, value);
  }
  async delete(key: string) {
    this.#check('delete');
    return this.inner.delete(key);
  }
  async entry(key: string) {
    this.#check('entry');
    return this.inner.entry(key);
  }
  async deleteIfRevision(key: string, revision: number) {
    this.#check('deleteIfRevision');
    return this.inner.deleteIfRevision(key, revision);
  }
  async keys(prefix: string) {
    this.#check('keys');
    return this.inner.keys(prefix);
  }
}

/**
 * A frame log whose writes fail while `failing`; with `answerLost`, a write is stored but its caller still
 * gets the error (the answer was lost, as when a publish outlives its deadline).
 */
class FlakyFrameLog implements FrameLog {
  readonly inner = new MemoryFrameLog({ retentionMs: 60_000, maxFramesPerClient: 100 });
  failing = false;
  answerLost = false;
  async append(clientId: string, data: string) {
    return (await this.appendAll(clientId, [data])).seq;
  }
  async appendAll(clientId: string, frames: readonly string[], options?: { id?: string }) {
    if (this.failing) throw new BackendUnavailableError('append unavailable');
    const written = await this.inner.appendAll(clientId, frames, options);
    if (this.answerLost) throw new BackendUnavailableError('append answer lost');
    return written;
  }
  follow(clientId: string, afterSeq: number) {
    return this.inner.follow(clientId, afterSeq);
  }
  lastSeq(clientId: string) {
    return this.inner.lastSeq(clientId);
  }
}

class FlakyPresence implements ClientPresence {
  readonly inner = new MemoryPresence();
  failing = false;
  attach(clientId: string) {
    return this.inner.attach(clientId);
  }
  async isConnected(clientId: string) {
    if (this.failing) throw new BackendUnavailableError('presence unavailable');
    return this.inner.isConnected(clientId);
  }
}

const CLIENT = 'client-1';
const callback = (requestId: string, data: number) =>
  AsyncCallbackRequest.parse({ request_id: requestId, data });

async function setUp(options: { batchResults?: boolean } = {}) {
  const requests = new FlakyBucket();
  const log = new FlakyFrameLog();
  const presence = new FlakyPresence();
  const store = new RequestStore(requests, new MemoryKeyValueBucket(60), new MemoryKeyValueBucket(60));
  const router = new FrameRouter({ log, presence, ...options });
  const delivery = new CallbackDelivery(store, router);
  const createdAt = Math.floor(Date.now() / 1000);
  for (const id of ['r1', 'r2'])
    await store.save(id, {
      client_id: CLIENT,
      session_token: 'token',
      execution_id: `e-${id}`,
      playbook_path: 'demo/x',
      created_at: createdAt,
    });
  await presence.attach(CLIENT);
  return { requests, log, presence, store, delivery };
}

async function framesOf(log: FlakyFrameLog): Promise<{ event: string; seq: number }[]> {
  const frames: LoggedFrame[] = [];
  await using follower = log.follow(CLIENT, 0);
  const last = await log.lastSeq(CLIENT);
  if (last > 0) for await (const frame of follower) if (frames.push(frame) && frame.seq >= last) break;
  return frames.map((frame) => ({ event: deserializeRoutedFrame(frame.data).event, seq: frame.seq }));
}

describe('CallbackDelivery with a failing backend', () => {
  test('the request lookup fails: the backend error, never "not found"', async () => {
    const { requests, delivery } = await setUp();
    requests.failing.add('entry');
    await expect(delivery.deliverResult(callback('r1', 1))).rejects.toBeInstanceOf(BackendUnavailableError);
  });

  test('the result frame cannot be stored: the callback fails; posted again, state and result arrive once', async () => {
    const { log, delivery } = await setUp();
    log.failing = true;
    await expect(delivery.deliverResult(callback('r1', 1))).rejects.toBeInstanceOf(BackendUnavailableError);
    log.failing = false;
    expect(await delivery.deliverResult(callback('r1', 1))).toEqual({
      status: 'delivered',
    });
    expect((await framesOf(log)).map((frame) => frame.event)).toEqual(['playbook/state', 'playbook/result']);
  });

  test('after the result is stored, a failing clean-up or presence check does not fail the callback', async () => {
    const { requests, presence, delivery, store, log } = await setUp();
    requests.failing.add('deleteIfRevision');
    requests.failing.add('delete');
    presence.failing = true;
    expect(await delivery.deliverResult(callback('r2', 2))).toEqual({
      clientDisconnected: true,
      status: 'queued',
    });
    await delivery.settled();
    expect((await framesOf(log)).map((frame) => frame.event)).toEqual(['playbook/state', 'playbook/result']);
    // The entry stays until its TTL: a second post would still find it, but the worker got its answer.
    expect(await store.get('r2')).toBeDefined();
  });

  test('the write was stored but its answer lost: the retry stores nothing twice and the request is removed', async () => {
    const { log, delivery, store } = await setUp();
    log.answerLost = true;
    await expect(delivery.deliverResult(callback('r1', 1))).rejects.toBeInstanceOf(BackendUnavailableError);
    log.answerLost = false;
    expect(await delivery.deliverResult(callback('r1', 1))).toEqual({ status: 'delivered' });
    await delivery.settled();
    expect((await framesOf(log)).map((frame) => frame.event)).toEqual(['playbook/state', 'playbook/result']);
    expect(await store.get('r1')).toBeUndefined();
  });

  test('two writes (GATEWAY_FRAME_BATCH=false): state then result, and a retry after a lost answer stores nothing twice', async () => {
    const { log, delivery } = await setUp({ batchResults: false });
    log.answerLost = true;
    await expect(delivery.deliverResult(callback('r1', 1))).rejects.toBeInstanceOf(BackendUnavailableError);
    log.answerLost = false;
    expect(await delivery.deliverResult(callback('r1', 1))).toEqual({ status: 'delivered' });
    expect((await framesOf(log)).map((frame) => frame.event)).toEqual(['playbook/state', 'playbook/result']);
  });

  test('the terminal state went out before (a lifecycle event): the result follows alone, once', async () => {
    const { log, delivery } = await setUp();
    const router = new FrameRouter({ log, presence: new MemoryPresence() });
    expect(
      await router.sendState(CLIENT, {
        at: '2024-01-01T00:00:00+00:00',
        event_type: 'playbook.completed',
        execution_id: 'e-r1',
        status: 'completed',
        step_name: null,
      }),
    ).toBe(true);
    await delivery.deliverResult(callback('r1', 1));
    log.answerLost = true; // a retry after a lost answer finds the result stored already
    await delivery.deliverResult(callback('r1', 1)).catch(() => {});
    expect((await framesOf(log)).map((frame) => frame.event)).toEqual(['playbook/state', 'playbook/result']);
  });
});
