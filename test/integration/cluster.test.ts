import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Cluster, startCluster } from '../support/cluster.ts';
import type { SseTestClient } from '../support/sseClient.ts';

let cluster: Cluster;
let nats: NatsConnection;
beforeAll(async () => {
  cluster = await startCluster(3, { NATS_UPDATES_SUBJECT_PREFIX: 'noetl.events' });
  nats = await connect({ servers: cluster.nats.url });
}, 60_000);
afterAll(async () => {
  await nats?.close();
  await cluster?.stop();
});

const [A, B, C] = [0, 1, 2];
const replica = (i: number) => cluster.replicas[i]!;
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('sessions and auth callbacks across replicas', () => {
  test('login on A, validate on B', async () => {
    const token = await replica(A).login('ann');
    const response = await replica(B).post('/api/auth/validate', { session_token: token });
    expect(await response.json()).toMatchObject({ valid: true, user: { email: 'ann@example.com' } });
  });

  test('the auth waiter on A is resolved by a callback posted to B', async () => {
    cluster.noetl.options.gatewayUrl = replica(B).url; // the playbook calls back through another replica
    try {
      const token = await replica(A).login('bea');
      expect(token).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      cluster.noetl.options.gatewayUrl = replica(A).url;
    }
  });

  test('the auth waiter on A is resolved by a result published on NATS', async () => {
    const pending = replica(A).post('/api/auth/login', { auth0_token: 'never' });
    await expect
      .poll(() => cluster.noetl.executeBodies().find((body) => body.workload.auth0_token === 'never'))
      .toBeTruthy();
    const workload = cluster.noetl
      .executeBodies()
      .findLast((body) => body.workload.auth0_token === 'never')!.workload;
    const session = cluster.noetl.mintSession({ email: 'nats@example.com' });
    nats.publish(
      String(workload.callback_subject),
      cluster.noetl.loginCallback(workload.request_id, session),
    );
    const response = await pending;
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ session_token: session.token });
  });
});

describe('frames across replicas', () => {
  test('execute on A with the client on B, callback posted to C: the frames reach the client on B', async () => {
    const token = await replica(A).login('cid');
    const events = await replica(B).connected(token);
    const executed = await replica(A).post(
      '/api/playbooks/execute',
      { path: 'demo/hello', client_id: events.clientId },
      bearer(token),
    );
    const { request_id, execution_id } = (await executed.json()) as {
      request_id: string;
      execution_id: string;
    };
    const callback = await replica(C).post('/api/internal/callback/async', {
      request_id,
      data: { where: 'C' },
    });
    expect(callback.status).toBe(200);
    expect(await callback.json()).toEqual({ status: 'delivered' });
    const result = await events.waitForEvent('playbook/result');
    expect(result.json.params).toMatchObject({
      requestId: request_id,
      executionId: execution_id,
      data: { where: 'C' },
    });
    events.close();
  });

  test('another session cannot claim a client id on another replica', async () => {
    const owner = await replica(A).login('own');
    const thief = await replica(A).login('thief');
    const events = await replica(B).connected(owner);
    const stolen = await replica(C).events(thief, { client_id: events.clientId });
    expect(stolen.response.status).toBe(403);
    events.close();
  });

  test('a client moving from B to C with Last-Event-ID gets every missed frame once, in order', async () => {
    const token = await replica(A).login('mover');
    const onB = await replica(B).connected(token);
    const executed = await replica(A).post(
      '/api/playbooks/execute',
      { path: 'demo/hello', client_id: onB.clientId },
      bearer(token),
    );
    const { request_id } = (await executed.json()) as { request_id: string };
    await replica(C).post('/api/internal/progress', { request_id, message: 'one' });
    await onB.waitFor((event) => event.json.params?.message === 'one');
    const lastEventId = onB.lastEventId!;
    onB.close();
    await expect
      .poll(
        async () =>
          (await replica(C).post('/api/internal/progress', { request_id, message: 'probe' })).status,
      )
      .toBe(200);
    for (const message of ['two', 'three'])
      await replica(A).post('/api/internal/progress', { request_id, message });
    const callback = await replica(B).post('/api/internal/callback/async', { request_id, data: 'done' });
    expect([200, 202]).toContain(callback.status);

    const onC = await replica(C).connected(token, {}, { 'last-event-id': lastEventId });
    await onC.waitForEvent('playbook/result');
    await new Promise((resolve) => setTimeout(resolve, 200));
    const routed = onC.events.filter((event) => event.event !== 'message' && event.event !== 'ping');
    expect(routed.map((event) => event.json.params?.message ?? event.event)).toEqual([
      'probe',
      'two',
      'three',
      'playbook/state',
      'playbook/result',
    ]);
    const seqs = routed.map((event) => Number(event.id!.split(':')[1]));
    expect([...seqs].sort((a, b) => a - b)).toEqual(seqs);
    onC.close();
  });
});

describe('lifecycle events from NATS', () => {
  async function subscribed(on: number, executionId: string): Promise<SseTestClient> {
    // Started elsewhere: NoETL knows it, and check-access lets the caller view it.
    cluster.noetl.executions.set(executionId, { path: 'demo/elsewhere', workload: {}, status: 'RUNNING' });
    const token = await replica(A).login(`life${Math.random().toString(36).slice(2, 8)}`);
    const events = await replica(on).connected(token);
    const response = await replica(A).post(
      '/api/executions/subscribe',
      { execution_id: executionId, client_id: events.clientId },
      bearer(token),
    );
    expect(await response.json()).toEqual({
      execution_id: executionId,
      client_id: events.clientId,
      subscribed: true,
    });
    return events;
  }

  test('Python layout, numeric snowflake id beyond 2^53, routed once across 3 replicas', async () => {
    const id = '636124154944553085';
    const events = await subscribed(B, id);
    nats.publish(
      `noetl.events.default.default.${id}.0`,
      `{"execution_id": ${id}, "event_type": "step.exit", "node_name": "fetch", "status": "COMPLETED"}`,
    );
    const state = await events.waitForEvent('playbook/state');
    expect(state.json.params).toMatchObject({
      execution_id: id,
      event_type: 'step.exit',
      step_name: 'fetch',
      status: 'COMPLETED',
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events.events.filter((event) => event.event === 'playbook/state')).toHaveLength(1);
    events.close();
  });

  test('Rust layout (id only in the payload) and the terminal state once', async () => {
    const events = await subscribed(C, '42');
    nats.publish(
      'noetl.events.playbook.completed',
      '{"execution_id": 42, "event_type": "playbook.completed"}',
    );
    nats.publish(
      'noetl.events.playbook.completed',
      '{"execution_id": "42", "event_type": "playbook.completed"}',
    );
    const state = await events.waitForEvent('playbook/state');
    expect(state.json.params).toMatchObject({ execution_id: '42', status: 'completed', step_name: null });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(events.events.filter((event) => event.event === 'playbook/state')).toHaveLength(1);
    events.close();
  });

  test('filtered and malformed events are dropped and counted; the bridge keeps working', async () => {
    const events = await subscribed(A, 'exec-7');
    nats.publish('noetl.events.t.o.exec-7.0', '{"event_type": "step.started"}');
    nats.publish('noetl.events.t.o.exec-7.0', 'not json at all');
    nats.publish('noetl.events.t.o.exec-7.0', '{"event_type": "calendar.event.touched"}');
    const state = await events.waitForEvent('playbook/state');
    expect(state.json.params).toMatchObject({
      execution_id: 'exec-7',
      event_type: 'calendar.event.touched',
      status: 'running',
    });
    const metrics = (
      await Promise.all(cluster.replicas.map(async (r) => (await fetch(`${r.url}/metrics`)).text()))
    ).join('\n');
    expect(metrics).toMatch(/noetl_gateway_lifecycle_events_total\{outcome="malformed"\} 1/);
    expect(metrics).toMatch(/noetl_gateway_lifecycle_events_total\{outcome="filtered"\} [1-9]/);
    events.close();
  });

  test('clients that started the execution get its lifecycle frames too', async () => {
    const token = await replica(A).login('starter');
    const events = await replica(B).connected(token);
    const executed = await replica(A).post(
      '/api/playbooks/execute',
      { path: 'demo/hello', client_id: events.clientId },
      bearer(token),
    );
    const { execution_id } = (await executed.json()) as { execution_id: string };
    nats.publish(`noetl.events.t.o.${execution_id}.1`, '{"event_type": "step.exit", "step_name": "render"}');
    const state = await events.waitForEvent('playbook/state');
    expect(state.json.params).toMatchObject({ execution_id, step_name: 'render' });
    events.close();
  });
});
