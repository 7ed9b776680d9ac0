import { afterEach, expect, test } from 'vitest';
import { type Replica, startReplica } from '../support/cluster.ts';
import { NatsServer } from '../support/natsServer.ts';
import { NoetlDouble } from '../support/noetlDouble.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function setUp(startNats = true): Promise<{ nats: NatsServer; noetl: NoetlDouble; replica: Replica }> {
  const nats = startNats ? await NatsServer.start() : await NatsServer.create();
  cleanup.push(() => nats.close());
  const noetl = await new NoetlDouble().start();
  cleanup.push(() => noetl.stop());
  const replica = await startReplica(nats.url, noetl.url);
  cleanup.push(() => replica.gateway.stop(0));
  noetl.options.gatewayUrl = replica.url;
  return { nats, noetl, replica };
}

test('nats-server restarted during an open stream and a running execution: the stream survives, the result arrives', async () => {
  const { nats, replica } = await setUp();
  const login = await replica.post('/api/auth/login', { auth0_token: 'valid-rita' });
  const { session_token: token } = (await login.json()) as { session_token: string };
  const events = await replica.events(token);
  await events.waitForEvent('message');
  const executed = await replica.post(
    '/api/playbooks/execute',
    { path: 'demo/long', client_id: events.clientId },
    { authorization: `Bearer ${token}` },
  );
  const { request_id } = (await executed.json()) as { request_id: string };

  await nats.restart();
  await expect.poll(async () => (await fetch(`${replica.url}/ready`)).status, { timeout: 10_000 }).toBe(200);

  const callback = await replica.post('/api/internal/callback/async', {
    request_id,
    data: { after: 'restart' },
  });
  expect(callback.status).toBe(200);
  const result = await events.waitForEvent('playbook/result', 10_000);
  expect(result.json.params).toMatchObject({ requestId: request_id, data: { after: 'restart' } });
  expect(events.ended).toBe(false);
  events.close();
}, 40_000);

test('NATS down at start: the gateway starts not ready, then becomes ready and works when NATS appears', async () => {
  const { nats, replica } = await setUp(false);
  expect((await fetch(`${replica.url}/health`)).status).toBe(200);
  const ready = await fetch(`${replica.url}/ready`);
  expect(ready.status).toBe(503);
  expect(await ready.json()).toMatchObject({
    ready: false,
    checks: { nats: { ok: false, detail: 'disconnected' } },
  });
  const metrics = await (await fetch(`${replica.url}/metrics`)).text();
  expect(metrics).toContain('noetl_gateway_nats_connected 0');

  // What needs NATS answers 503 (retry), never 500; login still works (the session cache is best effort).
  const early = await replica.post('/api/auth/login', { auth0_token: 'valid-early' });
  expect(early.status).toBe(200);
  const { session_token: earlyToken } = (await early.json()) as { session_token: string };
  const execute = await replica.post(
    '/api/playbooks/execute',
    { path: 'demo/x', client_id: 'c-1' },
    { authorization: `Bearer ${earlyToken}` },
  );
  expect(execute.status).toBe(503);
  const stream = await fetch(`${replica.url}/events?session_token=${earlyToken}`);
  expect(stream.status).toBe(503);

  await nats.start();
  await expect.poll(async () => (await fetch(`${replica.url}/ready`)).status, { timeout: 15_000 }).toBe(200);
  const login = await replica.post('/api/auth/login', { auth0_token: 'valid-late' });
  expect(login.status).toBe(200);
  const { session_token: token } = (await login.json()) as { session_token: string };
  const events = await replica.events(token);
  await events.waitForEvent('message');
  events.close();
}, 40_000);

test('NATS stopped: /ready turns false, and true again when it returns', async () => {
  const { nats, replica } = await setUp();
  await expect.poll(async () => (await fetch(`${replica.url}/ready`)).status).toBe(200);
  await nats.stop();
  await expect.poll(async () => (await fetch(`${replica.url}/ready`)).status, { timeout: 10_000 }).toBe(503);
  await nats.start();
  await expect.poll(async () => (await fetch(`${replica.url}/ready`)).status, { timeout: 15_000 }).toBe(200);
}, 40_000);
