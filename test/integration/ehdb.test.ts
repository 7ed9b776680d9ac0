/**
 * The v3.x backends over their protocol doubles: sessions and pending requests on EHDB's KV face
 * (NOETL_KV_ADDR), lifecycle events from EHDB's event feed (NOETL_EVENT_FEED_ADDR), no NATS.
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { EhdbKvDouble } from '../support/ehdbKvDouble.ts';
import { EventFeedDouble } from '../support/eventFeedDouble.ts';
import type { SseTestClient } from '../support/sseClient.ts';
import { type Stack, startStack } from '../support/stack.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function connected(stack: Stack, token: string): Promise<SseTestClient> {
  const events = await stack.events(token);
  await events.waitForEvent('message');
  return events;
}

async function execute(stack: Stack, token: string, clientId: string, path = 'demo/hello') {
  const response = await stack.post('/api/playbooks/execute', { path, client_id: clientId }, bearer(token));
  expect(response.status).toBe(200);
  return (await response.json()) as { request_id: string; execution_id: string };
}

const states = (events: SseTestClient) => events.events.filter((event) => event.event === 'playbook/state');

describe('sessions and pending requests on the EHDB KV face', () => {
  let kv: EhdbKvDouble;
  let feed: EventFeedDouble;
  let stack: Stack;
  beforeAll(async () => {
    kv = await EhdbKvDouble.start();
    feed = await EventFeedDouble.start();
    stack = await startStack({ NOETL_KV_ADDR: kv.address, NOETL_EVENT_FEED_ADDR: feed.address });
  });
  afterAll(async () => {
    await stack.stop();
    await kv.stop();
    await feed.stop();
  });

  test('login writes the session to `sessions` with the per-key TTL, in the reference’s document shape', async () => {
    const token = await stack.login('ann');
    const stored = JSON.parse(kv.get('sessions', token)!);
    expect(stored).toEqual({
      session_token: token,
      user_id: expect.any(Number),
      email: 'ann@example.com',
      display_name: 'ann',
      expires_at: expect.any(String),
      is_active: true,
      roles: ['developer'],
    });
    expect(kv.requestsOf('Put').find((put) => put.key === token)).toMatchObject({
      bucket: 'sessions',
      ttl_ms: 300_000,
    });
  });

  test('a session another writer put in the KV (the login playbook) validates without asking NoETL', async () => {
    const token = 'f'.repeat(32);
    kv.put(
      'sessions',
      token,
      JSON.stringify({
        session_token: token,
        user_id: 77,
        email: 'pb@example.com',
        display_name: 'Playbook Writer',
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        is_active: true,
      }),
      300_000,
    );
    const validations = stack.noetl.executeBodies().length;
    const response = await stack.post('/api/auth/validate', { session_token: token });
    expect(await response.json()).toMatchObject({
      valid: true,
      user: { user_id: 77, email: 'pb@example.com', roles: [] },
    });
    expect(stack.noetl.executeBodies()).toHaveLength(validations);
    expect(stack.noetl.requestsTo('/api/auth/session/validate')).toHaveLength(0);
  });

  test('execute → callback → frames: the request lives in `requests` until its result is delivered', async () => {
    const token = await stack.login('bob');
    const events = await connected(stack, token);
    const { request_id, execution_id } = await execute(stack, token, events.clientId);
    expect(JSON.parse(kv.get('requests', request_id)!)).toEqual({
      client_id: events.clientId,
      session_token: token,
      execution_id,
      playbook_path: 'demo/hello',
      created_at: expect.any(Number),
    });
    expect(kv.ttlOf('requests', request_id)).toBe(1_800_000);

    const progress = await stack.post('/api/internal/progress', {
      request_id,
      message: 'half',
      progress: 50,
    });
    expect(progress.status).toBe(200);
    const callback = await stack.post('/api/internal/callback/async', {
      request_id,
      status: 'COMPLETED',
      data: { summary: 'done' },
    });
    expect(callback.status).toBe(200);
    expect(await callback.json()).toEqual({ status: 'delivered' });
    await events.waitForEvent('playbook/progress');
    const state = await events.waitForEvent('playbook/state');
    const result = await events.waitForEvent('playbook/result');
    expect(state.json.params).toMatchObject({ execution_id, status: 'completed' });
    expect(result.json.params).toMatchObject({ requestId: request_id, data: { summary: 'done' } });
    await expect.poll(() => kv.get('requests', request_id)).toBeNull();
    const unknown = await stack.post('/api/internal/callback/async', { request_id, data: 'again' });
    expect(unknown.status).toBe(404);
    events.close();
  });

  test('one connection, pipelined: 40 executes at once share it', async () => {
    const token = await stack.login('many');
    const events = await connected(stack, token);
    const before = kv.requests.length;
    kv.maxOutstanding = 0;
    kv.answerDelayMs = 5;
    const started = await Promise.all(
      Array.from({ length: 40 }, () => execute(stack, token, events.clientId, 'demo/many')),
    ).finally(() => {
      kv.answerDelayMs = 0;
    });
    // Requests were written while earlier ones still awaited their answers.
    expect(kv.maxOutstanding).toBeGreaterThan(1);
    expect(new Set(started.map((s) => s.request_id)).size).toBe(40);
    expect(kv.requests.length - before).toBeGreaterThanOrEqual(40);
    expect(kv.connections).toBe(1);
    for (const { request_id } of started) expect(kv.get('requests', request_id)).not.toBeNull();
    events.close();
  });

  test('a store failure (`ok: false`) is 503, never "Request not found"', async () => {
    const token = await stack.login('fail');
    const events = await connected(stack, token);
    const { request_id } = await execute(stack, token, events.clientId);
    kv.failing.add('Get');
    try {
      // A replica that did not save the request must read it: this one kept no copy (no NATS).
      const callback = await stack.post('/api/internal/callback/async', { request_id, data: 1 });
      expect(callback.status).toBe(503);
      expect(callback.headers.get('retry-after')).toBeTruthy();
      expect(await callback.json()).toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    } finally {
      kv.failing.delete('Get');
    }
    const retried = await stack.post('/api/internal/callback/async', { request_id, data: 1 });
    expect(retried.status).toBe(200);
    events.close();
  });

  test('/ready and the runtime contract name the backends', async () => {
    const ready = await fetch(`${stack.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ready: true,
      backends: { store: 'ehdb', lifecycle: 'ehdb_feed', bus: 'embedded' },
      checks: {
        kv: { ok: true, detail: 'connected; KV answers' },
        event_feed: { ok: true, detail: expect.stringMatching(/^connected; cursor \d+$/) },
      },
    });
    const contract = await (await fetch(`${stack.url}/api/runtime/contract`)).json();
    expect(contract.backends).toEqual({ store: 'ehdb', lifecycle: 'ehdb_feed', bus: 'embedded' });
  });
});

describe('the KV face down and back', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setUp(env: Record<string, string> = {}) {
    const kv = await EhdbKvDouble.start();
    cleanup.push(() => kv.stop());
    const stack = await startStack({ NOETL_KV_ADDR: kv.address, GATEWAY_EHDB_KV_TIMEOUT_MS: '500', ...env });
    cleanup.push(() => stack.stop());
    return { kv, stack };
  }

  test('503 while the KV is down (not ready, naming NOETL_KV_ADDR), everything works again when it is back', async () => {
    const { kv, stack } = await setUp();
    const token = await stack.login('dora');
    const events = await connected(stack, token);
    const { request_id } = await execute(stack, token, events.clientId);

    await kv.stop();
    await expect.poll(async () => (await fetch(`${stack.url}/ready`)).status).toBe(503);
    expect(await (await fetch(`${stack.url}/ready`)).json()).toMatchObject({
      ready: false,
      reason: 'kv (NOETL_KV_ADDR): disconnected',
      checks: { kv: { ok: false, detail: 'disconnected' } },
    });
    const refused = await stack.post(
      '/api/playbooks/execute',
      { path: 'demo/down', client_id: events.clientId },
      bearer(token),
    );
    expect(refused.status).toBe(503);
    const callback = await stack.post('/api/internal/callback/async', { request_id, data: 'while down' });
    expect(callback.status).toBe(503);
    expect(callback.headers.get('retry-after')).toBeTruthy();
    // The session cache is best effort: login still works (NoETL is the source of truth).
    expect((await stack.post('/api/auth/login', { auth0_token: 'valid-downer' })).status).toBe(200);
    expect(events.ended).toBe(false);

    await kv.start();
    await expect.poll(async () => (await fetch(`${stack.url}/ready`)).status, { timeout: 10_000 }).toBe(200);
    const delivered = await stack.post('/api/internal/callback/async', { request_id, data: 'after' });
    expect(delivered.status).toBe(200);
    const result = await events.waitForEvent('playbook/result');
    expect(result.json.params).toMatchObject({ requestId: request_id, data: 'after' });
    const again = await execute(stack, token, events.clientId);
    expect(kv.get('requests', again.request_id)).not.toBeNull();
    events.close();
  }, 30_000);

  test('a failed write is logged without the key it names (a session token)', async () => {
    const lines: string[] = [];
    const kv = await EhdbKvDouble.start();
    cleanup.push(() => kv.stop());
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const stack = await startStack({ NOETL_KV_ADDR: kv.address }, {}, pino({ level: 'info' }, sink));
    cleanup.push(() => stack.stop());
    kv.failing.add('Put');
    const token = await stack.login('quiet');
    await expect.poll(() => lines.join('')).toContain('writing the session cache failed');
    const text = lines.join('');
    expect(text).toContain('injected Put failure for key ***');
    expect(text).not.toContain(token);
  });

  test('KV down at start: the gateway starts not ready and connects when the KV appears', async () => {
    const kv = await EhdbKvDouble.start();
    await kv.stop();
    cleanup.push(() => kv.stop());
    const stack = await startStack({ NOETL_KV_ADDR: kv.address });
    cleanup.push(() => stack.stop());
    expect((await fetch(`${stack.url}/health`)).status).toBe(200);
    expect((await fetch(`${stack.url}/ready`)).status).toBe(503);
    await kv.start();
    await expect.poll(async () => (await fetch(`${stack.url}/ready`)).status, { timeout: 10_000 }).toBe(200);
    const token = await stack.login('late');
    expect(kv.get('sessions', token)).not.toBeNull();
  }, 30_000);

  test('a KV that stops answering: each call gives up at its deadline (503), the next connection works', async () => {
    const { kv, stack } = await setUp();
    const token = await stack.login('slow');
    const events = await connected(stack, token);
    kv.silent = true;
    const refused = await stack.post(
      '/api/playbooks/execute',
      { path: 'demo/silent', client_id: events.clientId },
      bearer(token),
    );
    expect(refused.status).toBe(503);
    kv.silent = false;
    await expect
      .poll(
        async () =>
          (
            await stack.post(
              '/api/playbooks/execute',
              { path: 'demo/back', client_id: events.clientId },
              bearer(token),
            )
          ).status,
        { timeout: 10_000 },
      )
      .toBe(200);
    events.close();
  }, 30_000);
});

describe('lifecycle events from the EHDB event feed', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setUp(
    options: ConstructorParameters<typeof EventFeedDouble>[0] = {},
    kvShared?: EhdbKvDouble,
  ) {
    const feed = await EventFeedDouble.start(options);
    cleanup.push(() => feed.stop());
    const kv = kvShared ?? (await EhdbKvDouble.start());
    if (!kvShared) cleanup.push(() => kv.stop());
    const stack = await startStack(
      { NOETL_KV_ADDR: kv.address, NOETL_EVENT_FEED_ADDR: feed.address },
      { numericExecutionIds: true },
    );
    cleanup.push(() => stack.stop());
    await expect.poll(() => feed.openStreams).toBe(1);
    return { feed, kv, stack };
  }

  /** A client that started an execution (and so watches it). */
  async function watching(stack: Stack, name: string) {
    const token = await stack.login(name);
    const events = await connected(stack, token);
    const { execution_id } = await execute(stack, token, events.clientId);
    return { events, executionId: execution_id };
  }

  test('a snowflake id sent as a JSON number beyond 2^53, payload as a JSON string: the same frame as from NATS', async () => {
    const { feed, stack } = await setUp();
    const { events, executionId } = await watching(stack, 'feed1');
    expect(BigInt(executionId)).toBeGreaterThan(2n ** 53n);
    feed.publish(
      `{"event_type":"step.exit","execution_id":${executionId},"node_name":"fetch","status":"COMPLETED","created_at":"2026-05-27 15:00:00.123456+00:00"}`,
    );
    const state = await events.waitForEvent('playbook/state');
    expect(state.json).toEqual({
      jsonrpc: '2.0',
      method: 'playbook/state',
      params: {
        at: '2026-05-27 15:00:00.123456+00:00',
        event_type: 'step.exit',
        execution_id: executionId,
        status: 'COMPLETED',
        step_name: 'fetch',
      },
    });
    events.close();
  });

  test('payload as an object with a string id; filtered and malformed records skipped and counted', async () => {
    const { feed, stack } = await setUp();
    const { events, executionId } = await watching(stack, 'feed2');
    feed.publishRaw('not json at all');
    feed.publishRaw('{"global_sequence": 99}');
    feed.publish({ event_type: 'step.started', execution_id: executionId });
    feed.publish({ event_type: 'playbook.completed', execution_id: executionId }, { asObject: true });
    const state = await events.waitForEvent('playbook/state');
    expect(state.json.params).toMatchObject({
      execution_id: executionId,
      event_type: 'playbook.completed',
      status: 'completed',
      step_name: null,
    });
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/noetl_gateway_lifecycle_events_total\{outcome="malformed"\} 2/);
    expect(metrics).toMatch(/noetl_gateway_lifecycle_events_total\{outcome="filtered"\} 1/);
    expect(metrics).toMatch(/noetl_gateway_lifecycle_events_total\{outcome="forwarded"\} 1/);
    events.close();
  });

  test('no subject fallback: an event without an execution id is dropped', async () => {
    const { feed, stack } = await setUp();
    const { events, executionId } = await watching(stack, 'feed3');
    feed.publish({ event_type: 'step.exit', step_name: 'orphan' });
    feed.publish({ event_type: 'step.exit', step_name: 'mine', execution_id: executionId });
    const state = await events.waitForEvent('playbook/state');
    expect(state.json.params).toMatchObject({ step_name: 'mine' });
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/noetl_gateway_lifecycle_events_total\{outcome="no_execution_id"\} 1/);
    events.close();
  });

  test('a feed that drops the connection every 2 records: resumed from the cursor, nothing lost, nothing twice', async () => {
    const { feed, stack } = await setUp({ chunkBytes: 7 });
    const { events, executionId } = await watching(stack, 'drops');
    feed.dropEvery(2);
    feed.dropConnections();
    const steps = Array.from({ length: 7 }, (_, i) => `step${i + 1}`);
    for (const step of steps.slice(0, 4))
      feed.publish({ event_type: 'step.exit', step_name: step, execution_id: executionId });
    await expect.poll(() => states(events).length, { timeout: 10_000 }).toBe(4);
    // Published while no connection is open: read on the next one.
    feed.dropConnections();
    for (const step of steps.slice(4))
      feed.publish({ event_type: 'step.exit', step_name: step, execution_id: executionId });
    await expect.poll(() => states(events).length, { timeout: 10_000 }).toBe(7);
    // The connection after the last cut (cursor 6) delivered record 7 and stays open: nothing else comes.
    await expect.poll(() => feed.requests.at(-1)?.cursor, { timeout: 10_000 }).toBe('6');
    await expect.poll(() => feed.openStreams, { timeout: 10_000 }).toBe(1);
    expect(states(events).map((event) => event.json.params?.step_name)).toEqual(steps);
    // Each reconnect asked for the records after the last id handled, in the query and in Last-Event-ID.
    const cursors = feed.requests.map((request) => Number(request.cursor));
    expect(cursors[0]).toBe(0);
    expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
    expect(cursors).toEqual(expect.arrayContaining([2, 4, 6]));
    for (const request of feed.requests) expect(request.lastEventId).toBe(request.cursor);
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toMatch(/noetl_gateway_event_feed_reconnect_total\{reason="error"\} [1-9]/);
    events.close();
  }, 30_000);

  test('a feed that also resends the record at the cursor: the repeat is skipped', async () => {
    const { feed, stack } = await setUp({ inclusiveCursor: true });
    const { events, executionId } = await watching(stack, 'incl');
    // Each connection resends the record at its cursor, then one new record, and is cut.
    feed.dropEvery(2);
    feed.dropConnections();
    for (const step of ['a', 'b', 'c'])
      feed.publish({ event_type: 'step.exit', step_name: step, execution_id: executionId });
    await expect.poll(() => states(events).length, { timeout: 10_000 }).toBe(3);
    await expect.poll(() => feed.requests.at(-1)?.cursor, { timeout: 10_000 }).toBe('3');
    expect(feed.requests.map((request) => request.cursor)).toEqual(expect.arrayContaining(['2', '3']));
    expect(states(events).map((event) => event.json.params?.step_name)).toEqual(['a', 'b', 'c']);
    events.close();
  }, 30_000);

  test('a restarted gateway resumes from the stored cursor instead of re-reading the feed', async () => {
    const kv = await EhdbKvDouble.start();
    cleanup.push(() => kv.stop());
    const feed = await EventFeedDouble.start();
    cleanup.push(() => feed.stop());
    const env = { NOETL_KV_ADDR: kv.address, NOETL_EVENT_FEED_ADDR: feed.address };
    const first = await startStack(env, { numericExecutionIds: true });
    const { events, executionId } = await watching(first, 'cursor');
    for (const step of ['x', 'y', 'z'])
      feed.publish({ event_type: 'step.exit', step_name: step, execution_id: executionId });
    await expect.poll(() => states(events).length).toBe(3);
    events.close();
    await first.stop();
    expect(kv.get('gateway_event_feed', 'cursor.0')).toBe('3');

    const second = await startStack(env);
    cleanup.push(() => second.stop());
    await expect.poll(() => feed.requests.length).toBe(2);
    expect(feed.requests[1]).toEqual({ cursor: '3', lastEventId: '3', shard: '0' });
  }, 30_000);
});
