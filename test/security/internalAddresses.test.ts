/**
 * Attack-pass finding 9: internal addresses in error bodies. With NoETL unreachable, the transport error's
 * message — `connect ECONNREFUSED 127.0.0.1:<port>` — reached unauthenticated callers (login), `/ready`
 * (`checks.noetl.detail`), execute and GraphQL `proxyRequest` (`api_call: send (...)`). Required: the
 * answer says what failed (and its code), the log says where.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { freePort } from '../support/ports.ts';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
let downPort: number;
const logLines: string[] = [];
beforeAll(async () => {
  downPort = await freePort(); // nothing listens there
  const logger = pino({ level: 'warn' }, { write: (line: string) => void logLines.push(line) });
  stack = await startStack(
    {
      NOETL_BASE_URL: `http://127.0.0.1:${downPort}`,
      // A session without NoETL, to reach the routes behind authentication.
      NODE_ENV: 'test',
      GATEWAY_AUTH_BYPASS: 'true',
    },
    {},
    logger,
  );
});
afterAll(() => stack.stop());

const address = () => new RegExp(`127\\.0\\.0\\.1|:${downPort}\\b|localhost`);
const bearer = { authorization: 'Bearer any-token-in-bypass-mode' };

test('login (no authentication needed) → 502 without the address', async () => {
  const login = await stack.post('/api/auth/login', { auth0_token: 'valid-x' });
  expect(login.status).toBe(502);
  const text = await login.text();
  expect(text).not.toMatch(address());
  expect(JSON.parse(text)).toMatchObject({
    code: 'BAD_GATEWAY',
    error: expect.stringContaining('ECONNREFUSED'),
  });
});

test('/ready → checks.noetl.detail without the address', async () => {
  const ready = await fetch(`${stack.url}/ready`);
  expect(ready.status).toBe(503);
  const text = await ready.text();
  expect(text).not.toMatch(address());
  expect(JSON.parse(text)).toMatchObject({
    reason: 'noetl (NOETL_BASE_URL): unreachable (connection refused)',
    checks: { noetl: { ok: false, detail: 'unreachable (connection refused)' } },
  });
});

test('execute and GraphQL proxyRequest → errors without the address', async () => {
  const execute = await stack.post('/api/playbooks/execute', { path: 'demo/x' }, bearer);
  expect(execute.status).toBe(502);
  expect(await execute.text()).not.toMatch(address());
  const graphql = await stack.post(
    '/graphql',
    { query: 'mutation { proxyRequest(input: {method: "GET", endpoint: "/api/health"}) { success error } }' },
    bearer,
  );
  const text = await graphql.text();
  expect(text).toContain('api_call: send (');
  expect(text).not.toMatch(address());
  const trpc = await stack.post('/trpc/playbooks.execute', { path: 'demo/x' }, bearer);
  expect(await trpc.text()).not.toMatch(address());
});

test('the log keeps where it failed', async () => {
  await stack.post('/api/playbooks/execute', { path: 'demo/x' }, bearer);
  await expect
    .poll(() => logLines.join('\n'))
    .toMatch(new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${downPort}`));
});
