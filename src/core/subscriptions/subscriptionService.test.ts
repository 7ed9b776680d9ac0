import { afterEach, describe, expect, test } from 'vitest';
import { MemoryFrameLog } from '../../adapters/memory/memoryFrameLog.ts';
import { MemoryKeyValueBucket } from '../../adapters/memory/memoryKeyValueStore.ts';
import { MemoryMessageBus } from '../../adapters/memory/memoryMessageBus.ts';
import { MemoryPresence } from '../../adapters/memory/memoryPresence.ts';
import type { CollectionWatcher, DocumentStore } from '../../adapters/ports.ts';
import type { RoutedFrame } from '../../contract/index.ts';
import { GatewayError } from '../errors.ts';
import { ClientRegistry } from '../push/clientRegistry.ts';
import { ConnectionHub } from '../push/connectionHub.ts';
import { FrameRouter } from '../push/frameRouter.ts';
import type { Session } from '../sessions/sessionResolver.ts';
import type { OwnershipRuleConfig } from './ownershipRule.ts';
import { compileSubscriptionRules } from './subscriptionRules.ts';
import { SubscriptionService, type SubscriptionServiceOptions } from './subscriptionService.ts';

/** A DocumentStore whose listeners the test drives by hand. */
class FakeStore implements DocumentStore {
  readonly listeners: { path: string; watcher: CollectionWatcher; open: boolean }[] = [];
  readonly documents = new Map<string, Record<string, unknown>>();
  failReads = false;
  closed = false;

  async read(path: string) {
    if (this.failReads) throw new Error('deadline exceeded');
    return this.documents.get(path) ?? null;
  }

  watch(path: string, watcher: CollectionWatcher): Disposable {
    const listener = { path, watcher, open: true };
    this.listeners.push(listener);
    return {
      [Symbol.dispose]: () => {
        listener.open = false;
      },
    };
  }

  get openListeners() {
    return this.listeners.filter((listener) => listener.open).length;
  }

  last() {
    const listener = this.listeners.at(-1);
    if (!listener) throw new Error('no listener');
    return listener;
  }

  async close() {
    this.closed = true;
  }
}

const PATH = 'chat_threads/t1/trip/current/events';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const session = (name: string, user_id = 1): Session => ({
  token: `token-${name}`,
  user: { user_id, email: `${name}@example.com`, display_name: name, roles: [] },
  expiresAt: '2999-01-01T00:00:00Z',
});
const ann = session('ann', 1);
const bob = session('bob', 2);

/** What replicas share: the frame log, presence, the bus and the client registry's bucket. */
function cluster() {
  const log = new MemoryFrameLog({ retentionMs: 60_000, maxFramesPerClient: 1000 });
  const presence = new MemoryPresence();
  const bus = new MemoryMessageBus();
  const clients = new ClientRegistry(new MemoryKeyValueBucket(600));
  const frames: RoutedFrame[] = [];
  const services: SubscriptionService[] = [];

  function replica(options: Partial<SubscriptionServiceOptions> & { owner?: OwnershipRuleConfig } = {}) {
    const router = new FrameRouter({
      log,
      presence,
      onFrame: (frame) => frames.push(frame),
    });
    const hub = new ConnectionHub({ log, presence, clients });
    const store = new FakeStore();
    const faults: string[] = [];
    const service = new SubscriptionService({
      store,
      ...compileSubscriptionRules({
        pathTemplates: ['chat_threads/{thread_id}/trip/current/events'],
        owner: options.owner,
      }),
      router,
      clients,
      presence,
      hub,
      bus,
      limits: { perClient: 2, total: 3 },
      resumeWindowMs: 80,
      onListenerFault: (reason) => faults.push(reason),
      ...options,
    });
    services.push(service);
    /** An SSE stream of `who` on this replica. */
    async function connect(clientId: string, who: Session = ann) {
      expect((await clients.claim(clientId, who.token)).ok).toBe(true);
      return hub.open(clientId, 0, who.token);
    }
    return { service, store, hub, faults, connect };
  }
  return { replica, frames, services };
}

let current: ReturnType<typeof cluster> | undefined;
afterEach(async () => {
  for (const service of current?.services ?? []) await service.close();
  current = undefined;
});

function setup() {
  current = cluster();
  return current;
}

async function refusal(promise: Promise<unknown>): Promise<[string, string]> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(GatewayError);
    return [(error as GatewayError).kind, (error as GatewayError).message];
  }
  throw new Error('accepted');
}

describe('subscribing', () => {
  test('checks in the reference order: scope, path, client, configured', async () => {
    const { replica } = setup();
    const { service } = replica({ store: undefined });
    expect(
      await refusal(service.subscribe({ session: ann, path: 'x', scope: 'tenant', clientId: 'c1' })),
    ).toEqual(['bad_request', 'Only scope=owner is supported']);
    expect(
      (await refusal(service.subscribe({ session: ann, path: 'x', scope: 'owner', clientId: 'c1' })))[0],
    ).toBe('bad_request');
    expect(
      await refusal(service.subscribe({ session: ann, path: PATH, scope: 'owner', clientId: 'c1' })),
    ).toEqual(['conflict', 'No active SSE client is connected for this session']);
    const { connect } = replica();
    await connect('c1');
    expect(
      await refusal(service.subscribe({ session: ann, path: PATH, scope: 'owner', clientId: 'c1' })),
    ).toEqual([
      'unavailable',
      'Firestore listener is not configured; set GATEWAY_FIRESTORE_CREDENTIALS_PATH',
    ]);
    expect(service.enabled).toBe(false);
  });

  test('changes become subscription/event frames, in order', async () => {
    const { replica, frames } = setup();
    const { service, store, connect } = replica();
    await connect('c1');
    const { subscription_id: id } = await service.subscribe({
      session: ann,
      path: PATH,
      scope: 'owner',
      clientId: 'c1',
    });
    expect(store.last().path).toBe(PATH);
    store.last().watcher.changes([
      { docId: 'a', op: 'added', data: { n: 1 } },
      { docId: 'b', op: 'added', data: {} },
    ]);
    store.last().watcher.changes([{ docId: 'a', op: 'removed', data: { n: 1 } }]);
    await sleep(10);
    expect(frames).toEqual([
      {
        jsonrpc: '2.0',
        method: 'subscription/event',
        params: { data: { n: 1 }, doc_id: 'a', op: 'added', subscription_id: id },
      },
      {
        jsonrpc: '2.0',
        method: 'subscription/event',
        params: { data: {}, doc_id: 'b', op: 'added', subscription_id: id },
      },
      {
        jsonrpc: '2.0',
        method: 'subscription/event',
        params: { data: { n: 1 }, doc_id: 'a', op: 'removed', subscription_id: id },
      },
    ]);
  });

  test('limits: per client (429) and per replica (503); a refused request holds no slot', async () => {
    const { replica } = setup();
    const { service, connect } = replica();
    await connect('c1');
    await connect('c2');
    const request = (clientId: string) =>
      service.subscribe({ session: ann, path: PATH, scope: 'owner', clientId });
    await request('c1');
    await request('c1');
    expect((await refusal(request('c1')))[0]).toBe('too_many_requests');
    await request('c2');
    expect(await refusal(request('c2'))).toEqual([
      'unavailable',
      'Too many Firestore subscriptions on this gateway (at most 3)',
    ]);
    expect(service.size).toBe(3);
  });

  test('ownership rule: allowed, refused (403), unreadable (503, fails closed)', async () => {
    const { replica } = setup();
    const { service, store, connect } = replica({
      owner: { document: 'chat_threads/{thread_id}', field: 'owner_user_id', match: 'user_id' },
    });
    await connect('c1');
    const request = () => service.subscribe({ session: ann, path: PATH, scope: 'owner', clientId: 'c1' });
    expect(await refusal(request())).toEqual(['forbidden', 'The caller does not own this subscription path']);
    store.documents.set('chat_threads/t1', { owner_user_id: 2 });
    expect((await refusal(request()))[0]).toBe('forbidden');
    store.failReads = true;
    expect((await refusal(request()))[0]).toBe('unavailable');
    expect(store.listeners).toEqual([]);
    expect(service.size).toBe(0);
    store.failReads = false;
    store.documents.set('chat_threads/t1', { owner_user_id: 1 });
    await request();
    expect(store.openListeners).toBe(1);
  });
});

describe('faults', () => {
  test('a fatal fault ends the subscription with an error frame; it is counted', async () => {
    const { replica, frames } = setup();
    const { service, store, faults, connect } = replica();
    await connect('c1');
    const { subscription_id: id } = await service.subscribe({
      session: ann,
      path: PATH,
      scope: 'owner',
      clientId: 'c1',
    });
    store.last().watcher.fault({ message: 'PERMISSION_DENIED: no', fatal: true });
    await sleep(10);
    expect(frames.at(-1)).toEqual({
      jsonrpc: '2.0',
      error: {
        code: -32010,
        message: 'Subscription ended: the Firestore listener failed (PERMISSION_DENIED: no)',
        data: { reason: 'listener_failed', retrying: false, subscription_id: id },
      },
    });
    expect(faults).toEqual(['listener_failed']);
    expect(store.openListeners).toBe(0);
    expect((await refusal(service.unsubscribe({ session: ann, subscriptionId: id })))[0]).toBe('not_found');
  });

  test('an unreachable backend is reported and the subscription stays', async () => {
    const { replica, frames } = setup();
    const { service, store, faults, connect } = replica();
    await connect('c1');
    const { subscription_id: id } = await service.subscribe({
      session: ann,
      path: PATH,
      scope: 'owner',
      clientId: 'c1',
    });
    store.last().watcher.fault({ message: 'UNAVAILABLE', fatal: false });
    store.last().watcher.changes([{ docId: 'a', op: 'added', data: {} }]);
    await sleep(10);
    expect(frames.map((frame) => ('error' in frame ? frame.error.data : frame.method))).toEqual([
      { reason: 'backend_unreachable', retrying: true, subscription_id: id },
      'subscription/event',
    ]);
    expect(faults).toEqual(['backend_unreachable']);
    expect(store.openListeners).toBe(1);
  });
});

describe('stopping', () => {
  test('DELETE on another replica stops the listener where it runs; a foreign session gets 403', async () => {
    const { replica } = setup();
    const a = replica();
    const b = replica();
    await a.connect('c1');
    const { subscription_id: id } = await a.service.subscribe({
      session: ann,
      path: PATH,
      scope: 'owner',
      clientId: 'c1',
    });
    expect(await refusal(b.service.unsubscribe({ session: bob, subscriptionId: id }))).toEqual([
      'forbidden',
      'Subscription belongs to another session',
    ]);
    expect(a.store.openListeners).toBe(1);
    await b.service.unsubscribe({ session: ann, subscriptionId: id });
    expect(a.store.openListeners).toBe(0);
    expect((await refusal(b.service.unsubscribe({ session: ann, subscriptionId: id })))[0]).toBe('not_found');
    expect((await refusal(b.service.unsubscribe({ session: ann, subscriptionId: 'a.b>' })))[0]).toBe(
      'not_found',
    );
  });

  test('a foreign client id is refused', async () => {
    const { replica } = setup();
    const { service, connect } = replica();
    await connect('bobs', bob);
    expect(
      await refusal(service.subscribe({ session: ann, path: PATH, scope: 'owner', clientId: 'bobs' })),
    ).toEqual(['forbidden', 'client_id belongs to another session']);
  });

  test('the client gone past the resume window: listener stopped, error frame kept for its return', async () => {
    const { replica, frames } = setup();
    const { service, store, connect } = replica();
    const stream = await connect('c1');
    const { subscription_id: id } = await service.subscribe({
      session: ann,
      path: PATH,
      scope: 'owner',
      clientId: 'c1',
    });
    await stream[Symbol.asyncDispose]();
    await sleep(40);
    expect(store.openListeners).toBe(1);
    await sleep(120);
    expect(store.openListeners).toBe(0);
    expect(frames.at(-1)).toMatchObject({
      error: { data: { reason: 'client_disconnected', subscription_id: id } },
    });
  });

  test('a reconnect within the window (even on another replica) keeps it', async () => {
    const { replica } = setup();
    const a = replica();
    const b = replica();
    const stream = await a.connect('c1');
    await a.service.subscribe({ session: ann, path: PATH, scope: 'owner', clientId: 'c1' });
    await stream[Symbol.asyncDispose]();
    await b.connect('c1');
    await sleep(200);
    expect(a.store.openListeners).toBe(1);
  });

  test('without client_id the session’s newest stream on this replica is the target', async () => {
    const { replica } = setup();
    const { service, connect } = replica();
    await connect('c-old');
    await connect('c-new');
    await connect('bobs', bob);
    expect(
      await service.subscribe({ session: ann, path: PATH, scope: 'owner', clientId: undefined }),
    ).toMatchObject({
      client_id: 'c-new',
    });
  });

  test('shutdown: every listener stops, each client is told, the store is closed, no new subscription', async () => {
    const { replica, frames } = setup();
    const { service, store, connect } = replica();
    await connect('c1');
    await service.subscribe({ session: ann, path: PATH, scope: 'owner', clientId: 'c1' });
    await service.subscribe({ session: ann, path: PATH, scope: 'owner', clientId: 'c1' });
    await service.close();
    expect(store.openListeners).toBe(0);
    expect(store.closed).toBe(true);
    expect(
      frames.filter((frame) => 'error' in frame).map((frame) => ('error' in frame ? frame.error.data : 0)),
    ).toEqual([
      expect.objectContaining({ reason: 'shutdown', retrying: false }),
      expect.objectContaining({ reason: 'shutdown', retrying: false }),
    ]);
    expect(
      (await refusal(service.subscribe({ session: ann, path: PATH, scope: 'owner', clientId: 'c1' })))[0],
    ).toBe('unavailable');
  });
});
