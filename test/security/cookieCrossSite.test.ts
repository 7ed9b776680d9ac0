/**
 * Attack-pass finding 7: cross-site requests riding on the session cookie. A page on any site can make the
 * browser POST `text/plain` (no preflight) to the gateway, and the browser attaches the `session_token`
 * cookie: `/noetl/*` forwarded it to NoETL as the victim. Required: a state-changing request (not
 * GET/HEAD/OPTIONS) authenticated by the cookie alone needs an `Origin` — or, without one, a `Referer` — on
 * CORS_ALLOWED_ORIGINS (or the gateway's own), else 403 FORBIDDEN; for every kind of route (the one
 * Authenticator). Header tokens are unaffected (a browser never adds them by itself).
 * GATEWAY_COOKIE_ORIGIN_CHECK=false turns the check off.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Stack, startStack } from '../support/stack.ts';

const EVIL = 'https://evil.example';
const ALLOWED = 'http://localhost:3000'; // on the default CORS_ALLOWED_ORIGINS

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.login('csrf-ann');
});
afterAll(() => stack.stop());

/** What the victim's browser sends for a cross-site form / fetch(no-cors) POST. */
async function forged(path: string, headers: Record<string, string>, body = '{"path":"demo/forged"}') {
  const before = stack.noetl.requests.length;
  const response = await fetch(`${stack.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', cookie: `session_token=${token}`, ...headers },
    body,
  });
  return {
    status: response.status,
    body: await response.text(),
    reached: stack.noetl.requests.slice(before).map((request) => request.path),
  };
}

describe('cookie-only state-changing requests from a foreign origin', () => {
  test.each([
    ['a foreign Origin', { origin: EVIL }],
    ['Origin: null (sandboxed frame, data: URL)', { origin: 'null' }],
    ['no Origin, a foreign Referer', { referer: `${EVIL}/page.html` }],
    ['neither Origin nor Referer', {}],
    ['a foreign Origin with an allowed Referer', { origin: EVIL, referer: `${ALLOWED}/app` }],
  ])('text/plain POST /noetl/execute with %s → 403, nothing reaches NoETL', async (_name, headers) => {
    const answer = await forged('/noetl/execute', headers);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'FORBIDDEN' });
    expect(answer.reached).toEqual([]);
  });

  test('DELETE, PUT and PATCH through the proxy too', async () => {
    for (const method of ['DELETE', 'PUT', 'PATCH']) {
      const before = stack.noetl.requests.length;
      const response = await fetch(`${stack.url}/noetl/echo`, {
        method,
        headers: { cookie: `session_token=${token}`, origin: EVIL },
      });
      expect(response.status, method).toBe(403);
      expect(stack.noetl.requests.length).toBe(before);
    }
  });

  test('REST, tRPC and GraphQL refuse it the same way', async () => {
    const json = { 'content-type': 'application/json', origin: EVIL };
    expect((await forged('/api/playbooks/execute', json)).status).toBe(403);
    expect((await forged('/trpc/playbooks.execute', json)).status).toBe(403);
    const graphql = await forged(
      '/graphql',
      json,
      '{"query":"mutation { executePlaybook(name: \\"demo/forged\\") { executionId } }"}',
    );
    expect(graphql.status).toBe(403);
    expect(stack.noetl.executeBodies().map((body) => body.path)).not.toContain('demo/forged');
  });
});

describe('what stays allowed', () => {
  test('an allowed Origin, an allowed Referer without Origin, or the gateway’s own origin', async () => {
    expect((await forged('/noetl/echo', { origin: ALLOWED })).status).toBe(200);
    expect((await forged('/noetl/echo', { referer: `${ALLOWED}/app/page` })).status).toBe(200);
    expect((await forged('/noetl/echo', { origin: stack.url })).status).toBe(200);
  });

  test('a token in a header is not a cookie-only request, whatever the Origin', async () => {
    const transports: Record<string, string>[] = [
      { authorization: `Bearer ${token}` },
      { 'x-session-token': token },
    ];
    for (const headers of transports) {
      const response = await fetch(`${stack.url}/noetl/echo`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', cookie: `session_token=${token}`, origin: EVIL, ...headers },
        body: 'x',
      });
      expect(response.status).toBe(200);
    }
  });

  test('GET with the cookie from anywhere (it changes nothing)', async () => {
    const response = await fetch(`${stack.url}/noetl/echo`, {
      headers: { cookie: `session_token=${token}`, origin: EVIL },
    });
    expect(response.status).toBe(200);
  });

  test('GATEWAY_COOKIE_ORIGIN_CHECK=false turns the check off', async () => {
    const open = await startStack({ GATEWAY_COOKIE_ORIGIN_CHECK: 'false' });
    try {
      const session = await open.login('csrf-bob');
      const response = await fetch(`${open.url}/noetl/echo`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', cookie: `session_token=${session}`, origin: EVIL },
        body: 'x',
      });
      expect(response.status).toBe(200);
    } finally {
      await open.stop();
    }
  });
});
