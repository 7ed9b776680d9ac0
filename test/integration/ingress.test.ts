/**
 * Push ingress for webhooks (contract §12.7): `POST /ingress/{listener}` against the NoETL double's listener
 * configs, with real HMAC-SHA256 signatures and bearer tokens. Every verdict is read off the wire: the
 * answer, and what the double received (the config lookup, the execute call, the audit event).
 */
import { createHmac } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RecordedRequest } from '../support/noetlDouble.ts';
import { type Stack, startStack } from '../support/stack.ts';

const TOKEN = 'internal-api-token-1';
const SECRET = 'whsec-ingress-test';

const hmac = (body: string | Buffer, secret = SECRET) =>
  createHmac('sha256', secret).update(body).digest('hex');

function listenerConfig(listener: string, overrides: Record<string, unknown> = {}) {
  return {
    listener,
    catalog_path: `subscriptions/${listener}`,
    subscription_id: '4242',
    verify: { type: 'hmac_sha256', header: 'x-signature', secret: SECRET },
    dispatch: { playbook: `hooks/${listener}`, payload_from: 'message.json', execution_pool: 'subscription' },
    ...overrides,
  };
}

async function deliver(stack: Stack, listener: string, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(`${stack.url}/ingress/${listener}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text ? JSON.parse(text) : undefined,
  };
}

interface ExecuteBody {
  path: string;
  resource_kind: string;
  execution_pool?: string;
  parent_execution_id?: number;
  trace?: Record<string, unknown>;
  workload: Record<string, unknown> & { message: Record<string, unknown> };
}

const executes = (stack: Stack, playbook: string): ExecuteBody[] =>
  stack.noetl.executeBodies().filter((body) => body.path === playbook) as unknown as ExecuteBody[];

const configLookups = (stack: Stack, listener: string): RecordedRequest[] =>
  stack.noetl.requests.filter((request) => request.target === `/api/internal/ingress/${listener}`);

describe('webhooks', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ NOETL_INTERNAL_API_TOKEN: TOKEN }, { internalToken: TOKEN });
  });
  afterAll(() => stack.stop());

  test('a signed delivery starts the listener’s playbook with the reference’s envelope (202)', async () => {
    stack.noetl.ingressListeners.set('orders', listenerConfig('orders'));
    const body = '{"order_id":42,"total":12.0,"big":635758340626186455123,"source":"shop"}';
    const answer = await deliver(stack, 'orders', body, {
      'x-signature': `sha256=${hmac(body)}`,
      'x-message-id': 'msg-1',
      'x-custom': 'kept',
      authorization: 'Bearer not-forwarded',
      cookie: 'session=not-forwarded',
    });
    expect(answer.status).toBe(202);
    const [started] = executes(stack, 'hooks/orders');
    expect(answer.json).toEqual({ status: 'accepted', execution_id: expect.any(String) });
    expect(stack.noetl.executions.get(answer.json.execution_id)?.path).toBe('hooks/orders');

    // The config came from NoETL's internal API with the gateway's bearer.
    const [lookup] = configLookups(stack, 'orders');
    expect(lookup?.method).toBe('GET');
    expect(lookup?.headers.authorization).toBe(`Bearer ${TOKEN}`);

    expect(started).toMatchObject({
      path: 'hooks/orders',
      resource_kind: 'playbook',
      execution_pool: 'subscription',
      parent_execution_id: 4242,
    });
    const { message, ...fields } = started!.workload;
    // message.json: the data's fields at the top level, beside message / subscription / source (never replaced).
    expect(fields).toEqual({
      subscription: 'subscriptions/orders',
      source: 'webhook',
      order_id: 42,
      total: 12,
      big: expect.any(Number),
    });
    expect(message).toMatchObject({
      id: 'msg-1',
      attributes: {},
      metadata: { mode: 'push', source: 'webhook' },
      data: { order_id: 42, source: 'shop' },
    });
    const headers = message.headers as Record<string, unknown>;
    expect(headers['x-custom']).toBe('kept');
    expect(headers['x-message-id']).toBe('msg-1');
    for (const credential of ['authorization', 'cookie', 'x-signature'])
      expect(headers).not.toHaveProperty(credential);
    // Numbers reach NoETL as they were written.
    const executeRequest = stack.noetl.requestsTo('/api/execute').at(-1)!;
    expect(executeRequest.rawBody.toString()).toContain('"total":12.0');
    expect(executeRequest.rawBody.toString()).toContain('"big":635758340626186455123');
  });

  test('signature forms: bare hex in any case, and the SHA256= prefix', async () => {
    stack.noetl.ingressListeners.set('forms', listenerConfig('forms'));
    const body = '{"n":1}';
    expect((await deliver(stack, 'forms', body, { 'x-signature': hmac(body).toUpperCase() })).status).toBe(
      202,
    );
    expect((await deliver(stack, 'forms', body, { 'x-signature': `SHA256=${hmac(body)}` })).status).toBe(202);
    expect(executes(stack, 'hooks/forms')).toHaveLength(2);
  });

  test('a wrong or missing signature is rejected before anything is started (401)', async () => {
    stack.noetl.ingressListeners.set('tamper', listenerConfig('tamper'));
    const signed = '{"amount":10}';
    const tampered = await deliver(stack, 'tamper', '{"amount":1000}', { 'x-signature': hmac(signed) });
    expect(tampered.status).toBe(401);
    expect(tampered.json).toEqual({
      status: 'rejected',
      reason: 'bad_signature',
      error: 'HMAC signature mismatch',
      code: 'UNAUTHORIZED',
    });
    const otherKey = await deliver(stack, 'tamper', signed, {
      'x-signature': hmac(signed, 'another-secret'),
    });
    expect(otherKey.json.reason).toBe('bad_signature');
    const missing = await deliver(stack, 'tamper', signed);
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject({
      status: 'rejected',
      reason: 'missing_signature',
      code: 'UNAUTHORIZED',
    });
    expect(executes(stack, 'hooks/tamper')).toHaveLength(0);
  });

  test('bearer: the token in the configured header, with or without the Bearer scheme', async () => {
    stack.noetl.ingressListeners.set(
      'bearer',
      listenerConfig('bearer', { verify: { type: 'bearer', secret: 'tok-123' } }),
    );
    stack.noetl.ingressListeners.set(
      'apikey',
      listenerConfig('apikey', { verify: { type: 'bearer', header: 'X-Api-Key', secret: 'tok-456' } }),
    );
    expect((await deliver(stack, 'bearer', '{}', { authorization: 'Bearer tok-123' })).status).toBe(202);
    expect((await deliver(stack, 'apikey', '{}', { 'x-api-key': 'tok-456' })).status).toBe(202);
    const wrong = await deliver(stack, 'bearer', '{}', { authorization: 'Bearer tok-1234' });
    expect(wrong.status).toBe(401);
    expect(wrong.json).toMatchObject({ status: 'rejected', reason: 'bad_token' });
    const missing = await deliver(stack, 'apikey', '{}', { authorization: 'Bearer tok-456' });
    expect(missing.status).toBe(401);
    expect(missing.json).toMatchObject({ status: 'rejected', reason: 'missing_token' });
    // The token header never reaches the workload.
    const [started] = executes(stack, 'hooks/apikey');
    expect(started!.workload.message.headers).not.toHaveProperty('x-api-key');
  });

  test('a listener NoETL does not know: 404 unknown_listener; the name is one encoded path segment', async () => {
    const answer = await deliver(stack, 'no%20such%2Flistener', '{}');
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({
      status: 'rejected',
      reason: 'unknown_listener',
      detail: 'no push subscription for this ingress path',
      error: 'no push subscription for this ingress path',
      code: 'NOT_FOUND',
    });
    expect(configLookups(stack, 'no%20such%2Flistener')).toHaveLength(1);
    // The answer is remembered like a config: a burst asks NoETL once.
    await deliver(stack, 'no%20such%2Flistener', '{}');
    expect(configLookups(stack, 'no%20such%2Flistener')).toHaveLength(1);
  });

  test('configs are cached: a burst of deliveries looks the listener up once', async () => {
    stack.noetl.ingressListeners.set('burst', listenerConfig('burst'));
    const body = '{"i":0}';
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => deliver(stack, 'burst', body, { 'x-signature': hmac(body) })),
    );
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 202]);
    expect(configLookups(stack, 'burst')).toHaveLength(1);
  });

  test('NoETL failing the config lookup: 502 config_error (retryable)', async () => {
    stack.noetl.ingressConfigFailure = { status: 500, body: '{"detail":"database down"}' };
    try {
      const answer = await deliver(stack, 'lookup-fails', '{}');
      expect(answer.status).toBe(502);
      expect(answer.json).toMatchObject({
        status: 'rejected',
        reason: 'config_error',
        detail: 'could not resolve ingress config',
        code: 'BAD_GATEWAY',
      });
    } finally {
      stack.noetl.ingressConfigFailure = undefined;
    }
    // Failures are not cached: the next delivery asks again.
    stack.noetl.ingressListeners.set('lookup-fails', listenerConfig('lookup-fails'));
    expect((await deliver(stack, 'lookup-fails', '{}', { 'x-signature': hmac('{}') })).status).toBe(202);
  });

  test('unsupported and misconfigured verification: 403, nothing started', async () => {
    stack.noetl.ingressListeners.set('mtls', listenerConfig('mtls', { verify: { type: 'mtls' } }));
    stack.noetl.ingressListeners.set(
      'nosecret',
      listenerConfig('nosecret', { verify: { type: 'hmac_sha256', header: 'x-signature' } }),
    );
    stack.noetl.ingressListeners.set(
      'emptysecret',
      listenerConfig('emptysecret', { verify: { type: 'bearer', secret: '' } }),
    );
    const unsupported = await deliver(stack, 'mtls', '{}');
    expect(unsupported.status).toBe(403);
    expect(unsupported.json).toMatchObject({ status: 'rejected', reason: 'unsupported', code: 'FORBIDDEN' });
    for (const listener of ['nosecret', 'emptysecret']) {
      // An empty secret never matches an empty token.
      const answer = await deliver(stack, listener, '{}', {
        'x-signature': hmac('{}'),
        authorization: 'Bearer ',
      });
      expect(answer.status, listener).toBe(403);
      expect(answer.json).toMatchObject({ status: 'rejected', reason: 'misconfigured' });
    }
    expect(stack.noetl.executeBodies().filter((body) => /mtls|secret/.test(body.path))).toHaveLength(0);
  });

  test('NoETL refusing the execution: 502 dispatch_error, so the sender retries', async () => {
    stack.noetl.ingressListeners.set(
      'broken',
      listenerConfig('broken', { dispatch: { playbook: 'broken/handler' } }),
    );
    const answer = await deliver(stack, 'broken', '{}', { 'x-signature': hmac('{}') });
    expect(answer.status).toBe(502);
    expect(answer.json).toMatchObject({
      status: 'rejected',
      reason: 'dispatch_error',
      detail: 'verified but could not dispatch execution',
    });
  });

  test('a listener dispatching to one of the gateway’s auth playbooks is refused (403)', async () => {
    stack.noetl.ingressListeners.set(
      'login',
      listenerConfig('login', { dispatch: { playbook: 'api_integration/auth0/auth0_login' } }),
    );
    const answer = await deliver(stack, 'login', '{}', { 'x-signature': hmac('{}') });
    expect(answer.status).toBe(403);
    expect(answer.json).toMatchObject({ status: 'rejected', reason: 'misconfigured' });
    expect(executes(stack, 'api_integration/auth0/auth0_login')).toHaveLength(0);
  });

  test('bodies of any type: text and form data as text, an empty body as null, verified over the raw bytes', async () => {
    stack.noetl.ingressListeners.set('text', listenerConfig('text'));
    const form = 'a=1&b=%C3%A9';
    const formAnswer = await deliver(stack, 'text', form, {
      'content-type': 'application/x-www-form-urlencoded',
      'x-signature': hmac(form),
    });
    expect(formAnswer.status).toBe(202);
    const empty = await fetch(`${stack.url}/ingress/text`, {
      method: 'POST',
      headers: { 'x-signature': hmac('') },
    });
    expect(empty.status).toBe(202);
    const [fromForm, fromEmpty] = executes(stack, 'hooks/text');
    expect(fromForm!.workload.message.data).toBe(form);
    expect(fromForm!.workload.body).toBe(form);
    expect(fromEmpty!.workload.message.data).toBeNull();
    expect(fromEmpty!.workload.body).toBeNull();
  });

  test('payload_from: message.body passes the data as text, message.attributes the attributes', async () => {
    stack.noetl.ingressListeners.set(
      'asbody',
      listenerConfig('asbody', { dispatch: { playbook: 'hooks/asbody', payload_from: 'message.body' } }),
    );
    const body = '{"a":1}';
    expect((await deliver(stack, 'asbody', body, { 'x-signature': hmac(body) })).status).toBe(202);
    const [started] = executes(stack, 'hooks/asbody');
    expect(started!.workload.body).toBe('{"a":1}');
    expect(started!.workload).not.toHaveProperty('a');
  });

  describe('directives', () => {
    const directives = {
      directives: [
        { header: 'X-Noetl-Route', controls: 'dispatch.playbook', allowed: ['hooks/redirected'] },
        { header: 'x-priority', controls: 'priority', map: { high: 'fast-pool' } },
        { header: 'x-idempotency-key', controls: 'idempotency_key' },
      ],
      trace: { propagate: 'w3c', baggage_allowlist: ['tenant'] },
    };
    const traceparent = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

    test('an allowlisted route, a priority pool, an idempotency key and trace context apply, and are audited', async () => {
      stack.noetl.ingressListeners.set('steer', listenerConfig('steer', { directives }));
      const body = '{"event":"x"}';
      const answer = await deliver(stack, 'steer', body, {
        'x-signature': hmac(body),
        'x-noetl-route': 'hooks/redirected',
        'x-priority': 'high',
        'x-idempotency-key': 'idem-7',
        traceparent,
        baggage: 'tenant=acme,secret=nope',
      });
      expect(answer.status).toBe(202);
      const [started] = executes(stack, 'hooks/redirected');
      expect(started).toMatchObject({
        path: 'hooks/redirected',
        execution_pool: 'fast-pool',
        trace: { traceparent, baggage: { tenant: 'acme' } },
      });
      expect(started!.workload.idempotency_key).toBe('idem-7');
      expect(executes(stack, 'hooks/steer')).toHaveLength(0);

      // Best effort, after the answer: wait for it to arrive.
      await expect
        .poll(() => stack.noetl.requestsTo('/api/events').map((request) => request.body), { timeout: 5000 })
        .toContainEqual({
          execution_id: answer.json.execution_id,
          step: 'ingress',
          event_type: 'subscription.message.directives_applied',
          status: 'APPLIED',
          worker_id: 'gateway',
          meta: { emitter: 'gateway_ingress' },
          context: {
            message_id: expect.any(String),
            applied: [
              { header: 'x-noetl-route', controls: 'dispatch.playbook', effective_value: 'hooks/redirected' },
              { header: 'x-priority', controls: 'priority', effective_value: 'fast-pool' },
              { header: 'x-idempotency-key', controls: 'idempotency_key', effective_value: 'idem-7' },
            ],
            route_override: { playbook: 'hooks/redirected', pool: 'fast-pool' },
            trace: { traceparent, baggage: { tenant: 'acme' } },
          },
        });
    });

    test('a value the allowlist does not name steers nothing', async () => {
      stack.noetl.ingressListeners.set('allowlist', listenerConfig('allowlist', { directives }));
      const answer = await deliver(stack, 'allowlist', '{}', {
        'x-signature': hmac('{}'),
        'x-noetl-route': 'hooks/evil',
      });
      expect(answer.status).toBe(202);
      expect(executes(stack, 'hooks/allowlist')).toHaveLength(1);
      expect(executes(stack, 'hooks/evil')).toHaveLength(0);
    });

    test('an unverified delivery cannot steer: rejected, nothing started', async () => {
      stack.noetl.ingressListeners.set('forged', listenerConfig('forged', { directives }));
      const before = stack.noetl.requestsTo('/api/execute').length;
      const answer = await deliver(stack, 'forged', '{}', {
        'x-signature': 'deadbeef',
        'x-noetl-route': 'hooks/redirected',
      });
      expect(answer.status).toBe(401);
      expect(stack.noetl.requestsTo('/api/execute')).toHaveLength(before);
    });

    test('directives NoETL sends that do not parse are ignored as a whole', async () => {
      const unconstrained = { directives: [{ header: 'x-noetl-route', controls: 'dispatch.playbook' }] };
      stack.noetl.ingressListeners.set('loose', listenerConfig('loose', { directives: unconstrained }));
      const answer = await deliver(stack, 'loose', '{}', {
        'x-signature': hmac('{}'),
        'x-noetl-route': 'hooks/any',
      });
      expect(answer.status).toBe(202);
      expect(executes(stack, 'hooks/loose')).toHaveLength(1);
      expect(executes(stack, 'hooks/any')).toHaveLength(0);
    });
  });

  test('a subscription id beyond 2^53 is the parent execution id exactly', async () => {
    stack.noetl.ingressListeners.set(
      'snowflake',
      listenerConfig('snowflake', { subscription_id: '635758340626186455' }),
    );
    expect((await deliver(stack, 'snowflake', '{}', { 'x-signature': hmac('{}') })).status).toBe(202);
    const request = stack.noetl.requestsTo('/api/execute').find((r) => r.rawBody.includes('hooks/snowflake'));
    expect(request!.rawBody.toString()).toContain('"parent_execution_id":635758340626186455');
  });

  test('only POST: other methods are 405 with Allow', async () => {
    const answer = await fetch(`${stack.url}/ingress/orders`);
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe('POST');
  });

  test('metrics: received, rejected by reason and dispatched, by known listener only', async () => {
    const text = await (await fetch(`${stack.url}/metrics`)).text();
    expect(text).toMatch(/noetl_ingress_received_total\{subscription="orders"\} 1/);
    expect(text).toMatch(/noetl_ingress_dispatched_total\{subscription="orders"\} 1/);
    expect(text).toMatch(/noetl_ingress_rejected_total\{subscription="tamper",reason="bad_signature"\} 2/);
    expect(text).toMatch(
      /noetl_ingress_rejected_total\{subscription="\(unknown\)",reason="unknown_listener"\} 2/,
    );
    expect(text).not.toContain('no%20such');
  });
});

describe('logs', () => {
  const lines: string[] = [];
  let stack: Stack;
  beforeAll(async () => {
    const logger = pino({ level: 'trace' }, { write: (line: string) => void lines.push(line) });
    stack = await startStack({ NOETL_INTERNAL_API_TOKEN: TOKEN }, { internalToken: TOKEN }, logger);
  });
  afterAll(() => stack.stop());

  test('never hold a listener’s secret, a presented token or signature, or the internal token', async () => {
    stack.noetl.ingressListeners.set('audit', listenerConfig('audit'));
    stack.noetl.ingressListeners.set(
      'tokened',
      listenerConfig('tokened', { verify: { type: 'bearer', secret: 'bearer-secret-9' } }),
    );
    // A config NoETL sends that does not parse: its (secret-holding) body must not be logged either.
    stack.noetl.ingressListeners.set('unparsable', {
      ...listenerConfig('unparsable'),
      dispatch: { playbook: 7 },
    });
    const signature = hmac('{}');
    await deliver(stack, 'audit', '{}', { 'x-signature': signature });
    await deliver(stack, 'audit', '{"x":1}', { 'x-signature': signature });
    await deliver(stack, 'tokened', '{}', { authorization: 'Bearer presented-token-3' });
    await deliver(stack, 'unparsable', '{}', { 'x-signature': signature });
    const text = lines.join('');
    expect(text).toContain('ingress: delivery rejected');
    expect(text).toContain('ingress: verified delivery dispatched');
    for (const secret of [SECRET, 'bearer-secret-9', 'presented-token-3', signature, TOKEN])
      expect(text).not.toContain(secret);
  });
});

describe('NOETL_INTERNAL_API_TOKEN unset', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());

  test('push ingress is off: 503, NoETL is not asked', async () => {
    stack.noetl.ingressListeners.set('orders', listenerConfig('orders'));
    const answer = await deliver(stack, 'orders', '{}', { 'x-signature': hmac('{}') });
    expect(answer.status).toBe(503);
    expect(answer.json).toEqual({
      error: 'push-ingress not configured (NOETL_INTERNAL_API_TOKEN unset)',
      code: 'SERVICE_UNAVAILABLE',
    });
    expect(
      stack.noetl.requests.filter((request) => request.path.startsWith('/api/internal/ingress')),
    ).toEqual([]);
  });
});

describe('limits', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack(
      {
        NOETL_INTERNAL_API_TOKEN: TOKEN,
        GATEWAY_INGRESS_MAX_BODY_BYTES: '2048',
        GATEWAY_INGRESS_RATE_LIMIT_PER_MIN: '3',
      },
      { internalToken: TOKEN },
    );
    stack.noetl.ingressListeners.set('big', listenerConfig('big'));
    stack.noetl.ingressListeners.set('busy', listenerConfig('busy'));
    stack.noetl.ingressListeners.set('quiet', listenerConfig('quiet'));
  });
  afterAll(() => stack.stop());

  test('a body over GATEWAY_INGRESS_MAX_BODY_BYTES is 413, nothing started', async () => {
    const body = JSON.stringify({ pad: 'x'.repeat(4096) });
    const answer = await deliver(stack, 'big', body, { 'x-signature': hmac(body) });
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({
      error: 'Request body too large (GATEWAY_INGRESS_MAX_BODY_BYTES)',
      code: 'PAYLOAD_TOO_LARGE',
    });
    // Streamed without a length: counted as it arrives.
    const chunked = await fetch(`${stack.url}/ingress/big`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': hmac(body) },
      body: new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
        },
      }),
      duplex: 'half',
    } as RequestInit);
    expect(chunked.status).toBe(413);
    const small = '{"pad":"x"}';
    expect((await deliver(stack, 'big', small, { 'x-signature': hmac(small) })).status).toBe(202);
    expect(executes(stack, 'hooks/big')).toHaveLength(1);
  });

  test('past GATEWAY_INGRESS_RATE_LIMIT_PER_MIN a listener gets 429 with Retry-After; others are unaffected', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push((await deliver(stack, 'busy', '{}', { 'x-signature': hmac('{}') })).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    const limited = await deliver(stack, 'busy', '{}', { 'x-signature': hmac('{}') });
    expect(limited.status).toBe(429);
    expect(limited.json).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(executes(stack, 'hooks/busy')).toHaveLength(3);
    expect((await deliver(stack, 'quiet', '{}', { 'x-signature': hmac('{}') })).status).toBe(202);
  });
});
