/**
 * Attack-pass finding 13 (smaller ones), replayed over real HTTP:
 * - proxied (NoETL) responses carried no `X-Content-Type-Options: nosniff`: a browser could guess a script
 *   or a page out of bytes served from the gateway's origin;
 * - how deep a JSON body may nest was bounded only by a stack overflow somewhere on the way (a reviver, a
 *   serializer): required, an explicit limit (GATEWAY_MAX_JSON_DEPTH, default 100) answered with a 400
 *   naming it, on every JSON route (REST, tRPC, GraphQL, callbacks);
 * - a request cut at shutdown was logged as `status: 200` (the response's default) although nothing was
 *   answered: required, the log says what really happened.
 */
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
let token: string;
const logLines: string[] = [];
beforeAll(async () => {
  const logger = pino({ level: 'info' }, { write: (line: string) => void logLines.push(line) });
  stack = await startStack({ LOG_LEVEL: 'info' }, {}, logger);
  token = await stack.login('small-ann');
});
afterAll(() => stack.stop());

const bearer = () => ({ authorization: `Bearer ${token}` });

describe('X-Content-Type-Options on proxied responses', () => {
  test('every NoETL answer relayed by /noetl/* says nosniff, once, whatever NoETL said', async () => {
    for (const path of ['/noetl/echo', '/noetl/hop-headers', '/noetl/status/404']) {
      const response = await fetch(`${stack.url}${path}`, { headers: bearer() });
      expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
    }
  });
});

describe('JSON nesting limit', () => {
  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
  /** An execute body whose deepest value sits `depth` levels down (the body object is level 1). */
  const executeBody = (depth: number) => `{"path":"demo/deep","workload":{"v":${nested(depth - 2)}}}`;

  test('100 levels pass; 101 → 400 naming the limit, nothing started', async () => {
    expect((await stack.post('/api/playbooks/execute', executeBody(100), bearer())).status).toBe(200);
    const before = stack.noetl.executeBodies().length;
    const response = await stack.post('/api/playbooks/execute', executeBody(101), bearer());
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: expect.stringMatching(/deeper than 100 levels \(GATEWAY_MAX_JSON_DEPTH\)/),
      code: 'BAD_REQUEST',
    });
    expect(stack.noetl.executeBodies()).toHaveLength(before);
  });

  test('a body nested 500,000 deep is a 400, not a stack overflow (500) with a logged stack trace', async () => {
    const deep = `{"path":"demo/deep","workload":${nested(500_000)}}`;
    for (const path of [
      '/api/playbooks/execute',
      '/trpc/playbooks.execute',
      '/graphql',
      '/api/internal/callback',
    ]) {
      const response = await stack.post(path, deep, bearer());
      expect(response.status, path).toBe(400);
      expect(await response.text(), path).toContain('GATEWAY_MAX_JSON_DEPTH');
    }
    expect(logLines.filter((line) => (JSON.parse(line) as { level: number }).level >= 50)).toEqual([]);
  });

  test('brackets inside strings do not count', async () => {
    const response = await stack.post(
      '/api/playbooks/execute',
      { path: 'demo/deep', workload: { text: '['.repeat(1000) } },
      bearer(),
    );
    expect(response.status).toBe(200);
  });

  test('GATEWAY_MAX_JSON_DEPTH sets the limit', async () => {
    const strict = await startStack({ GATEWAY_MAX_JSON_DEPTH: '5' });
    try {
      const session = await strict.login('small-bob');
      const auth = { authorization: `Bearer ${session}` };
      expect((await strict.post('/api/playbooks/execute', executeBody(5), auth)).status).toBe(200);
      const refused = await strict.post('/api/playbooks/execute', executeBody(6), auth);
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain('deeper than 5 levels');
    } finally {
      await strict.stop();
    }
  });
});

test('a request cut at shutdown is logged as unanswered, not as a 200', async () => {
  const lines: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
  const cut = await startStack({ LOG_LEVEL: 'info' }, {}, logger);
  try {
    const session = await cut.login('small-cid');
    cut.noetl.executeDelayMs = 10_000; // NoETL never answers in time
    const inFlight = fetch(`${cut.url}/api/playbooks/execute`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${session}`,
        'x-request-id': 'cut-me',
      },
      body: '{"path":"demo/slow"}',
    }).catch((error: unknown) => error);
    await expect.poll(() => cut.noetl.requestsTo('/api/execute').length).toBeGreaterThan(1);
    await cut.gateway.stop(50); // grace over: in-flight requests are cut
    expect(await inFlight).toBeInstanceOf(Error);
    const entry = () =>
      lines
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .find((logged) => logged.msg === 'request' && logged.req_id === 'cut-me');
    await expect.poll(entry).toBeDefined();
    expect(entry()).toMatchObject({ status: null, aborted: true, outcome: 'closed_without_response' });
  } finally {
    await cut.noetl.stop();
  }
});
