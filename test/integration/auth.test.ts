import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ AUTH_PLAYBOOK_TIMEOUT_SECS: '1' });
});
afterAll(() => stack.stop());

describe('POST /api/auth/login', () => {
  test('runs the login playbook and answers with the session', async () => {
    const response = await stack.post('/api/auth/login', {
      auth0_token: 'valid-ann',
      auth0_domain: 'example.eu.auth0.com',
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      status: 'authenticated',
      user: { email: 'ann@example.com', display_name: 'ann', roles: ['developer'] },
      message: 'Authentication successful',
    });
    expect(body.session_token).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof (body.user as { user_id: unknown }).user_id).toBe('number');
    const started = stack.noetl.executeBodies().at(-1)!;
    expect(started.path).toBe('api_integration/auth0/auth0_login');
    expect(started.resource_kind).toBe('playbook');
    expect(started.workload).toMatchObject({
      auth0_token: 'valid-ann',
      auth0_refresh_token: '',
      auth0_domain: 'example.eu.auth0.com',
      session_duration_hours: 8,
      request_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      callback_subject: expect.stringMatching(/^noetl\.callbacks\.[0-9a-f-]{36}$/),
    });
    expect(started.workload.gateway_url).toBeUndefined();
  });

  test('a numeric-string user_id from the playbook becomes a number', async () => {
    const response = await stack.post('/api/auth/login', { auth0_token: 'valid-strid-bob' });
    expect(response.status).toBe(200);
    expect(((await response.json()) as { user: { user_id: unknown } }).user.user_id).toEqual(
      expect.any(Number),
    );
  });

  test('a rejected token is 401 with the playbook reason', async () => {
    const response = await stack.post('/api/auth/login', { auth0_token: 'reject' });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: 'Token validation failed: Invalid token signature',
    });
  });

  test('a playbook that never calls back is 503 within one deadline, and the execution is cancelled', async () => {
    const started = Date.now();
    const response = await stack.post('/api/auth/login', { auth0_token: 'never' });
    const elapsed = Date.now() - started;
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      error: 'Login auth playbook did not complete within 1s; auth backend is busy. Please retry.',
    });
    expect(elapsed).toBeLessThan(1900); // one deadline, not two
    const executionId =
      stack.noetl.executeBodies().length && [...stack.noetl.executions.entries()].at(-1)![0];
    await expect
      .poll(() => stack.noetl.cancels().map((request) => request.path))
      .toContain(`/api/executions/${executionId}/cancel`);
    expect(stack.noetl.cancels().at(-1)!.body).toEqual({
      reason: 'Gateway login timed out after 1s',
      cascade: true,
    });
  });

  test('a slow callback inside the deadline still succeeds', async () => {
    const response = await stack.post('/api/auth/login', { auth0_token: 'slow-300-carl' });
    expect(response.status).toBe(200);
  });

  test('NoETL answering an error is 502 with the upstream status in the message', async () => {
    stack.noetl.executeFailure = { status: 500, body: '{"detail":"db down"}' };
    try {
      const response = await stack.post('/api/auth/login', { auth0_token: 'valid-ann' });
      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: string }).error).toBe(
        'Login playbook failed: Execute catalog entry failed (resource_kind=playbook): 500 Internal Server Error - {"detail":"db down"}',
      );
    } finally {
      stack.noetl.executeFailure = undefined;
    }
  });

  test('a missing token field is 422 naming the field', async () => {
    const response = await stack.post('/api/auth/login', { auth0_domain: 'x' });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: string; issues: { path: string[] }[] };
    expect(body.error).toContain('auth0_token');
    expect(body.issues[0]!.path).toEqual(['auth0_token']);
  });
});

test('NoETL down: login is 502', async () => {
  const down = await startStack({ NOETL_BASE_URL: 'http://127.0.0.1:1' });
  try {
    const response = await down.post('/api/auth/login', { auth0_token: 'valid-ann' });
    expect(response.status).toBe(502);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /^Login playbook failed: execute_catalog_entry: send/,
    );
  } finally {
    await down.stop();
  }
});

describe('POST /api/auth/validate', () => {
  test('a valid session', async () => {
    const token = await stack.login('dora');
    const response = await stack.post('/api/auth/validate', { session_token: token });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      valid: true,
      user: { email: 'dora@example.com' },
      message: 'Session is valid',
    });
  });

  test('an unknown token is 200 valid:false with nulls', async () => {
    const response = await stack.post('/api/auth/validate', { session_token: 'f'.repeat(32) });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      valid: false,
      user: null,
      expires_at: null,
      message: 'Session is invalid or expired',
    });
  });

  test('a session minted outside the gateway is validated through the validate playbook', async () => {
    const session = stack.noetl.mintSession({ email: 'eve@example.com' });
    const before = stack.noetl.executeBodies().length;
    const response = await stack.post('/api/auth/validate', { session_token: session.token });
    expect(await response.json()).toMatchObject({ valid: true, user: { email: 'eve@example.com' } });
    const started = stack.noetl.executeBodies().slice(before);
    expect(started.map((body) => body.path)).toEqual(['api_integration/auth0/auth0_validate_session']);
    expect(started[0]!.workload).toMatchObject({ session_token: session.token, db_credential: 'pg_auth' });
  });

  test('an expired session is invalid', async () => {
    const session = stack.noetl.mintSession({ expiresInMs: -1000 });
    const response = await stack.post('/api/auth/validate', { session_token: session.token });
    expect(await response.json()).toMatchObject({ valid: false });
  });

  test('a cached session past its expires_at is not trusted', async () => {
    const session = stack.noetl.mintSession({ expiresInMs: 1500 });
    expect(
      await (await stack.post('/api/auth/validate', { session_token: session.token })).json(),
    ).toMatchObject({ valid: true });
    await new Promise((resolve) => setTimeout(resolve, 1600));
    expect(
      await (await stack.post('/api/auth/validate', { session_token: session.token })).json(),
    ).toMatchObject({ valid: false });
  });
});

describe('POST /api/auth/check-access', () => {
  test('allowed', async () => {
    const token = await stack.login('fay');
    const response = await stack.post('/api/auth/check-access', {
      session_token: token,
      playbook_path: 'demo/hello',
      permission_type: 'execute',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      allowed: true,
      playbook_path: 'demo/hello',
      permission_type: 'execute',
      message: 'Access granted to execute playbook',
      user: { email: 'fay@example.com', user_id: expect.any(Number) },
    });
    expect(stack.noetl.executeBodies().at(-1)!.workload).toMatchObject({
      session_token: token,
      playbook_path: 'demo/hello',
      action: 'execute',
    });
  });

  test('denied', async () => {
    const token = await stack.login('gus');
    const response = await stack.post('/api/auth/check-access', {
      session_token: token,
      playbook_path: 'forbidden/x',
      permission_type: 'execute',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ allowed: false, user: null, message: 'Access denied' });
  });

  test('a backend error status fails closed with 503', async () => {
    const token = await stack.login('hal');
    const response = await stack.post('/api/auth/check-access', {
      session_token: token,
      playbook_path: 'backend-error/x',
      permission_type: 'execute',
    });
    expect(response.status).toBe(503);
    expect(((await response.json()) as { error: string }).error).toContain('Access check failed');
  });
});

describe('session transports and protected routes', () => {
  const execute = (headers: Record<string, string>) =>
    stack.post('/api/playbooks/execute', { path: 'demo/hello' }, headers);

  test('Authorization: Bearer, X-Session-Token and the session_token cookie are all accepted', async () => {
    const token = await stack.login('ivy');
    const transports: Record<string, string>[] = [
      { authorization: `Bearer ${token}` },
      { 'x-session-token': token },
      // A browser sends its page's Origin; the cookie alone is accepted from an allowed one (see
      // test/security/cookieCrossSite.test.ts).
      { cookie: `theme=dark; session_token=${token}`, origin: 'http://localhost:3000' },
    ];
    for (const headers of transports) {
      const response = await execute(headers);
      expect(response.status, JSON.stringify(headers)).toBe(200);
    }
  });

  test('no token → 401 "Missing authentication token"; a bad one → 401 "Invalid or expired session"', async () => {
    const missing = await execute({});
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: 'Missing authentication token' });
    const invalid = await execute({ authorization: `Bearer ${'0'.repeat(32)}` });
    expect(invalid.status).toBe(401);
    expect(await invalid.json()).toMatchObject({ error: 'Invalid or expired session' });
    const basic = await execute({ authorization: 'Basic abc' });
    expect(basic.status).toBe(401);
  });

  test('GraphQL and tRPC routes are protected too', async () => {
    const graphql = await stack.post('/graphql', { query: '{ health }' });
    expect(graphql.status).toBe(401);
    const trpc = await stack.post('/trpc/playbooks.execute', { path: 'demo/hello' });
    expect(trpc.status).toBe(401);
  });
});
