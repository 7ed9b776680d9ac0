/**
 * Both reference generations' environments, copied unchanged, work: a v3.12.1 deployment (no NATS, EHDB
 * KV and feed, NOETL_INTERNAL_API_TOKEN set for push ingress) and a v2.11.x one (NATS_URL with credentials,
 * NATS_* buckets and prefixes). Then both generations' settings at once (EHDB for the store and the feed,
 * NATS between replicas), and what the settings mean when they meet.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Kvm } from '@nats-io/kv';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { type Replica, startReplica } from '../support/cluster.ts';
import { EhdbKvDouble } from '../support/ehdbKvDouble.ts';
import { EventFeedDouble } from '../support/eventFeedDouble.ts';
import { NatsServer } from '../support/natsServer.ts';
import { NoetlDouble } from '../support/noetlDouble.ts';
import type { SseTestClient } from '../support/sseClient.ts';
import { type Stack, startStack } from '../support/stack.ts';
import { until } from '../support/until.ts';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function logSink(lines: string[]) {
  return pino(
    { level: 'info' },
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
}

async function connected(stack: Pick<Stack, 'events'>, token: string): Promise<SseTestClient> {
  const events = await stack.events(token);
  await events.waitForEvent('message');
  return events;
}

describe('a v3.12.1 environment: no NATS, EHDB KV and feed, NOETL_INTERNAL_API_TOKEN set', () => {
  let kv: EhdbKvDouble;
  let feed: EventFeedDouble;
  let stack: Stack;
  const logs: string[] = [];
  beforeAll(async () => {
    kv = await EhdbKvDouble.start();
    feed = await EventFeedDouble.start();
    // As the reference's Deployment sets them (NOETL_EVENT_SOURCE and RUST_LOG are read by nothing here,
    // as NOETL_EVENT_SOURCE by nothing there). The NoETL double's playbooks call back without a bearer.
    stack = await startStack(
      {
        NOETL_KV_ADDR: kv.address,
        NOETL_EVENT_FEED_ADDR: feed.address,
        NOETL_EVENT_SOURCE: 'ehdb',
        NOETL_INTERNAL_API_TOKEN: 'v3-internal-token',
        NOETL_KV_SESSION_BUCKET: 'v3_sessions',
        NOETL_KV_SESSION_TTL_SECS: '600',
        NOETL_KV_REQUEST_BUCKET: 'v3_requests',
        NOETL_KV_REQUEST_TTL_SECS: '900',
        NOETL_KV_CALLBACK_ID_PREFIX: 'v3.callbacks',
        GATEWAY_SESSION_VALIDATE_VIA_PLAYBOOK: 'true',
        CORS_ALLOWED_ORIGINS: 'https://app.example.com',
        RUST_LOG: 'info',
      },
      {},
      logSink(logs),
    );
    await until(() => feed.openStreams === 1, 'the gateway reading the feed', 10_000);
  });
  afterAll(async () => {
    await stack.stop();
    await kv.stop();
    await feed.stop();
  });

  test('login → execute → callback without a bearer → result, and a lifecycle frame from the feed', async () => {
    const token = await stack.login('vera');
    expect(JSON.parse(kv.get('v3_sessions', token)!)).toMatchObject({ email: 'vera@example.com' });
    expect(kv.ttlOf('v3_sessions', token)).toBe(600_000);
    const loginWorkload = stack.noetl.executeBodies()[0]!.workload;
    expect(String(loginWorkload.callback_subject)).toBe(`v3.callbacks.${loginWorkload.request_id}`);
    // (The login playbook's callback reached the gateway without Authorization: the double sends none.)

    const events = await connected(stack, token);
    const executed = await stack.post(
      '/api/playbooks/execute',
      { path: 'travel/plan', client_id: events.clientId },
      bearer(token),
    );
    expect(executed.status).toBe(200);
    const { request_id, execution_id } = (await executed.json()) as {
      request_id: string;
      execution_id: string;
    };
    expect(kv.ttlOf('v3_requests', request_id)).toBe(900_000);

    // v3.x's feed carries the id as a string in the payload, the payload as a JSON string in the record.
    feed.publish({ event_type: 'step.exit', execution_id, step_name: 'plan', status: 'COMPLETED' });
    const state = await events.waitForEvent('playbook/state');
    expect(state.json.params).toMatchObject({ execution_id, step_name: 'plan', status: 'COMPLETED' });

    const callback = await stack.post('/api/internal/callback/async', {
      request_id,
      status: 'COMPLETED',
      data: { itinerary: 'ok' },
    });
    expect(callback.status).toBe(200);
    const result = await events.waitForEvent('playbook/result');
    expect(result.json.params).toMatchObject({ requestId: request_id, data: { itinerary: 'ok' } });
    events.close();
  });

  test('push ingress is on (the token’s v3.x meaning): an unknown listener is 404, not 503', async () => {
    const response = await stack.post('/ingress/nobody', { hello: 1 });
    expect(response.status).not.toBe(503);
    expect(stack.noetl.requestsTo('/api/internal/ingress/nobody')[0]?.headers.authorization).toBe(
      'Bearer v3-internal-token',
    );
  });

  test('/ready, the runtime contract and the log name the backends; open internal routes are warned about', async () => {
    const ready = await (await fetch(`${stack.url}/ready`)).json();
    expect(ready).toMatchObject({
      ready: true,
      backends: { store: 'ehdb', lifecycle: 'ehdb_feed', bus: 'embedded' },
      checks: { kv: { ok: true }, event_feed: { ok: true } },
    });
    const contract = await (await fetch(`${stack.url}/api/runtime/contract`)).json();
    expect(contract.backends).toEqual(ready.backends);
    const text = logs.join('');
    expect(text).toContain('Backends: sessions and pending requests in EHDB KV (NOETL_KV_ADDR)');
    expect(text).toContain('/api/internal/* are open on the public listener');
    expect(text).not.toContain('v3-internal-token');
    expect(await (await fetch(`${stack.url}/metrics`)).text()).toContain(
      'noetl_gateway_internal_auth_enabled 0',
    );
  });
});

describe('a v2.11.x environment: NATS_URL with credentials, a real nats-server', () => {
  let nats: NatsServer;
  let client: NatsConnection;
  let stack: Stack;
  beforeAll(async () => {
    nats = await NatsServer.start({ user: 'noetl', password: 'noetl' });
    client = await connect({ servers: nats.url, user: 'noetl', pass: 'noetl' });
    // As the v2.11.x Helm chart set them.
    stack = await startStack({
      NATS_URL: `nats://noetl:noetl@127.0.0.1:${nats.port}`,
      NATS_UPDATES_SUBJECT_PREFIX: 'noetl.events.',
      NATS_SESSION_BUCKET: 'v2_sessions',
      NATS_REQUEST_BUCKET: 'v2_requests',
      NATS_CALLBACK_SUBJECT_PREFIX: 'v2.callbacks',
      CORS_ALLOWED_ORIGINS: 'https://app.example.com',
      RUST_LOG: 'info',
    });
  }, 30_000);
  afterAll(async () => {
    await stack?.stop();
    await client?.close();
    await nats?.close();
  });

  test('login (the result published on NATS by the playbook) → execute → callback → result; lifecycle from NATS', async () => {
    const pending = stack.post('/api/auth/login', { auth0_token: 'never' });
    await expect
      .poll(() => stack.noetl.executeBodies().find((body) => body.workload.auth0_token === 'never'))
      .toBeTruthy();
    const workload = stack.noetl
      .executeBodies()
      .find((body) => body.workload.auth0_token === 'never')!.workload;
    expect(String(workload.callback_subject)).toBe(`v2.callbacks.${workload.request_id}`);
    const session = stack.noetl.mintSession({ email: 'nats@example.com' });
    client.publish(
      String(workload.callback_subject),
      stack.noetl.loginCallback(workload.request_id, session),
    );
    const login = await pending;
    expect(login.status).toBe(200);
    const token = session.token;
    const sessions = await new Kvm(client).open('v2_sessions');
    expect((await sessions.get(token))?.string()).toContain('nats@example.com');

    const events = await connected(stack, token);
    const executed = await stack.post(
      '/api/playbooks/execute',
      { path: 'travel/plan', client_id: events.clientId },
      bearer(token),
    );
    const { request_id, execution_id } = (await executed.json()) as {
      request_id: string;
      execution_id: string;
    };
    expect(await (await new Kvm(client).open('v2_requests')).get(request_id)).toBeTruthy();
    // The Python server's subject layout, the id only in the subject.
    client.publish(
      `noetl.events.default.default.${execution_id}.0`,
      '{"event_type":"step.exit","step":"plan"}',
    );
    const state = await events.waitForEvent('playbook/state');
    expect(state.json.params).toMatchObject({ execution_id, step_name: 'plan', status: 'running' });

    // No token anywhere in a v2.11.x environment: the internal routes take callbacks as they come.
    const callback = await stack.post('/api/internal/callback/async', { request_id, data: { v: 2 } });
    expect(callback.status).toBe(200);
    const result = await events.waitForEvent('playbook/result');
    expect(result.json.params).toMatchObject({ requestId: request_id, data: { v: 2 } });
    events.close();
  });

  test('push ingress is off without NOETL_INTERNAL_API_TOKEN; /ready names NATS for everything', async () => {
    const ingress = await stack.post('/ingress/any', {});
    expect(ingress.status).toBe(503);
    const ready = await (await fetch(`${stack.url}/ready`)).json();
    expect(ready).toMatchObject({ ready: true, backends: { store: 'nats', lifecycle: 'nats', bus: 'nats' } });
    expect(ready.checks.kv).toBeUndefined();
    expect(ready.checks.event_feed).toBeUndefined();
  });
});

describe('both generations’ settings: EHDB for the store and the feed, NATS between two replicas', () => {
  let nats: NatsServer;
  let kv: EhdbKvDouble;
  let feed: EventFeedDouble;
  let noetl: NoetlDouble;
  const replicas: Replica[] = [];
  beforeAll(async () => {
    nats = await NatsServer.start();
    kv = await EhdbKvDouble.start();
    feed = await EventFeedDouble.start();
    noetl = await new NoetlDouble().start();
    for (let i = 0; i < 2; i++)
      replicas.push(
        await startReplica(nats.url, noetl.url, {
          NOETL_KV_ADDR: kv.address,
          NOETL_EVENT_FEED_ADDR: feed.address,
        }),
      );
    noetl.options.gatewayUrl = replicas[0]!.url;
    await until(() => feed.openStreams === 2, 'both replicas reading the feed', 10_000);
  }, 30_000);
  afterAll(async () => {
    await Promise.all(replicas.map((replica) => replica.gateway.stop(0)));
    await noetl?.stop();
    await feed?.stop();
    await kv?.stop();
    await nats?.close();
  });

  test('sessions and requests on EHDB; a callback on A reaches the client on B; each feed event once, though both read it', async () => {
    const [a, b] = [replicas[0]!, replicas[1]!];
    const token = await a.login('both');
    expect(kv.get('sessions', token)).not.toBeNull();
    expect(await (await b.post('/api/auth/validate', { session_token: token })).json()).toMatchObject({
      valid: true,
    });

    const events = await b.connected(token);
    const executed = await a.post(
      '/api/playbooks/execute',
      { path: 'demo/both', client_id: events.clientId },
      bearer(token),
    );
    const { request_id, execution_id } = (await executed.json()) as {
      request_id: string;
      execution_id: string;
    };
    expect(kv.get('requests', request_id)).not.toBeNull();

    for (const step of ['one', 'two', 'three'])
      feed.publish({ event_type: 'step.exit', execution_id, step_name: step });
    // Both replicas have handled all three events before the marker goes into the client's log.
    for (const replica of replicas)
      await expect
        .poll(async () => (await (await fetch(`${replica.url}/ready`)).json()).checks.event_feed.detail)
        .toBe('connected; cursor 3');
    await a.post('/api/internal/progress', { request_id, message: 'marker' });
    await events.waitFor((event) => event.json.params?.message === 'marker');
    const steps = events.events
      .filter((event) => event.event === 'playbook/state')
      .map((event) => event.json.params?.step_name);
    expect(steps).toEqual(['one', 'two', 'three']);

    const callback = await a.post('/api/internal/callback/async', { request_id, data: 'from A' });
    expect(callback.status).toBe(200);
    const result = await events.waitForEvent('playbook/result');
    expect(result.json.params).toMatchObject({ requestId: request_id, data: 'from A' });
    const ready = await (await fetch(`${b.url}/ready`)).json();
    expect(ready.backends).toEqual({ store: 'ehdb', lifecycle: 'ehdb_feed', bus: 'nats' });
    events.close();
  }, 30_000);
});

describe('one meaning per setting', () => {
  const base = { NOETL_BASE_URL: 'http://127.0.0.1:1' };

  test('a v2.11.x name and its v3.x name: either works, the same value twice is fine, two values are refused', () => {
    expect(loadConfig({ ...base, NOETL_KV_SESSION_BUCKET: 'x' }).nats.sessionBucket).toBe('x');
    expect(loadConfig({ ...base, NATS_SESSION_BUCKET: 'x' }).nats.sessionBucket).toBe('x');
    expect(loadConfig({ ...base, NOETL_KV_REQUEST_TTL_SECS: '60' }).nats.requestTtlSecs).toBe(60);
    expect(
      loadConfig({ ...base, NATS_REQUEST_BUCKET: 'same', NOETL_KV_REQUEST_BUCKET: 'same' }).nats
        .requestBucket,
    ).toBe('same');
    expect(() => loadConfig({ ...base, NATS_SESSION_BUCKET: 'a', NOETL_KV_SESSION_BUCKET: 'b' })).toThrow(
      /NATS_SESSION_BUCKET and NOETL_KV_SESSION_BUCKET are one setting/,
    );
    expect(loadConfig({ ...base, NOETL_KV_CALLBACK_ID_PREFIX: 'cb.' }).nats.callbackSubjectPrefix).toBe('cb');
  });

  test('a v3.x config file’s [kv] section is read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gateway-config-'));
    const path = join(dir, 'gateway.toml');
    await writeFile(path, '[kv]\nsession_bucket = "file_sessions"\nrequest_ttl_secs = 99\n');
    const config = loadConfig({ ...base, GATEWAY_CONFIG: path });
    expect(config.nats.sessionBucket).toBe('file_sessions');
    expect(config.nats.requestTtlSecs).toBe(99);
  });

  test('EHDB addresses are host:port', () => {
    expect(loadConfig({ ...base, NOETL_KV_ADDR: 'writer-0.ehdb:9107' }).ehdb.kvAddr).toEqual({
      host: 'writer-0.ehdb',
      port: 9107,
    });
    expect(loadConfig({ ...base, NOETL_EVENT_FEED_ADDR: '[::1]:9105' }).ehdb.eventFeedAddr).toEqual({
      host: '::1',
      port: 9105,
    });
    expect(loadConfig({ ...base, NOETL_EVENT_FEED_ADDR: 'http://w:9105' }).ehdb.eventFeedAddr?.port).toBe(
      9105,
    );
    expect(() => loadConfig({ ...base, NOETL_KV_ADDR: 'writer-0' })).toThrow(/NOETL_KV_ADDR.*host:port/s);
  });

  test('NOETL_INTERNAL_API_TOKEN does not lock /api/internal/*; GATEWAY_REQUIRE_INTERNAL_TOKEN does, and needs it', () => {
    const v3 = loadConfig({ ...base, NOETL_INTERNAL_API_TOKEN: 't' });
    expect(v3.internalApiToken).toBe('t');
    expect(v3.internalRequireToken).toBe(false);
    expect(
      loadConfig({ ...base, NOETL_INTERNAL_API_TOKEN: 't', GATEWAY_REQUIRE_INTERNAL_TOKEN: 'true' })
        .internalRequireToken,
    ).toBe(true);
    expect(() => loadConfig({ ...base, GATEWAY_REQUIRE_INTERNAL_TOKEN: 'true' })).toThrow(
      /GATEWAY_REQUIRE_INTERNAL_TOKEN=true needs NOETL_INTERNAL_API_TOKEN/,
    );
  });

  test('with the switch on, callbacks need the bearer; without it, the same token leaves them open', async () => {
    const locked = await startStack(
      { NOETL_INTERNAL_API_TOKEN: 'tok', GATEWAY_REQUIRE_INTERNAL_TOKEN: 'true' },
      { internalToken: 'tok' },
    );
    try {
      expect((await locked.post('/api/internal/progress', { request_id: 'x' })).status).toBe(401);
      expect((await locked.post('/api/internal/progress', { request_id: 'x' }, bearer('tok'))).status).toBe(
        404,
      );
      expect(await locked.login('locked')).toMatch(/^[0-9a-f]{32}$/);
    } finally {
      await locked.stop();
    }
  });
});
