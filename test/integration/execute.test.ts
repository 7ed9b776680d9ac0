import { createTRPCClient, httpLink } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { AppRouter } from '../../src/api/router.ts';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
let token: string;
beforeAll(async () => {
  stack = await startStack({}, { numericExecutionIds: true });
  token = await stack.login();
});
afterAll(() => stack.stop());

const auth = () => ({ authorization: `Bearer ${token}` });

async function graphql(query: string, variables?: Record<string, unknown>) {
  const response = await stack.post('/graphql', { query, variables }, auth());
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: (await response.json()) as {
      data: Record<string, Record<string, unknown>> | null;
      errors?: { message: string }[];
    },
  };
}

async function clientId(): Promise<string> {
  const events = await stack.events(token);
  await events.waitForEvent('message');
  events.close();
  return events.clientId;
}

describe('REST POST /api/playbooks/execute', () => {
  test('without client_id: started, nothing injected, numeric snowflake kept exact', async () => {
    const response = await stack.post(
      '/api/playbooks/execute',
      { path: 'demo/hello', workload: { a: 1 } },
      auth(),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toEqual({
      execution_id: expect.stringMatching(/^\d{18}$/),
      request_id: null,
      name: 'demo/hello',
      status: 'started',
    });
    expect(stack.noetl.executions.has(String(body.execution_id))).toBe(true);
    expect(stack.noetl.executeBodies().at(-1)).toEqual({
      path: 'demo/hello',
      workload: { a: 1 },
      resource_kind: 'playbook',
    });
  });

  test('agent resource kind is passed through', async () => {
    await stack.post('/api/playbooks/execute', { path: 'agents/travel', resource_kind: 'agent' }, auth());
    expect(stack.noetl.executeBodies().at(-1)).toEqual({
      path: 'agents/travel',
      workload: {},
      resource_kind: 'agent',
    });
  });

  test('an upstream 404 is 404 naming it; an upstream 500 is 502', async () => {
    const broken = await stack.post('/api/playbooks/execute', { path: 'broken/x' }, auth());
    expect(broken.status).toBe(502);
    const response = await stack.post('/api/playbooks/execute', { path: 'missing/x' }, auth());
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: string }).error).toMatch(
      /^Execute catalog entry failed \(resource_kind=playbook\): 404 Not Found - /,
    );
  });

  test('rerun', async () => {
    const first = (await (
      await stack.post('/api/playbooks/execute', { path: 'demo/hello' }, auth())
    ).json()) as { execution_id: string };
    const response = await stack.post(
      '/api/playbooks/rerun',
      { execution_id: first.execution_id, workload: { b: 2 } },
      auth(),
    );
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ execution_id: expect.any(String), name: 'demo/hello' });
    expect(stack.noetl.requestsTo(`/api/executions/${first.execution_id}/rerun`).at(-1)!.body).toEqual({
      workload: { b: 2 },
      resource_kind: 'playbook',
    });
  });
});

test('tRPC playbooks.execute with a typed client', async () => {
  const client = createTRPCClient<AppRouter>({
    links: [httpLink({ url: `${stack.url}/trpc`, headers: auth })],
  });
  const id = await clientId();
  const started = await client.playbooks.execute.mutate({
    path: 'demo/hello',
    workload: { x: true },
    client_id: id,
  });
  expect(started.request_id).toMatch(/^[0-9a-f-]{36}$/);
  expect(stack.noetl.executeBodies().at(-1)!.workload).toMatchObject({
    x: true,
    request_id: started.request_id,
    gateway_url: stack.url,
  });
  await expect(client.playbooks.execute.mutate({ path: '' })).rejects.toThrow(/path/);
});

describe('GraphQL (the exact texts the SPAs send)', () => {
  const SPA_MUTATION = `mutation ExecutePlaybook($name: String!, $vars: JSON, $clientId: String) {
  executePlaybook(name: $name, variables: $vars, clientId: $clientId) {
    id
    executionId
    requestId
    name
    status
  }
}`;

  test('GUI/Travel/gateway_ui mutation with a clientId: request stored, result pushed', async () => {
    const id = await clientId();
    const events = await stack.events(token, { client_id: id });
    await events.waitForEvent('message');
    const { status, type, body } = await graphql(SPA_MUTATION, {
      name: 'automation/agents/travel/runtime',
      vars: { query: 'Paris' },
      clientId: id,
    });
    expect(status).toBe(200);
    expect(type).toContain('application/graphql-response+json');
    const result = body.data!.executePlaybook!;
    expect(result).toEqual({
      id: result.executionId,
      executionId: expect.stringMatching(/^\d{18}$/),
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'automation/agents/travel/runtime',
      status: 'started',
    });
    expect(stack.noetl.executeBodies().at(-1)!.workload).toEqual({
      query: 'Paris',
      request_id: result.requestId,
      gateway_url: stack.url,
    });
    const callback = await stack.post('/api/internal/callback/async', {
      request_id: result.requestId,
      status: 'COMPLETED',
      data: { summary: 'Trip' },
    });
    expect(callback.status).toBe(200);
    const frame = await events.waitForEvent('playbook/result');
    expect(frame.json.params).toMatchObject({
      requestId: result.requestId,
      executionId: result.executionId,
      data: { summary: 'Trip' },
    });
    events.close();
  });

  test('the same mutation without clientId: requestId null, nothing injected', async () => {
    const { body } = await graphql(SPA_MUTATION, { name: 'demo/hello', vars: { q: 1 }, clientId: null });
    expect(body.data!.executePlaybook!.requestId).toBeNull();
    expect(stack.noetl.executeBodies().at(-1)!.workload).toEqual({ q: 1 });
  });

  test('React example variant ($variables, fields in another order)', async () => {
    const { body } = await graphql(
      'mutation ExecuteAmadeus($name: String!, $variables: JSON, $clientId: String) { executePlaybook(name: $name, variables: $variables, clientId: $clientId) { id executionId status requestId name } }',
      { name: 'api_integration/amadeus_ai_api', variables: { query: 'x' }, clientId: null },
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.executePlaybook).toMatchObject({ status: 'started', requestId: null });
  });

  test('gateway_ui fallback reads textOutput (null)', async () => {
    const { body } = await graphql(
      'mutation ExecuteAmadeus($name: String!, $vars: JSON) { executePlaybook(name: $name, variables: $vars) { id executionId textOutput } }',
      { name: 'demo/hello', vars: {} },
    );
    expect(body.data!.executePlaybook!.textOutput).toBeNull();
  });

  test('docs variants: inline literal and $vars: JSON!', async () => {
    const inline = await graphql(
      'mutation { executePlaybook(name: "my_playbook", variables: {a: [1, "b"]}) { executionId } }',
    );
    expect(inline.body.data!.executePlaybook!.executionId).toMatch(/^\d+$/);
    expect(stack.noetl.executeBodies().at(-1)!.workload).toEqual({ a: [1, 'b'] });
    const required = await graphql(
      'mutation Run($vars: JSON!) { executePlaybook(name: "demo/hello", variables: $vars) { executionId status } }',
      { vars: {} },
    );
    expect(required.body.errors).toBeUndefined();
  });

  test('an upstream 404 surfaces in errors[0].message (the GUI matches /404/)', async () => {
    const { status, body } = await graphql(SPA_MUTATION, { name: 'missing/user_management', vars: {} });
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors![0]!.message).toMatch(/404 Not Found - .*Playbook not found/);
  });

  test("another session's clientId is refused", async () => {
    const other = await stack.login('mallory');
    const events = await stack.events(other);
    await events.waitForEvent('message');
    const { body } = await graphql(SPA_MUTATION, { name: 'demo/hello', vars: {}, clientId: events.clientId });
    expect(body.errors![0]!.message).toBe('client_id belongs to another session');
    events.close();
  });

  test('health, version, rerunExecution, proxyRequest', async () => {
    const { body } = await graphql('{ health version }');
    expect(body.data).toEqual({ health: 'ok', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    const started = await graphql('mutation { executePlaybook(name: "demo/hello") { executionId } }');
    const executionId = started.body.data!.executePlaybook!.executionId as string;
    const rerun = await graphql(
      `mutation { rerunExecution(executionId: "${executionId}", variables: {x: 1}) { executionId name } }`,
    );
    expect(rerun.body.data!.rerunExecution).toMatchObject({ name: 'demo/hello' });
    const proxied = await graphql(
      `mutation { proxyRequest(input: {method: "get", endpoint: "/api/executions/${executionId}/status"}) { success data error } }`,
    );
    expect(proxied.body.data!.proxyRequest).toMatchObject({
      success: true,
      error: null,
      data: { execution_id: executionId },
    });
    const escaped = await graphql(
      'mutation { proxyRequest(input: {method: "GET", endpoint: "/api/../admin"}) { success error } }',
    );
    expect(escaped.body.data!.proxyRequest).toMatchObject({ success: false });
    const failed = await graphql(
      'mutation { proxyRequest(input: {method: "GET", endpoint: "/api/status/500"}) { success error } }',
    );
    expect(failed.body.data!.proxyRequest!.error).toMatch(/^API call failed: 500/);
  });

  test('batched requests and malformed requests', async () => {
    const batch = await stack.post('/graphql', [{ query: '{ health }' }, { query: '{ version }' }], auth());
    expect(await batch.json()).toEqual([
      { data: { health: 'ok' } },
      { data: { version: expect.any(String) } },
    ]);
    const bad = await stack.post('/graphql', { nope: 1 }, auth());
    expect(bad.status).toBe(400);
    const syntax = await graphql('mutation {');
    expect(syntax.body.errors![0]!.message).toMatch(/Syntax Error/);
    const badClient = await graphql(SPA_MUTATION, { name: 'demo/hello', vars: {}, clientId: 'not ok!' });
    expect(badClient.body.errors![0]!.message).toMatch(/^clientId: /);
  });
});
