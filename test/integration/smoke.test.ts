import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.stop());

test('login, connect, execute, callback: the result reaches the client', async () => {
  const token = await stack.login();
  const events = await stack.events(token);
  const init = await events.waitForEvent('message');
  const clientId = String(init.json.result?.clientId);
  const executed = await stack.post(
    '/api/playbooks/execute',
    { path: 'demo/hello', workload: { a: 1 }, client_id: clientId },
    { authorization: `Bearer ${token}` },
  );
  expect(executed.status).toBe(200);
  const body = (await executed.json()) as { execution_id: string; request_id: string };
  const callback = await stack.post('/api/internal/callback/async', {
    request_id: body.request_id,
    data: { summary: 'ok' },
  });
  expect(callback.status).toBe(200);
  expect(await callback.json()).toEqual({ status: 'delivered' });
  const result = await events.waitForEvent('playbook/result');
  expect(result.json.params).toMatchObject({
    requestId: body.request_id,
    executionId: body.execution_id,
    status: 'COMPLETED',
    data: { summary: 'ok' },
  });
  events.close();
});
