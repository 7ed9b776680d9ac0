/**
 * Attack-pass finding 12: numbers changed in transit. A workload's numbers reached NoETL altered: big
 * integers as strings (`12345678901234567890` → `"12345678901234567890"`), `1e400` as null, `1e-400` as 0
 * (and `1.0` as `1`, an int to NoETL's Python). Required: the workload reaches NoETL exactly as the caller
 * wrote it — REST, tRPC, GraphQL variables and literals — while ids given as numbers beyond 2^53 keep
 * working. Also `Last-Event-ID` sequences beyond 2^53 were read as a rounded double (a resume skipped
 * frames); they must be compared exactly. Replayed over real HTTP; the NoETL double records the raw bytes.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { metricValue } from '../support/metrics.ts';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack();
  token = await stack.login('numbers-ann');
});
afterAll(() => stack.stop());

const bearer = () => ({ authorization: `Bearer ${token}` });

/** Numbers a double does not keep as written, each as the caller writes it. */
const WRITTEN = {
  big: '12345678901234567890',
  snowflake: '9007199254740993',
  negativeBig: '-98765432109876543210',
  huge: '1e400',
  tiny: '1e-400',
  float: '1.0',
  exponent: '1E5',
  precise: '0.1000000000000000055511151231257827',
  negativeZero: '-0',
};
const WORKLOAD = `{${Object.entries(WRITTEN)
  .map(([key, text]) => `"${key}":${text}`)
  .join(',')},"list":[${WRITTEN.big},${WRITTEN.huge}],"plain":42,"half":0.5}`;

/** The raw bytes NoETL received on its last /api/execute. */
function lastExecuteBody(): string {
  return stack.noetl.requestsTo('/api/execute').at(-1)!.rawBody.toString('utf8');
}

function expectExact(body: string): void {
  for (const [key, text] of Object.entries(WRITTEN)) expect(body).toContain(`"${key}":${text}`);
  expect(body).toContain(`"list":[${WRITTEN.big},${WRITTEN.huge}]`);
  expect(body).toContain('"plain":42');
  expect(body).toContain('"half":0.5');
}

describe('a workload reaches NoETL as written', () => {
  test('REST /api/playbooks/execute', async () => {
    const response = await stack.post(
      '/api/playbooks/execute',
      `{"path":"demo/numbers","workload":${WORKLOAD}}`,
      bearer(),
    );
    expect(response.status).toBe(200);
    expectExact(lastExecuteBody());
  });

  test('REST with a client_id (request_id and gateway_url injected beside the numbers)', async () => {
    const events = await stack.events(token);
    await events.waitForEvent('message');
    const response = await stack.post(
      '/api/playbooks/execute',
      `{"path":"demo/numbers","client_id":"${events.clientId}","workload":${WORKLOAD}}`,
      bearer(),
    );
    expect(response.status).toBe(200);
    const body = lastExecuteBody();
    expectExact(body);
    expect(body).toContain('"request_id":"');
    events.close();
  });

  test('REST rerun', async () => {
    const started = await stack.post('/api/playbooks/execute', { path: 'demo/numbers' }, bearer());
    const { execution_id } = (await started.json()) as { execution_id: string };
    // The execution id as a JSON number beyond 2^53 still names the execution.
    const response = await stack.post(
      '/api/playbooks/rerun',
      `{"execution_id":${execution_id},"workload":${WORKLOAD}}`,
      bearer(),
    );
    expect(response.status).toBe(200);
    const rerun = stack.noetl.requestsTo(`/api/executions/${execution_id}/rerun`).at(-1)!;
    expectExact(rerun.rawBody.toString('utf8'));
  });

  test('tRPC playbooks.execute', async () => {
    const response = await stack.post(
      '/trpc/playbooks.execute',
      `{"path":"demo/numbers","workload":${WORKLOAD}}`,
      bearer(),
    );
    expect(response.status).toBe(200);
    expectExact(lastExecuteBody());
  });

  test('GraphQL executePlaybook: variables and literals', async () => {
    const variables = await stack.post(
      '/graphql',
      `{"query":"mutation($v: JSON) { executePlaybook(name: \\"demo/numbers\\", variables: $v) { executionId } }","variables":{"v":${WORKLOAD}}}`,
      bearer(),
    );
    expect(((await variables.json()) as { errors?: unknown }).errors).toBeUndefined();
    expectExact(lastExecuteBody());

    const literal = Object.entries(WRITTEN)
      .map(([key, text]) => `${key}: ${text}`)
      .join(', ');
    const inline = await stack.post(
      '/graphql',
      {
        query: `mutation { executePlaybook(name: "demo/numbers", variables: {${literal}, list: [${WRITTEN.big}, ${WRITTEN.huge}], plain: 42, half: 0.5}) { executionId } }`,
      },
      bearer(),
    );
    expect(((await inline.json()) as { errors?: unknown }).errors).toBeUndefined();
    expectExact(lastExecuteBody());
  });

  test('a worker’s progress written as 50.0 and numeric ids beyond 2^53 are still read as numbers and ids', async () => {
    const events = await stack.events(token);
    await events.waitForEvent('message');
    const started = (await (
      await stack.post(
        '/api/playbooks/execute',
        { path: 'demo/numbers', client_id: events.clientId },
        bearer(),
      )
    ).json()) as { request_id: string; execution_id: string };
    const progress = await stack.post(
      '/api/internal/progress',
      `{"request_id":"${started.request_id}","execution_id":${started.execution_id},"progress":50.0}`,
    );
    expect(progress.status).toBe(200);
    const frame = await events.waitForEvent('playbook/progress');
    expect(frame.json.params).toMatchObject({ progress: 50, executionId: started.execution_id });
    events.close();
  });
});

describe('Last-Event-ID sequences beyond 2^53', () => {
  test('are not rounded into a sequence that skips the frames the client has not seen', async () => {
    const events = await stack.events(token);
    await events.waitForEvent('message');
    const clientId = events.clientId;
    const started = (await (
      await stack.post('/api/playbooks/execute', { path: 'demo/resume', client_id: clientId }, bearer())
    ).json()) as { request_id: string };
    events.close();
    // The server has noticed the closed stream once no stream is open.
    await expect.poll(() => metricValue(stack.url, 'noetl_gateway_sse_connections')).toBe(0);
    const callback = await stack.post('/api/internal/callback/async', {
      request_id: started.request_id,
      data: { answer: 42 },
    });
    expect(callback.status).toBe(202);

    // 9007199254740993 read as a double is 9007199254740992: every frame would count as seen.
    const resumed = await stack.events(token, {}, { 'last-event-id': `${clientId}:9007199254740993` });
    await resumed.waitForEvent('message');
    expect(resumed.clientId).toBe(clientId);
    const result = await resumed.waitForEvent('playbook/result');
    expect(result.json.params).toMatchObject({ requestId: started.request_id, data: { answer: 42 } });
    resumed.close();
  });
});
