/**
 * subscribeToExecution from the client's side, against a live gateway: the round trip, and lifecycle
 * frames coming from a real nats-server (the gateway in distributed mode). Firestore: firestore.test.ts.
 */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { NatsServer } from '../../test/support/natsServer.ts';
import { type Stack, startStack } from '../../test/support/stack.ts';
import { GatewayClient, PlaybookFailedError, type PlaybookStateParams } from '../src/index.ts';

describe('subscribeToExecution', () => {
  let stack: Stack;
  let client: GatewayClient;
  beforeAll(async () => {
    stack = await startStack();
    client = new GatewayClient({ baseUrl: stack.url });
    await client.login('valid-hal');
    // Started elsewhere (e.g. /noetl/execute): NoETL knows it, and check-access lets the caller view it.
    stack.noetl.executions.set('635758340626199999', {
      path: 'demo/elsewhere',
      workload: {},
      status: 'RUNNING',
    });
  });
  afterAll(async () => {
    client.close();
    await stack.stop();
  });

  test('subscribes this client to an execution it did not start, and unsubscribes on close()', async () => {
    const subscription = await client.subscribeToExecution('635758340626199999');
    expect(subscription.executionId).toBe('635758340626199999');
    expect(subscription.clientId).toBe(client.clientId);
    await subscription.close();
    await subscription.close(); // idempotent: one unsubscribe call
  });

  test('a client id of another session is refused (403)', async () => {
    const other = new GatewayClient({ baseUrl: stack.url });
    await other.login('valid-ida');
    const { clientId } = await other.connect();
    const { response, error } = await client.rest.POST('/api/executions/subscribe', {
      body: { execution_id: '1', client_id: clientId },
    });
    expect(response.status).toBe(403);
    expect(error).toMatchObject({ error: expect.any(String) });
    other.close();
  });
});

describe('subscribeToExecution with lifecycle events from NATS', () => {
  let nats: NatsServer;
  let stack: Stack;
  let bus: NatsConnection;
  let client: GatewayClient;
  beforeAll(async () => {
    nats = await NatsServer.start();
    // The production subject layout of the NoETL server (the default prefix is the legacy one).
    stack = await startStack({ NATS_URL: nats.url, NATS_UPDATES_SUBJECT_PREFIX: 'noetl.events.' });
    bus = await connect({ servers: nats.url });
    client = new GatewayClient({ baseUrl: stack.url });
    await client.login('valid-jon');
    // Started elsewhere: NoETL knows them, and check-access lets the caller view them.
    for (const id of ['636124154944553085', 'exec-failing-1'])
      stack.noetl.executions.set(id, { path: 'demo/elsewhere', workload: {}, status: 'RUNNING' });
  });
  afterAll(async () => {
    client.close();
    await bus.close();
    await stack.stop();
    await nats.close();
  });

  /** What the NoETL server publishes (the Python layout: tenant, org, execution id, shard). */
  const publish = (executionId: string, event: Record<string, unknown>) =>
    bus.publish(
      `noetl.events.default.default.${executionId}.0`,
      JSON.stringify({ execution_id: executionId, ...event }),
    );

  test('an execution started elsewhere: its states arrive, done() resolves on playbook.completed', async () => {
    const subscription = await client.subscribeToExecution('636124154944553085');
    const states: PlaybookStateParams[] = [];
    subscription.onState((state) => states.push(state));
    const done = subscription.done({ timeoutMs: 5000 });

    publish('636124154944553085', { event_type: 'step.exit', node_name: 'fetch', status: 'COMPLETED' });
    publish('636124154944553085', { event_type: 'playbook.completed', status: 'COMPLETED' });
    expect(await done).toMatchObject({
      execution_id: '636124154944553085',
      event_type: 'playbook.completed',
    });
    expect(states.map((state) => [state.event_type, state.step_name])).toEqual([
      ['step.exit', 'fetch'],
      ['playbook.completed', null],
    ]);

    await subscription.close();
    const after = client.onFrame('playbook/state', ({ params }) => states.push(params));
    publish('636124154944553085', { event_type: 'step.exit', node_name: 'late' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    after();
    expect(states).toHaveLength(2); // unsubscribed: nothing more
  });

  test('waitForExecution rejects when the subscribed execution fails', async () => {
    const subscription = await client.subscribeToExecution('exec-failing-1');
    const waiting = client
      .waitForExecution('exec-failing-1', { timeoutMs: 5000 })
      .catch((caught: unknown) => caught);
    publish('exec-failing-1', { event_type: 'playbook.failed', status: 'FAILED' });
    const error = await waiting;
    expect(error).toBeInstanceOf(PlaybookFailedError);
    expect(error).toMatchObject({ executionId: 'exec-failing-1' });
    await subscription.close();
  });
});
