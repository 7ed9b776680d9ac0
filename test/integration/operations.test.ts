import { once } from 'node:events';
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../support/ports.ts';
import { type Stack, startStack } from '../support/stack.ts';

const INTERNAL_TOKEN = 'internal-secret-token-123';
const logLines: string[] = [];
let stack: Stack;

beforeAll(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  stack = await startStack(
    {
      NOETL_INTERNAL_API_TOKEN: INTERNAL_TOKEN,
      GATEWAY_REQUIRE_INTERNAL_TOKEN: 'true',
      GATEWAY_LOGIN_RATE_LIMIT_PER_MIN: '5',
      GATEWAY_MAX_SSE_PER_SESSION: '2',
      GATEWAY_MAX_HEADER_BYTES: '4096',
      CORS_ALLOWED_ORIGINS: 'https://app.example.com',
    },
    { internalToken: INTERNAL_TOKEN },
    pino({ level: 'info' }, sink),
  );
});
afterAll(() => stack.stop());

describe('internal routes with GATEWAY_REQUIRE_INTERNAL_TOKEN and NOETL_INTERNAL_API_TOKEN', () => {
  for (const path of ['/api/internal/callback', '/api/internal/callback/async', '/api/internal/progress']) {
    test(`${path}: missing or wrong token → 401`, async () => {
      const missing = await stack.post(path, { request_id: 'x' });
      expect(missing.status).toBe(401);
      const wrong = await stack.post(path, { request_id: 'x' }, { authorization: 'Bearer nope' });
      expect(wrong.status).toBe(401);
      expect(await wrong.json()).toMatchObject({ error: 'Missing or invalid internal API token' });
      const right = await stack.post(
        path,
        { request_id: 'x' },
        { authorization: `Bearer ${INTERNAL_TOKEN}` },
      );
      expect(right.status).not.toBe(401);
    });
  }

  test('playbooks with the token still log in (the double sends it)', async () => {
    expect(await stack.login('tok')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('metrics', () => {
  test('reference metric names, pre-created at 0, no tokens in labels', async () => {
    const token = await stack.login('metric');
    const events = await stack.events(token);
    await events.waitForEvent('message');
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    events.close();
    for (const series of [
      'noetl_gateway_build_info{version="',
      'noetl_gateway_auth_bypass_enabled{mode="enforced"} 1',
      'noetl_gateway_login_total{outcome="succeeded"}',
      'noetl_gateway_login_total{outcome="not_authenticated"} 0',
      'noetl_gateway_session_check_total{outcome="ok"}',
      'noetl_gateway_authz_total{outcome="backend_error"} 0',
      'noetl_gateway_auth_cancel_failed_total 0',
      'noetl_gateway_session_cache_failed_total{stage="after_login"} 0',
      'noetl_gateway_callback_undelivered_total',
      'noetl_gateway_internal_auth_enabled 1',
      'noetl_gateway_sse_connections 1',
      'noetl_gateway_nats_connected 1',
      'noetl_gateway_upstream_request_seconds_bucket{le="0.005",operation="execute"',
      'noetl_gateway_http_request_seconds_bucket',
    ]) {
      expect(text).toContain(series);
    }
    expect(text).not.toContain(token);
  });
});

test('/ready reports NATS (embedded) and NoETL', async () => {
  const response = await fetch(`${stack.url}/ready`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({
    ready: true,
    backends: { store: 'embedded', lifecycle: 'none', bus: 'embedded' },
    checks: {
      nats: { ok: true, detail: 'embedded mode (no NATS)' },
      noetl: { ok: true, detail: 'HTTP 200' },
    },
  });
});

test('/ready is 503 when NoETL is down', async () => {
  const down = await startStack({ NOETL_BASE_URL: 'http://127.0.0.1:1' });
  try {
    const response = await fetch(`${down.url}/ready`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ ready: false, checks: { noetl: { ok: false } } });
  } finally {
    await down.stop();
  }
});

describe('limits', () => {
  test('SSE streams per session → 429', async () => {
    const token = await stack.login('streams');
    const first = await stack.events(token);
    const second = await stack.events(token);
    await first.waitForEvent('message');
    await second.waitForEvent('message');
    const third = await stack.events(token);
    expect(third.response.status).toBe(429);
    expect(await third.response.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    first.close();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const again = await stack.events(token);
    expect(again.response.status).toBe(200);
    second.close();
    again.close();
  });

  test('oversized headers → 431', async () => {
    const response = await fetch(`${stack.url}/health`, { headers: { 'x-big': 'a'.repeat(8000) } });
    expect(response.status).toBe(431);
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await response.json()).toEqual({
      error: 'Request headers larger than GATEWAY_MAX_HEADER_BYTES',
      code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
    });
  });

  test('login attempts per IP → 429 after the limit', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++)
      statuses.push((await stack.post('/api/auth/login', { auth0_token: 'reject' })).status);
    expect(statuses).toContain(429);
    const limited = await stack.post('/api/auth/login', { auth0_token: 'reject' });
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
  });
});

describe('CORS', () => {
  test('an allowed origin is echoed, with credentials; preflight answered with methods and headers', async () => {
    const preflight = await fetch(`${stack.url}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-max-age')).toBeTruthy();
  });

  test('a disallowed origin gets no CORS headers', async () => {
    const preflight = await fetch(`${stack.url}/graphql`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const simple = await fetch(`${stack.url}/health`, { headers: { origin: 'https://evil.example.com' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    // The operator learns which origin was refused, once (the browser only says "Failed to fetch").
    const refusals = logLines.filter((line) => line.includes('not in CORS_ALLOWED_ORIGINS'));
    expect(refusals).toHaveLength(1);
    expect(JSON.parse(refusals[0]!)).toMatchObject({ origin: 'https://evil.example.com', level: 40 });
  });

  test('"*" allows any origin without credentials', async () => {
    const open = await startStack({ CORS_ALLOWED_ORIGINS: '*' });
    try {
      const response = await fetch(`${open.url}/health`, { headers: { origin: 'https://anything.example' } });
      expect(response.headers.get('access-control-allow-origin')).toBe('*');
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    } finally {
      await open.stop();
    }
  });
});

test('request logs carry a request id and never a session token', async () => {
  const token = stack.noetl.mintSession().token; // the login limit is spent by the test above
  const events = await stack.events(token);
  await events.waitForEvent('message');
  events.close();
  const response = await stack.post(
    '/api/auth/validate',
    { session_token: token },
    { 'x-request-id': 'req-abc-1' },
  );
  expect(response.headers.get('x-request-id')).toBe('req-abc-1');
  await stack.post(
    '/api/playbooks/execute',
    { path: 'demo/x' },
    { authorization: `Bearer ${token}`, cookie: `session_token=${token}` },
  );
  await new Promise((resolve) => setTimeout(resolve, 100));
  const output = logLines.join('');
  expect(output).toContain('"req_id":"req-abc-1"');
  expect(output).toContain('"path":"/events"');
  expect(output).not.toContain(token);
  expect(output).not.toContain(INTERNAL_TOKEN);
});

test('GATEWAY_INTERNAL_PORT: internal routes only there, public routes only on the public port', async () => {
  const internalPort = await freePort();
  const split = await startStack({ GATEWAY_INTERNAL_PORT: String(internalPort) });
  try {
    const internalUrl = `http://127.0.0.1:${internalPort}`;
    const body = {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"request_id":"x"}',
    };
    expect((await split.post('/api/internal/callback', { request_id: 'x' })).status).toBe(404);
    expect((await fetch(`${internalUrl}/api/internal/callback`, body)).status).toBe(200);
    expect((await fetch(`${internalUrl}/health`)).status).toBe(200);
    expect((await fetch(`${internalUrl}/api/auth/login`, body)).status).toBe(404);
  } finally {
    await split.stop();
  }
});

test('pending requests per session → 429, and a delivered result frees a slot', async () => {
  const limited = await startStack({ GATEWAY_MAX_PENDING_PER_SESSION: '2' });
  try {
    const token = await limited.login('busy');
    const events = await limited.events(token);
    await events.waitForEvent('message');
    const execute = () =>
      limited.post(
        '/api/playbooks/execute',
        { path: 'demo/x', client_id: events.clientId },
        { authorization: `Bearer ${token}` },
      );
    const first = (await (await execute()).json()) as { request_id: string };
    expect((await execute()).status).toBe(200);
    const third = await execute();
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(
      (await limited.post('/api/playbooks/execute', { path: 'demo/x' }, { authorization: `Bearer ${token}` }))
        .status,
    ).toBe(200);
    await limited.post('/api/internal/callback/async', { request_id: first.request_id });
    expect((await execute()).status).toBe(200);
    events.close();
  } finally {
    await limited.stop();
  }
});

test('execution subscriptions per client → 429 past the limit', async () => {
  const limited = await startStack({ GATEWAY_MAX_EXECUTION_SUBSCRIPTIONS_PER_CLIENT: '2' });
  try {
    const token = await limited.login('watcher');
    const events = await limited.events(token);
    await events.waitForEvent('message');
    // Executions started elsewhere that NoETL lets the caller view (the subscription rule asks it).
    for (const id of ['1', '2', '3'])
      limited.noetl.executions.set(id, { path: 'demo/elsewhere', workload: {}, status: 'RUNNING' });
    const subscribe = (executionId: string) =>
      limited.post(
        '/api/executions/subscribe',
        { execution_id: executionId, client_id: events.clientId },
        { authorization: `Bearer ${token}` },
      );
    expect((await subscribe('1')).status).toBe(200);
    expect((await subscribe('2')).status).toBe(200);
    expect((await subscribe('2')).status).toBe(200); // the same one again is not a new subscription
    const third = await subscribe('3');
    expect(third.status).toBe(429);
    expect(await third.json()).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    events.close();
  } finally {
    await limited.stop();
  }
});

test('slowloris: a client that never finishes its headers is disconnected after GATEWAY_HEADERS_TIMEOUT_SECS', async () => {
  const slow = await startStack({ GATEWAY_HEADERS_TIMEOUT_SECS: '1' });
  try {
    const { port } = new URL(slow.url);
    const socket = connect(Number(port), '127.0.0.1');
    await once(socket, 'connect');
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: ');
    const started = Date.now();
    let answer = '';
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    await once(socket, 'close');
    expect(Date.now() - started).toBeLessThan(4000);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  } finally {
    await slow.stop();
  }
});
