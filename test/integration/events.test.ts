import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ GATEWAY_SSE_KEEPALIVE_SECS: '1' });
});
afterAll(() => stack.stop());

async function connected(
  token: string,
  query: Record<string, string> = {},
  headers: Record<string, string> = {},
) {
  const events = await stack.events(token, query, headers);
  await events.waitForEvent('message');
  return events;
}

async function execute(token: string, clientId: string, path = 'demo/hello') {
  const response = await stack.post(
    '/api/playbooks/execute',
    { path, workload: { q: 1 }, client_id: clientId },
    { authorization: `Bearer ${token}` },
  );
  expect(response.status).toBe(200);
  return (await response.json()) as { execution_id: string; request_id: string };
}

describe('GET /events', () => {
  test('init frame, retry hint, ping, ids that name the client', async () => {
    const token = await stack.login();
    const events = await connected(token);
    const init = events.events[0]!;
    expect(init.event).toBe('message');
    expect(init.json).toMatchObject({
      jsonrpc: '2.0',
      id: 1,
      result: {
        protocolVersion: '2024-11-05',
        serverInfo: { name: 'noetl-gateway', version: expect.any(String) },
        capabilities: { playbooks: true, callbacks: true, playbookState: true, subscriptions: false },
        clientId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        heartbeatIntervalMs: 30_000,
      },
    });
    expect(init.json.result?.pendingRequests).toBeUndefined();
    expect(init.id).toMatch(new RegExp(`^${events.clientId}:\\d+$`));
    expect(events.retry).toBe(3000);
    const ping = await events.waitForEvent('ping');
    expect(ping.json).toEqual({ jsonrpc: '2.0', method: 'ping', params: {} });
    expect(events.response.headers.get('content-type')).toBe('text/event-stream');
    events.close();
  });

  test('an invalid session gets one error frame and the stream ends', async () => {
    const events = await stack.events('0'.repeat(32));
    expect(events.response.status).toBe(200);
    await events.waitForEnd();
    expect(events.events.map((event) => [event.event, event.json])).toEqual([
      ['error', { jsonrpc: '2.0', error: { code: -32002, message: 'Invalid or expired session' } }],
    ]);
  });

  test('no token at all is 401 JSON', async () => {
    const response = await fetch(`${stack.url}/events`);
    expect(response.status).toBe(401);
  });

  test('a session minted outside the gateway (never cached) can open a stream', async () => {
    const session = stack.noetl.mintSession();
    const events = await connected(session.token);
    expect(events.clientId).toBeTruthy();
    events.close();
  });

  test('a bad client_id is 400', async () => {
    const token = await stack.login();
    const events = await stack.events(token, { client_id: 'has spaces!' });
    expect(events.response.status).toBe(400);
  });

  test('another session cannot claim a client_id: 403 on /events and on execute', async () => {
    const owner = await stack.login('owner');
    const thief = await stack.login('thief');
    const events = await connected(owner);
    const stolen = await stack.events(thief, { client_id: events.clientId });
    expect(stolen.response.status).toBe(403);
    expect(await stolen.response.json()).toMatchObject({ error: 'client_id belongs to another session' });
    const response = await stack.post(
      '/api/playbooks/execute',
      { path: 'demo/hello', client_id: events.clientId },
      { authorization: `Bearer ${thief}` },
    );
    expect(response.status).toBe(403);
    const resumed = await stack.events(thief, {}, { 'last-event-id': `${events.clientId}:0` });
    expect(resumed.response.status).toBe(403);
    events.close();
  });

  test('comment keep-alives when idle', async () => {
    const token = await stack.login();
    const events = await connected(token);
    await expect.poll(() => events.comments.includes('ping'), { timeout: 4000 }).toBe(true);
    events.close();
  });
});

describe('callbacks → frames', () => {
  test('callback/async: playbook/state then playbook/result, on the right client only', async () => {
    const token = await stack.login('ann');
    const mine = await connected(token);
    const other = await connected(await stack.login('bob'));
    const started = await execute(token, mine.clientId);
    const workload = stack.noetl.executeBodies().at(-1)!.workload;
    expect(workload).toEqual({ q: 1, request_id: started.request_id, gateway_url: stack.url });

    const callback = await stack.post('/api/internal/callback/async', {
      request_id: started.request_id,
      status: 'COMPLETED',
      data: { summary: 'done' },
    });
    expect(callback.status).toBe(200);
    expect(await callback.json()).toEqual({ status: 'delivered' });

    const state = await mine.waitForEvent('playbook/state');
    const result = await mine.waitForEvent('playbook/result');
    expect(mine.events.indexOf(state)).toBeLessThan(mine.events.indexOf(result));
    expect(state.json.params).toEqual({
      at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T[\d:.]+\+00:00$/),
      event_type: 'playbook.completed',
      execution_id: started.execution_id,
      status: 'completed',
      step_name: null,
    });
    expect(result.json).toEqual({
      jsonrpc: '2.0',
      method: 'playbook/result',
      params: {
        data: { summary: 'done' },
        executionId: started.execution_id,
        requestId: started.request_id,
        status: 'COMPLETED',
      },
    });
    expect(Number(result.id!.split(':')[1])).toBeGreaterThan(Number(state.id!.split(':')[1]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(other.events.filter((event) => event.event?.startsWith('playbook/'))).toEqual([]);

    // the request is answered: a second callback for it is 404
    const again = await stack.post('/api/internal/callback/async', { request_id: started.request_id });
    expect(again.status).toBe(404);
    mine.close();
    other.close();
  });

  test('a failed callback: failed state and the error form of the result', async () => {
    const token = await stack.login();
    const events = await connected(token);
    const started = await execute(token, events.clientId);
    await stack.post('/api/internal/callback/async', {
      request_id: started.request_id,
      execution_id: Number(started.execution_id.slice(0, 15)),
      error: { message: 'boom', data: { step: 'x' } },
      data: { ignored: true },
    });
    const state = await events.waitForEvent('playbook/state');
    expect(state.json.params).toMatchObject({
      event_type: 'playbook.failed',
      status: 'failed',
      execution_id: started.execution_id.slice(0, 15),
    });
    const result = await events.waitForEvent('playbook/result');
    expect(result.json.params).toEqual({
      error: { code: -32000, data: { step: 'x' }, message: 'boom' },
      executionId: started.execution_id.slice(0, 15),
      requestId: started.request_id,
      status: 'FAILED',
    });
    events.close();
  });

  test('progress frames; progress is a plain JSON number', async () => {
    const token = await stack.login();
    const events = await connected(token);
    const started = await execute(token, events.clientId);
    const response = await stack.post('/api/internal/progress', {
      request_id: started.request_id,
      step: 'fetch',
      message: 'Fetching',
      progress: 0.1,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'sent' });
    const progress = await events.waitForEvent('playbook/progress');
    expect(progress.data).toBe(
      `{"jsonrpc":"2.0","method":"playbook/progress","params":{"executionId":"${started.execution_id}","message":"Fetching","progress":0.1,"requestId":"${started.request_id}","step":"fetch"}}`,
    );
    events.close();
  });

  test('unknown request_id → 404 {"error":"Request not found"} for result and progress', async () => {
    for (const path of ['/api/internal/callback/async', '/api/internal/progress']) {
      const response = await stack.post(path, { request_id: 'no-such-request' });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: 'Request not found' });
    }
  });

  test('at most one terminal state frame per execution per client', async () => {
    const token = await stack.login();
    const events = await connected(token);
    const first = await execute(token, events.clientId);
    await stack.post('/api/internal/callback/async', {
      request_id: first.request_id,
      execution_id: 'exec-shared',
    });
    const second = await execute(token, events.clientId);
    await stack.post('/api/internal/callback/async', {
      request_id: second.request_id,
      execution_id: 'exec-shared',
    });
    await events.waitFor(
      (event) => event.event === 'playbook/result' && event.json.params?.requestId === second.request_id,
    );
    expect(events.events.filter((event) => event.event === 'playbook/state')).toHaveLength(1);
    events.close();
  });
});

describe('disconnect and resume', () => {
  test('a disconnected client: 202 queued, then the frames arrive after reconnect with Last-Event-ID', async () => {
    const token = await stack.login();
    const events = await connected(token);
    const started = await execute(token, events.clientId);
    const lastEventId = events.lastEventId!;
    const clientId = events.clientId;
    events.close();
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the server notice the closed stream

    const callback = await stack.post('/api/internal/callback/async', {
      request_id: started.request_id,
      data: { answer: 42 },
    });
    expect(callback.status).toBe(202);
    expect(await callback.json()).toEqual({ clientDisconnected: true, status: 'queued' });

    // A browser reconnects with the URL it first used (no client_id) and Last-Event-ID.
    const resumed = await connected(token, {}, { 'last-event-id': lastEventId });
    expect(resumed.clientId).toBe(clientId);
    const state = await resumed.waitForEvent('playbook/state');
    const result = await resumed.waitForEvent('playbook/result');
    expect(result.json.params).toMatchObject({ requestId: started.request_id, data: { answer: 42 } });
    expect(resumed.events.indexOf(state)).toBeLessThan(resumed.events.indexOf(result));
    resumed.close();
  });

  test('resuming with client_id only replays what was not delivered, once', async () => {
    const token = await stack.login();
    const events = await connected(token);
    const clientId = events.clientId;
    const started = await execute(token, clientId);
    await stack.post('/api/internal/progress', { request_id: started.request_id, message: 'seen' });
    await events.waitForEvent('playbook/progress');
    events.close();
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the server notice the closed stream
    await stack.post('/api/internal/progress', { request_id: started.request_id, message: 'probe' });
    await stack.post('/api/internal/callback/async', { request_id: started.request_id, data: 1 });
    const resumed = await connected(token, { client_id: clientId });
    await resumed.waitForEvent('playbook/result');
    const replayed = resumed.events.filter((event) => event.event === 'playbook/progress');
    expect(replayed.map((event) => event.json.params?.message)).toEqual(['probe']);
    resumed.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await connected(token, { client_id: clientId });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(again.events.filter((event) => event.event?.startsWith('playbook/'))).toEqual([]);
    again.close();
  });

  test('pendingRequests lists the open requests of a reconnecting client', async () => {
    const token = await stack.login();
    const events = await connected(token);
    const started = await execute(token, events.clientId);
    events.close();
    const again = await connected(token, { client_id: events.clientId });
    expect(again.events[0]!.json.result?.pendingRequests).toEqual([
      { executionId: started.execution_id, playbookPath: 'demo/hello', requestId: started.request_id },
    ]);
    again.close();
  });

  test('two streams of the same client: closing the old one does not unregister the new one', async () => {
    const token = await stack.login();
    const first = await connected(token);
    const second = await connected(token, { client_id: first.clientId });
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = await execute(token, first.clientId);
    const callback = await stack.post('/api/internal/callback/async', { request_id: started.request_id });
    expect(callback.status).toBe(200);
    await second.waitForEvent('playbook/result');
    second.close();
  });
});
