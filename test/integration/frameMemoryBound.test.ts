/**
 * Without NATS, results kept for replay live in the replica's memory: a flood of large results for
 * clients that are not listening must not grow it without bound. With GATEWAY_FRAME_MEMORY_MAX_BYTES at
 * 1 MiB, six 300 KB results: the oldest are dropped (counted in noetl_gateway_frames_evicted_total), the
 * newest are replayed when the client comes back, and every callback was still answered 202 "queued".
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { metricValue } from '../support/metrics.ts';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ GATEWAY_FRAME_MEMORY_MAX_BYTES: String(1024 * 1024) });
});
afterAll(() => stack.stop());

test('past the bound the oldest results go; the newest are replayed; nothing else changes', async () => {
  const token = await stack.login('flood');
  const bearer = { authorization: `Bearer ${token}` };
  const first = await stack.events(token);
  await first.waitForEvent('message');
  const clientId = first.clientId;
  first.close();

  const requests: string[] = [];
  for (let i = 0; i < 6; i++) {
    const response = await stack.post(
      '/api/playbooks/execute',
      { path: 'demo/flood', client_id: clientId },
      bearer,
    );
    expect(response.status).toBe(200);
    requests.push(((await response.json()) as { request_id: string }).request_id);
  }
  expect(await metricValue(stack.url, 'noetl_gateway_frames_evicted_total')).toBe(0);
  for (const [i, requestId] of requests.entries()) {
    const response = await stack.post('/api/internal/callback/async', {
      request_id: requestId,
      status: 'COMPLETED',
      data: { n: i, blob: 'x'.repeat(300_000) },
    });
    expect(response.status).toBe(202);
    expect(await response.json()).toMatchObject({ status: 'queued' });
  }
  expect(await metricValue(stack.url, 'noetl_gateway_frames_evicted_total')).toBeGreaterThan(0);

  const back = await stack.events(token, { client_id: clientId });
  const last = await back.waitFor(
    (event) => event.event === 'playbook/result' && event.json.params?.requestId === requests[5],
  );
  expect(last.json.params?.data).toMatchObject({ n: 5 });
  const replayed = back.events
    .filter((event) => event.event === 'playbook/result')
    .map((event) => requests.indexOf(String(event.json.params?.requestId)));
  // The newest results fit (3 × 300 KB ≤ 90 % of 1 MiB); the oldest did not.
  expect(replayed).toEqual([3, 4, 5]);
  back.close();
});
