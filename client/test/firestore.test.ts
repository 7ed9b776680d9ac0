/**
 * subscribeFirestore against a live gateway with Firestore on (the in-process emulator): the existing
 * documents, then changes, fold into the subscription's live document map; close() stops it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FirestoreEmulator, startFirestoreEmulator } from '../../test/support/firestoreEmulator.ts';
import { type Stack, startStack } from '../../test/support/stack.ts';
import {
  type DocumentChange,
  GatewayClient,
  GatewayHttpError,
  type SubscriptionFault,
} from '../src/index.ts';
import { waitUntil } from './support/waitUntil.ts';

let emulator: FirestoreEmulator;
let stack: Stack;
let client: GatewayClient;

beforeAll(async () => {
  emulator = await startFirestoreEmulator();
  stack = await startStack({
    FIRESTORE_EMULATOR_HOST: emulator.host,
    GATEWAY_FIRESTORE_PROJECT_ID: emulator.projectId,
  });
  client = new GatewayClient({ baseUrl: stack.url });
  await client.login('valid-kim');
});
afterAll(async () => {
  client?.close();
  await stack?.stop();
  await emulator?.stop();
});

test('the document map follows the collection: existing, added, modified, removed', async () => {
  const events = emulator.db.collection('chat_threads/thread-client-1/trip/current/events');
  await events.doc('flight').set({ title: 'Flight to Lisbon', start_at: '2026-05-01T09:00:00Z' });

  const subscription = await client.subscribeFirestore('chat_threads/thread-client-1/trip/current/events');
  const changes: DocumentChange[] = [];
  subscription.onChange((change) => changes.push(change));
  await waitUntil(() => subscription.documents.has('flight'), { what: 'the existing document' });
  expect(subscription.documents.get('flight')).toMatchObject({ title: 'Flight to Lisbon' });

  await events.doc('hotel').set({ title: 'Hotel', nights: 3 });
  await waitUntil(() => subscription.documents.has('hotel'), { what: 'the added document' });
  await events.doc('hotel').update({ nights: 4 });
  await waitUntil(() => (subscription.documents.get('hotel') as { nights?: number }).nights === 4, {
    what: 'the modified document',
  });
  await events.doc('flight').delete();
  await waitUntil(() => !subscription.documents.has('flight'), { what: 'the removed document' });
  expect([...subscription.documents.keys()]).toEqual(['hotel']);
  expect(changes.map((change) => `${change.op}:${change.docId}`)).toEqual(
    expect.arrayContaining(['added:hotel', 'modified:hotel', 'removed:flight']),
  );

  await subscription.close();
  await events.doc('late').set({ title: 'after close' });
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(subscription.documents.has('late')).toBe(false);
});

test('a path no template allows is a GatewayHttpError 400', async () => {
  const error = await client.subscribeFirestore('users/alice/private').catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(GatewayHttpError);
  expect((error as GatewayHttpError).status).toBe(400);
});

test('a listener fault reaches the subscription as onError, and the client keeps working', async () => {
  const lost = await startFirestoreEmulator('demo-gateway-client-lost');
  const target = await startStack({
    FIRESTORE_EMULATOR_HOST: lost.host,
    GATEWAY_FIRESTORE_PROJECT_ID: lost.projectId,
    GATEWAY_FIRESTORE_PROBE_INTERVAL_SECS: '0.2',
    GATEWAY_FIRESTORE_TIMEOUT_SECS: '1',
  });
  const other = new GatewayClient({ baseUrl: target.url });
  try {
    await other.login('valid-lea');
    const subscription = await other.subscribeFirestore('chat_threads/thread-lost/trip/current/events');
    const faults: SubscriptionFault[] = [];
    subscription.onError((fault) => faults.push(fault));

    await lost.stop();
    await waitUntil(() => faults.length > 0, { timeoutMs: 10_000, what: 'a subscription fault' });
    expect(faults[0]).toMatchObject({ reason: 'backend_unreachable', retrying: true });
    expect(faults[0]?.error.code).toBe(-32010);
    expect(other.status).toBe('open');
    await subscription.close();
  } finally {
    other.close();
    await target.stop();
    await lost.stop();
  }
}, 30_000);
