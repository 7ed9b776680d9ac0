/**
 * Attack-pass findings on the two ways to reach NoETL's API through the gateway, replayed over real HTTP
 * against the NoETL double (which records the request-target and headers it received):
 * - GraphQL `proxyRequest` endpoints `"/api/..\\admin\\secret"`, `"/api/.\t./admin"` and `"/api/.\n./x"`
 *   reached the upstream as `/admin/secret`, `/admin` and `/x` (the URL parser turns `\` into `/`, drops
 *   tabs and newlines, then resolves the `..` it made);
 * - `proxyRequest` carried none of the caller's identity headers;
 * - `/noetl/*` decoded at most three times, so a fourth level of `%25` still carried a `..` upstream, and it
 *   let control characters through.
 * Required: one path guard for both (nothing reaches the upstream outside `/api/`), and the caller's
 * identity on `proxyRequest` as on the proxy.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.login('proxy-ann');
});
afterAll(() => stack.stop());

const auth = () => ({ authorization: `Bearer ${token}` });

interface ProxyAnswer {
  success: boolean;
  data: unknown;
  error: string | null;
}

async function proxyRequest(method: string, endpoint: string) {
  const response = await stack.post(
    '/graphql',
    {
      query:
        'mutation Proxy($input: ProxyRequestInput!) { proxyRequest(input: $input) { success data error } }',
      variables: { input: { method, endpoint } },
    },
    auth(),
  );
  const body = (await response.json()) as { data: { proxyRequest: ProxyAnswer } | null; errors?: unknown };
  return { status: response.status, requestId: response.headers.get('x-request-id'), body };
}

/** Requests the double received while `action` ran. */
async function received<T>(action: () => Promise<T>) {
  const before = stack.noetl.requests.length;
  const result = await action();
  return { result, requests: stack.noetl.requests.slice(before) };
}

describe('GraphQL proxyRequest', () => {
  test.each([
    '/api/..\\admin\\secret',
    '/api/.\t./admin',
    '/api/.\n./x',
    '/api/.\r./x',
    '/api/catalog\\..\\..\\admin',
    '/api/%252e%252e/admin',
    '/api/%2525252e%2525252e/admin',
    '/api/a%255cb',
    '/api/a%09b',
    '/api/a\u0000b',
    '/api/a\u007fb',
    '/api/catalog/%2525252e%2525252e%252525252fadmin',
  ])('%j is refused and nothing reaches the upstream', async (endpoint) => {
    const { result, requests } = await received(() => proxyRequest('GET', endpoint));
    expect(result.status).toBe(200);
    expect(result.body.data!.proxyRequest).toMatchObject({ success: false, data: null });
    expect(result.body.data!.proxyRequest.error).toMatch(/path|endpoint/i);
    expect(requests.map((request) => request.target)).toEqual([]);
  });

  test('a plain endpoint reaches the upstream as sent, with the caller’s identity and the request id', async () => {
    const { result, requests } = await received(() => proxyRequest('GET', '/api/echo/a%20b?x=1'));
    expect(result.body.data!.proxyRequest).toMatchObject({ success: true, error: null });
    expect(requests.map((request) => request.target)).toEqual(['/api/echo/a%20b?x=1']);
    const headers = requests[0]!.headers;
    expect(headers['x-user-id']).toMatch(/^\d+$/);
    expect(headers['x-user-email']).toBe('proxy-ann@example.com');
    expect(headers['x-user-roles']).toBe('developer');
    expect(headers['x-request-id']).toBe(result.requestId);
    // The caller's credentials stay at the gateway.
    expect(headers.authorization).toBeUndefined();
  });

  test('the identity headers are the same as the /noetl proxy sends', async () => {
    const viaGraphql = await received(() => proxyRequest('GET', '/api/echo'));
    const viaProxy = await received(() => fetch(`${stack.url}/noetl/echo`, { headers: auth() }));
    const identity = (headers: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('x-user-')));
    expect(identity(viaGraphql.requests[0]!.headers)).toEqual(identity(viaProxy.requests[0]!.headers));
    expect(Object.keys(identity(viaGraphql.requests[0]!.headers)).sort()).toEqual([
      'x-user-email',
      'x-user-id',
      'x-user-roles',
    ]);
  });
});

describe('/noetl/* (the same guard)', () => {
  test.each([
    '/noetl/%2525252e%2525252e/admin',
    '/noetl/%252525252e%252525252e/admin',
    '/noetl/a%09b',
    '/noetl/a%0ab',
    '/noetl/a%7fb',
    '/noetl/a%2525252fb',
  ])('%s → 400, nothing forwarded', async (path) => {
    const { result, requests } = await received(() => fetch(`${stack.url}${path}`, { headers: auth() }));
    expect(result.status).toBe(400);
    expect(await result.json()).toMatchObject({ code: 'BAD_REQUEST' });
    expect(requests).toEqual([]);
  });
});
