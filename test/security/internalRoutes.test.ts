/**
 * Internal routes are isolated by structure: with GATEWAY_INTERNAL_PORT set the public listener does not
 * have them in any spelling (404); without it, every spelling that reaches one needs the bearer (401).
 * Replays the spellings an outside attack used to forge a result into another user's stream.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../support/ports.ts';
import { type Stack, startStack } from '../support/stack.ts';

const TOKEN = 'internal-secret';
const body = JSON.stringify({ request_id: 'forged', status: 'COMPLETED', data: { forged: true } });
const batchBody = JSON.stringify({ 0: { path: 'x' }, 1: { request_id: 'forged' } });

/** Each spelling of an internal call the attack used, as [method, path, body]. */
const SPELLINGS: [string, string, string | undefined][] = [
  ['POST', '/api/internal/callback/async', body],
  ['POST', '/api/internal/progress', body],
  ['POST', '/API/Internal/Progress', body],
  ['POST', '/api//internal/progress', body],
  ['POST', '/api/internal/%70rogress', body],
  ['POST', '/trpc/internal.callbackAsync', body],
  ['POST', '/Trpc/internal.callbackAsync', body],
  ['POST', '/trpc//internal.progress', body],
  ['POST', '/trpc/%69nternal.progress', body],
  ['POST', '/trpc/internal%2Eprogress', body],
  ['POST', '/trpc/playbooks.execute,internal.progress?batch=1', batchBody],
  [
    'POST',
    '/trpc/internal.callback',
    JSON.stringify({ request_id: 'login-1', data: { session_token: 'mine' } }),
  ],
];

async function call(base: string, method: string, path: string, payload: string | undefined) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: payload,
  });
  return { status: response.status, text: await response.text() };
}

describe('with GATEWAY_INTERNAL_PORT', () => {
  let stack: Stack;
  let internalUrl: string;
  beforeAll(async () => {
    const port = await freePort();
    internalUrl = `http://127.0.0.1:${port}`;
    stack = await startStack({
      GATEWAY_INTERNAL_PORT: String(port),
      NOETL_INTERNAL_API_TOKEN: TOKEN,
      GATEWAY_REQUIRE_INTERNAL_TOKEN: 'true',
    });
  });
  afterAll(() => stack.stop());

  test.each(SPELLINGS)('%s %s is 404 on the public listener', async (method, path, payload) => {
    const answer = await call(stack.url, method, path, payload);
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toMatchObject({ code: 'NOT_FOUND' });
  });

  test('HEAD of an internal route is 404 on the public listener', async () => {
    for (const path of ['/api/internal/progress', '/trpc/internal.progress'])
      expect((await call(stack.url, 'HEAD', path, undefined)).status).toBe(404);
  });

  test('the internal listener serves them, with the bearer', async () => {
    const refused = await call(internalUrl, 'POST', '/api/internal/progress', body);
    expect(refused.status).toBe(401);
    const response = await fetch(`${internalUrl}/api/internal/progress`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body,
    });
    // Authenticated, and the forged request id is simply unknown.
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ code: 'NOT_FOUND', error: 'Request not found' });
  });

  test('the internal listener has no public route', async () => {
    for (const path of [
      '/api/playbooks/execute',
      '/graphql',
      '/noetl/catalog/list',
      '/trpc/playbooks.execute',
    ])
      expect((await call(internalUrl, 'POST', path, '{}')).status).toBe(404);
    expect((await call(internalUrl, 'GET', '/events', undefined)).status).toBe(404);
    expect((await call(internalUrl, 'GET', '/health', undefined)).status).toBe(200);
  });
});

describe('without GATEWAY_INTERNAL_PORT, with GATEWAY_REQUIRE_INTERNAL_TOKEN', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ NOETL_INTERNAL_API_TOKEN: TOKEN, GATEWAY_REQUIRE_INTERNAL_TOKEN: 'true' });
  });
  afterAll(() => stack.stop());

  test.each(SPELLINGS)('%s %s is 401 without the bearer', async (method, path, payload) => {
    const answer = await call(stack.url, method, path, payload);
    expect(answer.status).toBe(401);
    expect(answer.text).toContain('UNAUTHORIZED');
  });

  test('HEAD never reaches an internal route', async () => {
    for (const path of ['/api/internal/progress', '/trpc/internal.progress'])
      expect((await call(stack.url, 'HEAD', path, undefined)).status).toBeGreaterThanOrEqual(400);
  });
});
