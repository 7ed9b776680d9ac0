/**
 * Firestore subscriptions across two replicas on one real nats-server: the listener runs on the replica
 * that took the POST, the frames reach the client's stream on the other one, a DELETE on either stops it,
 * and a client that left through the other replica is noticed after the resume window.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Cluster, startCluster } from '../support/cluster.ts';
import { type FirestoreEmulator, startFirestoreEmulator } from '../support/firestoreEmulator.ts';
import type { SseEvent } from '../support/sseClient.ts';

let emulator: FirestoreEmulator;
let cluster: Cluster;

beforeAll(async () => {
  emulator = await startFirestoreEmulator('demo-gateway-cluster');
  cluster = await startCluster(2, {
    FIRESTORE_EMULATOR_HOST: emulator.host,
    GATEWAY_FIRESTORE_PROJECT_ID: emulator.projectId,
    GATEWAY_FIRESTORE_RESUME_WINDOW_SECS: '1',
  });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
  await emulator?.stop();
});

const [A, B] = [0, 1];
const replica = (i: number) => cluster.replicas[i]!;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const threadPath = (thread: string) => `chat_threads/${thread}/trip/current/events`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function subscribe(on: number, token: string, thread: string, clientId: string): Promise<string> {
  const response = await replica(on).post(
    '/api/subscriptions/firestore',
    { path: threadPath(thread), client_id: clientId },
    bearer(token),
  );
  expect(response.status).toBe(200);
  return ((await response.json()) as { subscription_id: string }).subscription_id;
}

const change = (id: string, docId: string) => (event: SseEvent) =>
  event.event === 'subscription/event' &&
  event.json.params?.subscription_id === id &&
  event.json.params?.doc_id === docId;

test('POST on A, stream on B: frames arrive; DELETE on B stops the listener on A', async () => {
  const token = await replica(A).login('ann');
  const events = await replica(B).connected(token);
  await emulator.db.doc(`${threadPath('c-1')}/before`).set({ n: 1 });
  const id = await subscribe(A, token, 'c-1', events.clientId);
  await events.waitFor(change(id, 'before'));
  await emulator.db.doc(`${threadPath('c-1')}/after`).set({ n: 2 });
  await events.waitFor(change(id, 'after'));
  await expect.poll(() => emulator.listeners()).toBe(1);

  const foreign = await fetch(`${replica(B).url}/api/subscriptions/${id}`, {
    method: 'DELETE',
    headers: bearer(await replica(B).login('bob')),
  });
  expect(foreign.status).toBe(403);

  const response = await fetch(`${replica(B).url}/api/subscriptions/${id}`, {
    method: 'DELETE',
    headers: bearer(token),
  });
  expect(response.status).toBe(204);
  await expect.poll(() => emulator.listeners()).toBe(0);
  const seen = events.events.length;
  await emulator.db.doc(`${threadPath('c-1')}/late`).set({ n: 3 });
  await sleep(300);
  expect(events.events.slice(seen).filter((event) => event.event === 'subscription/event')).toEqual([]);
  events.close();
});

test('a client that left through B: its subscription on A stops after the resume window', async () => {
  const token = await replica(A).login('cleo');
  const events = await replica(B).connected(token);
  await subscribe(A, token, 'c-2', events.clientId);
  await expect.poll(() => emulator.listeners()).toBe(1);
  events.close();
  await expect.poll(() => emulator.listeners(), { timeout: 8000, interval: 100 }).toBe(0);
});
