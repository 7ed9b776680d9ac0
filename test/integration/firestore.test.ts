/**
 * Firestore subscriptions end to end: a real gateway, the NoETL double, SSE clients over HTTP, and the
 * Firestore emulator (`@firestore-emulator/server`) in this process. Each test watches its own thread.
 */
import { GeoPoint, Timestamp } from '@google-cloud/firestore';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type FirestoreEmulator, startFirestoreEmulator } from '../support/firestoreEmulator.ts';
import type { SseEvent, SseTestClient } from '../support/sseClient.ts';
import { type Stack, startStack } from '../support/stack.ts';
import { until } from '../support/until.ts';

const RESUME_WINDOW_SECS = 1;

let emulator: FirestoreEmulator;
let stack: Stack;

function firestoreEnv(target: FirestoreEmulator, extra: Record<string, string> = {}): Record<string, string> {
  return {
    FIRESTORE_EMULATOR_HOST: target.host,
    GATEWAY_FIRESTORE_PROJECT_ID: target.projectId,
    GATEWAY_FIRESTORE_RESUME_WINDOW_SECS: String(RESUME_WINDOW_SECS),
    GATEWAY_MAX_FIRESTORE_SUBSCRIPTIONS_PER_CLIENT: '3',
    ...extra,
  };
}

beforeAll(async () => {
  emulator = await startFirestoreEmulator();
  stack = await startStack(firestoreEnv(emulator));
});
afterAll(async () => {
  await stack?.stop();
  await emulator?.stop();
});

const threadPath = (thread: string) => `chat_threads/${thread}/trip/current/events`;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The emulator's Listen streams once they stop changing (a stopped SDK listener ends its stream a bit later). */
async function settledListeners(target = emulator): Promise<number> {
  let last = target.listeners();
  for (let stable = 0; stable < 4; ) {
    await sleep(50);
    const now = target.listeners();
    stable = now === last ? stable + 1 : 0;
    last = now;
  }
  return last;
}

function subscribe(target: Stack, token: string, body: Record<string, unknown>): Promise<Response> {
  return target.post('/api/subscriptions/firestore', body, bearer(token));
}

function unsubscribe(target: Stack, token: string | undefined, id: string): Promise<Response> {
  return fetch(`${target.url}/api/subscriptions/${encodeURIComponent(id)}`, {
    method: 'DELETE',
    headers: token ? bearer(token) : {},
  });
}

async function connected(
  target: Stack,
  token: string,
  query: Record<string, string> = {},
): Promise<SseTestClient> {
  const events = await target.events(token, query);
  await events.waitForEvent('message');
  return events;
}

/** Logs in, connects, subscribes to `thread`; returns the subscription once its first snapshot is in. */
async function subscribed(thread: string, name = 'ann', target = stack) {
  const token = await target.login(name);
  const events = await connected(target, token);
  const response = await subscribe(target, token, {
    path: threadPath(thread),
    scope: 'owner',
    client_id: events.clientId,
  });
  expect(response.status).toBe(200);
  const { subscription_id: id } = (await response.json()) as { subscription_id: string };
  return { token, events, id };
}

const change =
  (id: string, docId: string, op?: string) =>
  (event: SseEvent): boolean =>
    event.event === 'subscription/event' &&
    event.json.params?.subscription_id === id &&
    event.json.params?.doc_id === docId &&
    (op === undefined || event.json.params?.op === op);

const subscriptionError = (id: string) => (event: SseEvent) =>
  event.event === 'error' &&
  (event.json.error?.data as { subscription_id?: string } | undefined)?.subscription_id === id;

describe('POST /api/subscriptions/firestore', () => {
  test('existing documents arrive as added, then added / modified / removed; Firestore values as JSON', async () => {
    const events = emulator.db.collection(threadPath('t-flow'));
    await events.doc('evt-1').set({
      title: 'Depart SFO',
      start_at: Timestamp.fromDate(new Date('2025-03-01T08:30:00.250Z')),
      where: new GeoPoint(37.62, -122.38),
      trip: emulator.db.doc('trips/trip-1'),
      ticket: Buffer.from('hi'),
      seats: 2,
      price: 99.5,
      tags: ['window', 'aisle'],
      meta: { booked: true, at: Timestamp.fromMillis(0), note: null },
    });
    const token = await stack.login('ann');
    const client = await connected(stack, token);
    expect(client.events[0]?.json.result?.capabilities).toMatchObject({ subscriptions: true });

    const response = await subscribe(stack, token, {
      path: threadPath('t-flow'),
      scope: 'owner',
      client_id: client.clientId,
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { subscription_id: string; client_id: string };
    expect(body.client_id).toBe(client.clientId);
    const id = body.subscription_id;

    const added = await client.waitFor(change(id, 'evt-1', 'added'));
    expect(Object.keys(added.json.params ?? {})).toEqual(['data', 'doc_id', 'op', 'subscription_id']);
    expect(added.json.params?.data).toEqual({
      meta: { at: '1970-01-01T00:00:00Z', booked: true, note: null },
      price: 99.5,
      seats: 2,
      start_at: '2025-03-01T08:30:00.250Z',
      tags: ['window', 'aisle'],
      ticket: 'aGk=',
      title: 'Depart SFO',
      trip: 'trips/trip-1',
      where: { latitude: 37.62, longitude: -122.38 },
    });

    await events.doc('evt-2').set({ title: 'Hotel', start_at: Timestamp.fromMillis(1_700_000_000_123) });
    const second = await client.waitFor(change(id, 'evt-2', 'added'));
    expect(second.json.params?.data).toEqual({ title: 'Hotel', start_at: '2023-11-14T22:13:20.123Z' });

    await events.doc('evt-1').update({ title: 'Depart SFO (delayed)' });
    const modified = await client.waitFor(change(id, 'evt-1', 'modified'));
    expect(modified.json.params?.data).toMatchObject({ title: 'Depart SFO (delayed)', seats: 2 });

    await events.doc('evt-2').delete();
    const removed = await client.waitFor(change(id, 'evt-2', 'removed'));
    expect(removed.json.params?.data).toEqual({ title: 'Hotel', start_at: '2023-11-14T22:13:20.123Z' });

    expect((await unsubscribe(stack, token, id)).status).toBe(204);
    client.close();
  });

  test('without client_id the frames go to a client of the caller’s session', async () => {
    const token = await stack.login('dora');
    const client = await connected(stack, token);
    const response = await subscribe(stack, token, { path: threadPath('t-default') });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { subscription_id: string; client_id: string };
    expect(body.client_id).toBe(client.clientId);
    await emulator.db.doc(`${threadPath('t-default')}/e1`).set({ n: 1 });
    await client.waitFor(change(body.subscription_id, 'e1', 'added'));
    expect((await unsubscribe(stack, token, body.subscription_id)).status).toBe(204);
    client.close();
  });

  test('bad scope or path → 400 with the reference messages; a missing path → 422', async () => {
    const token = await stack.login('ann');
    const cases: [Record<string, unknown>, string][] = [
      [{ path: threadPath('t1'), scope: 'tenant' }, 'Only scope=owner is supported'],
      [{ path: `/${threadPath('t1')}` }, 'Subscription path must not have leading or trailing slashes'],
      [{ path: `${threadPath('t1')}/` }, 'Subscription path must not have leading or trailing slashes'],
      [
        { path: 'users/u1/trips/t1/events' },
        'Subscription path must match chat_threads/<thread_id>/trip/current/events',
      ],
      [
        { path: 'chat_threads/t1/trip/current' },
        'Subscription path must match chat_threads/<thread_id>/trip/current/events',
      ],
      [{ path: threadPath('..') }, "Thread id must contain only ASCII letters, numbers, '.', '_', or '-'"],
      [{ path: threadPath('a b') }, "Thread id must contain only ASCII letters, numbers, '.', '_', or '-'"],
      [
        { path: 'chat_threads//trip/current/events' },
        "Thread id must contain only ASCII letters, numbers, '.', '_', or '-'",
      ],
    ];
    for (const [body, message] of cases) {
      const response = await subscribe(stack, token, body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(((await response.json()) as { error: string }).error).toBe(message);
    }
    expect((await subscribe(stack, token, { scope: 'owner' })).status).toBe(422);
  });

  test('a client_id of another session → 403; one that is not connected → 409', async () => {
    const ann = await stack.login('ann');
    const bob = await stack.login('bob');
    const bobs = await connected(stack, bob);
    const foreign = await subscribe(stack, ann, { path: threadPath('t-x'), client_id: bobs.clientId });
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ error: 'client_id belongs to another session' });

    const absent = await subscribe(stack, ann, { path: threadPath('t-x'), client_id: 'never-connected-1' });
    expect(absent.status).toBe(409);
    expect(await absent.json()).toMatchObject({
      error: 'No active SSE client is connected for this session',
    });

    const carol = await stack.login('carol');
    const none = await subscribe(stack, carol, { path: threadPath('t-x') });
    expect(none.status).toBe(409);
    expect(await none.json()).toMatchObject({ error: 'No active SSE client is connected for this session' });
    bobs.close();
  });

  test('without a session → 401', async () => {
    const response = await stack.post('/api/subscriptions/firestore', { path: threadPath('t1') });
    expect(response.status).toBe(401);
    expect((await unsubscribe(stack, undefined, 'whatever')).status).toBe(401);
  });

  test('at most GATEWAY_MAX_FIRESTORE_SUBSCRIPTIONS_PER_CLIENT per client → 429', async () => {
    const token = await stack.login('erin');
    const client = await connected(stack, token);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await subscribe(stack, token, {
        path: threadPath(`t-limit-${i}`),
        client_id: client.clientId,
      });
      expect(response.status).toBe(200);
      ids.push(((await response.json()) as { subscription_id: string }).subscription_id);
    }
    const over = await subscribe(stack, token, { path: threadPath('t-limit-3'), client_id: client.clientId });
    expect(over.status).toBe(429);
    expect(await over.json()).toMatchObject({
      error: 'Too many Firestore subscriptions for this client (at most 3); delete one first',
    });
    expect((await unsubscribe(stack, token, ids.pop()!)).status).toBe(204);
    const room = await subscribe(stack, token, { path: threadPath('t-limit-3'), client_id: client.clientId });
    expect(room.status).toBe(200);
    ids.push(((await room.json()) as { subscription_id: string }).subscription_id);
    for (const id of ids) expect((await unsubscribe(stack, token, id)).status).toBe(204);
    client.close();
  });
});

describe('stopping a subscription', () => {
  test('DELETE → 204 with an empty body; the listener is gone and no frame follows', async () => {
    const before = await settledListeners();
    const { token, events, id } = await subscribed('t-delete');
    await emulator.db.doc(`${threadPath('t-delete')}/a`).set({ n: 1 });
    await events.waitFor(change(id, 'a', 'added'));
    await until(() => emulator.listeners() === before + 1, 'one more emulator listener');

    const response = await unsubscribe(stack, token, id);
    expect(response.status).toBe(204);
    expect(await response.text()).toBe('');
    await until(() => emulator.listeners() === before, 'the listener gone');

    const seen = events.events.length;
    await emulator.db.doc(`${threadPath('t-delete')}/b`).set({ n: 2 });
    await emulator.db.doc(`${threadPath('t-delete')}/a`).update({ n: 3 });
    await sleep(400);
    expect(events.events.slice(seen).filter((event) => event.event === 'subscription/event')).toEqual([]);

    const again = await unsubscribe(stack, token, id);
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ error: 'Subscription not found' });
    events.close();
  });

  test('DELETE by another session → 403 and the subscription keeps running', async () => {
    const { token, events, id } = await subscribed('t-foreign');
    const bob = await stack.login('bob');
    const response = await unsubscribe(stack, bob, id);
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: 'Subscription belongs to another session' });

    await emulator.db.doc(`${threadPath('t-foreign')}/still`).set({ ok: true });
    await events.waitFor(change(id, 'still', 'added'));
    expect((await unsubscribe(stack, token, id)).status).toBe(204);
    events.close();
  });

  test('a reconnect within the resume window keeps the subscription', async () => {
    const { token, events, id } = await subscribed('t-resume');
    const clientId = events.clientId;
    events.close();
    await sleep(100);
    const again = await connected(stack, token, { client_id: clientId });
    await sleep(RESUME_WINDOW_SECS * 1000 + 500);
    await emulator.db.doc(`${threadPath('t-resume')}/after`).set({ ok: true });
    await again.waitFor(change(id, 'after', 'added'));
    expect((await unsubscribe(stack, token, id)).status).toBe(204);
    again.close();
  });

  test('an SSE client gone longer than the resume window: listener stopped, error frame on its return', async () => {
    const before = await settledListeners();
    const { token, events, id } = await subscribed('t-gone');
    await until(() => emulator.listeners() === before + 1, 'one more emulator listener');
    const clientId = events.clientId;
    const closedAt = Date.now();
    events.close();
    await until(() => emulator.listeners() === before, 'the listener gone', (RESUME_WINDOW_SECS + 5) * 1000);
    expect(Date.now() - closedAt).toBeGreaterThanOrEqual(RESUME_WINDOW_SECS * 1000 - 50);

    const back = await connected(stack, token, { client_id: clientId });
    const ended = await back.waitFor(subscriptionError(id));
    expect(ended.json.error).toMatchObject({
      code: -32010,
      data: { reason: 'client_disconnected', retrying: false, subscription_id: id },
    });
    expect((await unsubscribe(stack, token, id)).status).toBe(404);
    back.close();
  });
});

describe('ownership rule', () => {
  let owned: Stack;
  beforeAll(async () => {
    owned = await startStack(
      firestoreEnv(emulator, {
        GATEWAY_FIRESTORE_OWNER_DOCUMENT: 'chat_threads/{thread_id}',
        GATEWAY_FIRESTORE_OWNER_FIELD: 'owner.email',
        GATEWAY_FIRESTORE_OWNER_MATCH: 'email',
      }),
    );
    await emulator.db.doc('chat_threads/owned-1').set({ owner: { email: 'Ann@Example.com' } });
    await emulator.db.doc('chat_threads/owned-2').set({ owner: { email: 42 } });
  });
  afterAll(() => owned?.stop());

  test('the owner may subscribe; another user, a missing owner document or a wrong type → 403', async () => {
    const { token, events, id } = await subscribed('owned-1', 'ann', owned);
    expect((await unsubscribe(owned, token, id)).status).toBe(204);
    events.close();

    for (const [name, thread] of [
      ['bob', 'owned-1'],
      ['ann', 'no-such-thread'],
      ['ann', 'owned-2'],
    ] as const) {
      const user = await owned.login(name);
      const client = await connected(owned, user);
      const response = await subscribe(owned, user, { path: threadPath(thread), client_id: client.clientId });
      expect(response.status, `${name} ${thread}`).toBe(403);
      expect(await response.json()).toMatchObject({
        error: 'The caller does not own this subscription path',
      });
      client.close();
    }
  });
});

describe('Firestore not configured', () => {
  test('capabilities.subscriptions is false and subscribing answers 503', async () => {
    const plain = await startStack();
    try {
      const token = await plain.login('ann');
      const client = await connected(plain, token);
      expect(client.events[0]?.json.result?.capabilities).toMatchObject({ subscriptions: false });
      const response = await subscribe(plain, token, { path: threadPath('t1'), client_id: client.clientId });
      expect(response.status).toBe(503);
      expect(await response.json()).toMatchObject({
        error: 'Firestore listener is not configured; set GATEWAY_FIRESTORE_CREDENTIALS_PATH',
      });
      expect((await unsubscribe(plain, token, 'not-there')).status).toBe(404);
      client.close();
    } finally {
      await plain.stop();
    }
  });
});

describe('Firestore stops answering', () => {
  test('the client gets an error frame, the fault is counted, and the gateway keeps running', async () => {
    const lost = await startFirestoreEmulator('demo-gateway-lost');
    const target = await startStack(
      firestoreEnv(lost, {
        GATEWAY_FIRESTORE_PROBE_INTERVAL_SECS: '0.2',
        GATEWAY_FIRESTORE_TIMEOUT_SECS: '1',
      }),
    );
    try {
      await lost.db.doc(`${threadPath('t-lost')}/a`).set({ n: 1 });
      const { token, events, id } = await subscribed('t-lost', 'ann', target);
      await events.waitFor(change(id, 'a', 'added'));

      await lost.stop();
      const fault = await events.waitFor(subscriptionError(id), 10_000);
      expect(fault.json.error).toMatchObject({
        code: -32010,
        data: { reason: 'backend_unreachable', retrying: true, subscription_id: id },
      });
      expect(String(fault.json.error?.message)).toMatch(/^Firestore is unreachable/);

      const metrics = await (await fetch(`${target.url}/metrics`)).text();
      expect(metrics).toMatch(
        /noetl_gateway_firestore_listener_faults_total\{reason="backend_unreachable"\} [1-9]/,
      );
      expect((await fetch(`${target.url}/health`)).status).toBe(200);
      expect((await unsubscribe(target, token, id)).status).toBe(204);
      const later = await subscribe(target, token, {
        path: threadPath('t-lost-2'),
        client_id: events.clientId,
      });
      expect(later.status).toBe(200);
      events.close();
    } finally {
      const stopping = Date.now();
      await target.stop();
      expect(Date.now() - stopping).toBeLessThan(8000);
      await lost.stop();
    }
  });
});
