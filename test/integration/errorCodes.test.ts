/**
 * One error vocabulary: the same failure carries the same `code` on REST, GraphQL, `/events`, `/noetl/*`
 * and tRPC (where the transport can produce it at all), and the status that code stands for.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ERROR_STATUS, type ErrorCode } from '../../src/contract/index.ts';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
let ann: string;
let bob: string;
beforeAll(async () => {
  stack = await startStack({
    GATEWAY_MAX_BODY_BYTES: '2048',
    GATEWAY_PROXY_MAX_BODY_BYTES: '2048',
    GATEWAY_LOGIN_RATE_LIMIT_PER_MIN: '1000',
  });
  ann = await stack.login('ann');
  bob = await stack.login('bob');
});
afterAll(() => stack.stop());

/** The code of any error answer: ErrorBody, tRPC's error shape (single or batch), or GraphQL's errors. */
function codeOf(body: unknown): string | undefined {
  const value = Array.isArray(body) ? body[0] : body;
  const record = value as Record<string, unknown>;
  if (typeof record?.code === 'string') return record.code;
  const trpc = (record?.error as { data?: { code?: string } } | undefined)?.data?.code;
  if (trpc) return trpc;
  return (record?.errors as { extensions?: { code?: string } }[] | undefined)?.[0]?.extensions?.code;
}

interface Answer {
  status: number;
  code: string | undefined;
}

async function answer(path: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(`${stack.url}${path}`, init);
  const text = await response.text();
  return { status: response.status, code: codeOf(text ? JSON.parse(text) : undefined) };
}

const json = (body: unknown, token?: string, type = 'application/json'): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const rest = (path: string, body: unknown, token?: string) => answer(path, json(body, token));
const trpc = (procedure: string, input: unknown, token?: string) =>
  answer(`/trpc/${procedure}`, json(input, token));
const graphql = (query: string, token?: string) => answer('/graphql', json({ query }, token));
const executeMutation = (name: string, clientId?: string) =>
  `mutation { executePlaybook(name: "${name}"${clientId ? `, clientId: "${clientId}"` : ''}) { executionId } }`;

function expectAll(
  code: ErrorCode,
  answers: Record<string, Answer>,
  graphqlStatus: number = ERROR_STATUS[code],
): void {
  for (const [transport, got] of Object.entries(answers)) {
    expect(got.code, transport).toBe(code);
    expect(got.status, transport).toBe(transport === 'graphql' ? graphqlStatus : ERROR_STATUS[code]);
  }
}

describe('one code per failure on every transport', () => {
  test('UNAUTHORIZED: no session', async () => {
    expectAll('UNAUTHORIZED', {
      rest: await rest('/api/playbooks/execute', { path: 'demo/hello' }),
      trpc: await trpc('playbooks.execute', { path: 'demo/hello' }),
      graphql: await graphql(executeMutation('demo/hello')),
      events: await answer('/events'),
      noetl: await answer('/noetl/catalog/list'),
    });
  });

  test('FORBIDDEN: a client_id of another session', async () => {
    const events = await stack.events(ann, { client_id: 'ann-tab' });
    await events.waitForEvent('message');
    events.close();
    expectAll(
      'FORBIDDEN',
      {
        rest: await rest('/api/playbooks/execute', { path: 'demo/hello', client_id: 'ann-tab' }, bob),
        trpc: await trpc('playbooks.execute', { path: 'demo/hello', client_id: 'ann-tab' }, bob),
        graphql: await graphql(executeMutation('demo/hello', 'ann-tab'), bob),
        events: await answer(`/events?client_id=ann-tab&session_token=${bob}`),
      },
      200,
    );
  });

  test('NOT_FOUND: an unknown playbook, route or procedure', async () => {
    expectAll(
      'NOT_FOUND',
      {
        rest: await rest('/api/playbooks/execute', { path: 'missing/x' }, ann),
        trpc: await trpc('playbooks.execute', { path: 'missing/x' }, ann),
        graphql: await graphql(executeMutation('missing/x'), ann),
        noetl: await answer('/noetl/', { headers: { authorization: `Bearer ${ann}` } }),
        route: await answer('/api/nothing/here'),
        procedure: await trpc('nothing.here', {}, ann),
      },
      200,
    );
  });

  test('BAD_GATEWAY: NoETL fails', async () => {
    expectAll(
      'BAD_GATEWAY',
      {
        rest: await rest('/api/playbooks/execute', { path: 'broken/x' }, ann),
        trpc: await trpc('playbooks.execute', { path: 'broken/x' }, ann),
        graphql: await graphql(executeMutation('broken/x'), ann),
      },
      200,
    );
  });

  test('UNPROCESSABLE_CONTENT: valid JSON of the wrong shape', async () => {
    expectAll(
      'UNPROCESSABLE_CONTENT',
      {
        rest: await rest('/api/playbooks/execute', { path: 42 }, ann),
        trpc: await trpc('playbooks.execute', { path: 42 }, ann),
        graphql: await graphql(executeMutation('demo/hello', 'not a client id!'), ann),
      },
      200,
    );
  });

  test('PAYLOAD_TOO_LARGE: a body over the limit', async () => {
    const big = { path: 'demo/hello', workload: { blob: 'x'.repeat(4096) } };
    expectAll('PAYLOAD_TOO_LARGE', {
      rest: await rest('/api/playbooks/execute', big, ann),
      trpc: await trpc('playbooks.execute', big, ann),
      graphql: await answer('/graphql', json({ query: `{ health } # ${'x'.repeat(4096)}` }, ann)),
      noetl: await answer('/noetl/catalog/register', json(big, ann)),
    });
  });

  test('UNSUPPORTED_MEDIA_TYPE: a body that is not JSON', async () => {
    expectAll('UNSUPPORTED_MEDIA_TYPE', {
      rest: await answer('/api/playbooks/execute', json('path=x', ann, 'text/plain')),
      trpc: await answer('/trpc/playbooks.execute', json('path=x', ann, 'text/plain')),
      graphql: await answer('/graphql', json('{ health }', ann, 'text/plain')),
    });
  });

  test('PARSE_ERROR: malformed JSON', async () => {
    expectAll('PARSE_ERROR', {
      rest: await answer('/api/playbooks/execute', json('{"path":', ann)),
      graphql: await answer('/graphql', json('{"query":', ann)),
    });
  });

  test('METHOD_NOT_SUPPORTED: a known path with another method', async () => {
    expectAll('METHOD_NOT_SUPPORTED', {
      rest: await answer('/api/playbooks/execute'),
      trpc: await answer('/trpc/playbooks.execute?input=%7B%7D', {
        headers: { authorization: `Bearer ${ann}` },
      }),
    });
  });

  test('a method no route has (QUERY) is 405 with Allow before any body is read, and never reaches NoETL', async () => {
    const query = (path: string) =>
      fetch(`${stack.url}${path}`, {
        method: 'QUERY',
        headers: { authorization: `Bearer ${ann}` },
        body: 'not read',
      });
    const health = await query('/health');
    expect(health.status).toBe(405);
    expect(health.headers.get('allow')).toBe('GET, HEAD');
    expect(await health.json()).toMatchObject({ code: 'METHOD_NOT_SUPPORTED' });
    const proxied = await query('/noetl/catalog/list');
    expect(proxied.status).toBe(405);
    expect(proxied.headers.get('allow')).toBe('GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS');
    expect(await proxied.json()).toMatchObject({ code: 'METHOD_NOT_SUPPORTED' });
    expect(stack.noetl.requests.filter((request) => request.method === 'QUERY')).toEqual([]);
  });

  test('Allow names the methods of the concrete path, not of a templated one that also matches', async () => {
    // DELETE /api/subscriptions/{subscription_id} matches the text too; the document lists POST only here.
    const response = await fetch(`${stack.url}/api/subscriptions/firestore`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ann}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});

describe('limits', () => {
  let limited: Stack;
  beforeAll(async () => {
    limited = await startStack({ GATEWAY_LOGIN_RATE_LIMIT_PER_MIN: '1', GATEWAY_MAX_SSE_PER_SESSION: '1' });
  });
  afterAll(() => limited.stop());

  test('TOO_MANY_REQUESTS: the login limit on REST and tRPC, the stream limit on /events', async () => {
    const token = await limited.login('cy');
    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${limited.url}${path}`, json(body));
      return {
        status: response.status,
        code: codeOf(await response.json()),
        retryAfter: response.headers.get('retry-after'),
      };
    };
    const restLogin = await post('/api/auth/login', { auth0_token: 'valid-cy' });
    const trpcLogin = await post('/trpc/auth.login', { auth0_token: 'valid-cy' });
    const stream = await limited.events(token);
    await stream.waitForEvent('message');
    const second = await fetch(`${limited.url}/events?session_token=${token}`);
    const events = { status: second.status, code: codeOf(await second.json()) };
    stream.close();
    for (const got of [restLogin, trpcLogin, events]) {
      expect(got.status).toBe(429);
      expect(got.code).toBe('TOO_MANY_REQUESTS');
    }
    expect(Number(restLogin.retryAfter)).toBeGreaterThan(0);
  });
});
