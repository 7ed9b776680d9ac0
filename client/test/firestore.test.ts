/**
 * subscribeFirestore against a live gateway with Firestore on (the in-process emulator): the existing
 * documents, then changes, fold into the subscription's live document map; close() stops it.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type FirestoreEmulator, startFirestoreEmulator } from '../../test/support/firestoreEmulator.ts';
import { type Stack, startStack } from '../../test/support/stack.ts';
import { type DocumentChange, GatewayClient, GatewayHttpError } from '../src/index.ts';
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
