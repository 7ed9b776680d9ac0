import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ GATEWAY_MAX_BODY_BYTES: '4096' });
});
afterAll(() => stack.stop());

test('malformed JSON → 400 JSON error', async () => {
  const response = await stack.post('/api/auth/validate', '{"session_token": ');
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({
    code: 'PARSE_ERROR',
    error: expect.stringMatching(/^Failed to parse the request body as JSON/),
  });
});

test('wrong types and missing fields → 422 naming each field', async () => {
  const response = await stack.post('/api/internal/callback/async', { request_id: 42, status: ['x'] });
  expect(response.status).toBe(422);
  const body = (await response.json()) as { error: string; issues: { path: string[] }[] };
  expect(body.issues.map((issue) => issue.path.join('.'))).toEqual(['request_id', 'status']);
  expect(body.error).toContain('request_id');
});

test('a JSON array or scalar instead of an object → 422', async () => {
  expect((await stack.post('/api/auth/login', '[1,2]')).status).toBe(422);
  expect((await stack.post('/api/auth/login', '"x"')).status).toBe(422);
});

test('oversize body → 413 JSON', async () => {
  const response = await stack.post('/api/internal/progress', {
    request_id: 'x',
    message: 'y'.repeat(10_000),
  });
  expect(response.status).toBe(413);
  expect(await response.json()).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
});

test('not JSON → 415', async () => {
  const response = await fetch(`${stack.url}/api/auth/validate`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: 'x',
  });
  expect(response.status).toBe(415);
  expect(await response.json()).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
});

test('numeric execution ids (even beyond 2^53) are accepted in callbacks', async () => {
  const response = await stack.post(
    '/api/internal/callback',
    '{"request_id": "none", "execution_id": 635758340626186455, "status": "success"}',
  );
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({
    delivered: false,
    message: 'No pending request found for this request_id',
  });
});

test('unknown path → 404 JSON; known path with the wrong method → 405 with Allow', async () => {
  const missing = await fetch(`${stack.url}/nope`);
  expect(missing.status).toBe(404);
  expect(await missing.json()).toMatchObject({ error: 'Not found' });
  const wrong = await fetch(`${stack.url}/api/auth/login`);
  expect(wrong.status).toBe(405);
  expect(wrong.headers.get('allow')).toBe('POST');
});

test('health, openapi and docs', async () => {
  const health = await fetch(`${stack.url}/health`);
  expect(health.headers.get('content-type')).toMatch(/^text\/plain/);
  expect(await health.text()).toBe('ok');
  const openapi = (await (await fetch(`${stack.url}/openapi.json`)).json()) as {
    paths: Record<string, unknown>;
  };
  expect(Object.keys(openapi.paths)).toContain('/api/auth/login');
  const docs = await fetch(`${stack.url}/docs`);
  expect(await docs.text()).toContain('/docs/scalar.js');
  expect((await fetch(`${stack.url}/docs/scalar.js`)).status).toBe(200);
});

test('errors never carry a stack trace', async () => {
  const response = await stack.post('/api/auth/login', { auth0_token: 5 });
  expect(JSON.stringify(await response.json())).not.toMatch(/stack|at .*\.ts/);
});
