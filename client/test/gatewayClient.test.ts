/**
 * GatewayClient against a live gateway and the NoETL double over real HTTP: auth calls, connect,
 * executeAndWait (result, progress, failure, timeout), waitForExecution, the REST client, expiry.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Stack, startStack } from '../../test/support/stack.ts';
import {
  type GatewayClient as Client,
  ClientClosedError,
  GatewayClient,
  GatewayHttpError,
  PlaybookFailedError,
  type PlaybookProgressParams,
  SessionExpiredError,
  WaitTimeoutError,
} from '../src/index.ts';
import { waitUntil } from './support/waitUntil.ts';

/** The double finishes playbooks by itself: progress at half this, the result at this. */
const AUTO_COMPLETE_MS = 300;

describe('with a worker that finishes playbooks by itself', () => {
  let stack: Stack;
  let client: Client;
  beforeAll(async () => {
    stack = await startStack({}, { autoCompleteMs: AUTO_COMPLETE_MS });
    client = new GatewayClient({ baseUrl: stack.url });
    await client.login('valid-ann');
  });
  afterAll(async () => {
    client.close();
    await stack.stop();
  });

  test('login stores the session; validate and checkAccess answer for it', async () => {
    expect(client.session?.token).toMatch(/^[0-9a-f]{32}$/);
    expect(client.session?.user?.email).toBe('ann@example.com');
    const validity = await client.validate();
    expect(validity).toMatchObject({ valid: true, user: { email: 'ann@example.com' } });
    expect((await client.checkAccess('demo/hello')).allowed).toBe(true);
    expect((await client.checkAccess('forbidden/secret')).allowed).toBe(false);
  });

  test('a rejected ID token is a GatewayHttpError with the gateway status and message', async () => {
    const stranger = new GatewayClient({ baseUrl: stack.url });
    const error = await stranger.login('reject').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayHttpError);
    expect((error as GatewayHttpError).status).toBe(401);
    expect((error as GatewayHttpError).message).toMatch(/token/i);
    expect(stranger.session).toBeUndefined();
  });

  test('connect resolves with the init frame and the stream is open', async () => {
    const init = await client.connect();
    expect(init.clientId).toMatch(/^[0-9a-f-]{36}$/);
    expect(init.serverInfo.name).toBe('noetl-gateway');
    expect(client.clientId).toBe(init.clientId);
    expect(client.status).toBe('open');
    expect(await client.connect()).toBe(init); // once per session
  });

  test('executeAndWait resolves with the playbook/result and reports progress', async () => {
    const progress: PlaybookProgressParams[] = [];
    const result = await client.executeAndWait(
      'demo/hello',
      { greeting: 'hi' },
      { onProgress: (update) => progress.push(update) },
    );
    expect(result.status).toBe('COMPLETED');
    expect(result.data).toMatchObject({
      summary: 'Playbook demo/hello completed',
      workload: { greeting: 'hi' },
    });
    expect(result.executionId).toMatch(/^\d+$/);
    expect(progress).toEqual([
      expect.objectContaining({
        requestId: result.requestId,
        executionId: result.executionId,
        message: 'Halfway there',
        progress: 50,
      }),
    ]);
  });

  test('concurrent executions each get their own result', async () => {
    const paths = ['demo/a', 'demo/b', 'demo/c'];
    const results = await Promise.all(paths.map((path) => client.executeAndWait(path, { path })));
    expect(results.map((result) => (result.data as { workload: { path: string } }).workload.path)).toEqual(
      paths,
    );
    expect(new Set(results.map((result) => result.requestId)).size).toBe(3);
  });

  test('waitForExecution resolves on the terminal playbook/state frame', async () => {
    const execution = await client.execute('demo/state');
    const state = await client.waitForExecution(execution.executionId);
    expect(state).toMatchObject({
      execution_id: execution.executionId,
      event_type: 'playbook.completed',
      status: 'completed',
    });
    // The state arrived already: asking again answers from what was kept.
    expect(await client.waitForExecution(execution.executionId, { timeoutMs: 0 })).toEqual(state);
  });

  test('onFrame sees validated frames in order: state before result', async () => {
    const seen: string[] = [];
    const off = client.onFrame('playbook/state', ({ params }) => seen.push(`state:${params.event_type}`));
    const offResult = client.onFrame('playbook/result', ({ params }) => seen.push(`result:${params.status}`));
    await client.executeAndWait('demo/order');
    off();
    offResult();
    expect(seen).toEqual(['state:playbook.completed', 'result:COMPLETED']);
  });

  test('an upstream 404 surfaces as GatewayHttpError naming the 404', async () => {
    const error = await client.executeAndWait('missing/nothing').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(GatewayHttpError);
    // The status is the gateway's mapping of an upstream 404 (the client passes whatever it is on).
    expect([404, 502]).toContain((error as GatewayHttpError).status);
    // The GUI moves to its next candidate path on exactly this: /playbook not found/i or /404/.
    expect((error as GatewayHttpError).message).toMatch(/404|not found/i);
  });

  test('the REST client is typed by the OpenAPI document', async () => {
    const { data, response } = await client.rest.GET('/api/runtime/contract');
    expect(response.status).toBe(200);
    expect(data?.proxy_contract).toMatchObject({ incoming_prefix: '/noetl/' });
  });
});

describe('with a worker the test plays itself', () => {
  let stack: Stack;
  let client: Client;
  beforeAll(async () => {
    stack = await startStack();
    client = new GatewayClient({ baseUrl: stack.url });
    await client.login('valid-bob');
  });
  afterAll(async () => {
    client.close();
    await stack.stop();
  });

  /** The request id the gateway injected into the workload of the latest execution of `path`. */
  const requestIdOf = (path: string) =>
    waitUntil(
      () =>
        stack.noetl.executeBodies().findLast((body) => body.path === path)?.workload.request_id as
          | string
          | undefined,
      { what: `an execution of ${path}` },
    );

  test('executeAndWait rejects with PlaybookFailedError on a FAILED result', async () => {
    const waiting = client.executeAndWait('demo/fails').catch((caught: unknown) => caught);
    const requestId = await requestIdOf('demo/fails');
    const callback = await stack.post('/api/internal/callback/async', {
      request_id: requestId,
      status: 'FAILED',
      error: {
        code: -32042,
        message: 'Step load_rows failed: relation does not exist',
        data: { step: 'load_rows' },
      },
    });
    expect(callback.status).toBe(200);
    const error = await waiting;
    expect(error).toBeInstanceOf(PlaybookFailedError);
    expect(error).toMatchObject({
      message: 'Step load_rows failed: relation does not exist',
      code: -32042,
      requestId,
      data: { step: 'load_rows' },
    });
    expect((error as PlaybookFailedError).executionId).toMatch(/^\d+$/);
  });

  test('waitForExecution rejects on playbook.failed', async () => {
    const execution = await client.execute('demo/fails-too');
    const waiting = client.waitForExecution(execution.executionId).catch((caught: unknown) => caught);
    await stack.post('/api/internal/callback/async', { request_id: execution.requestId, status: 'FAILED' });
    const error = await waiting;
    expect(error).toBeInstanceOf(PlaybookFailedError);
    expect((error as PlaybookFailedError).executionId).toBe(execution.executionId);
  });

  test('executeAndWait rejects with WaitTimeoutError after its deadline, naming the ids', async () => {
    const started = Date.now();
    const error = await client
      .executeAndWait('demo/never-ends', {}, { timeoutMs: 300 })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const requestId = await requestIdOf('demo/never-ends');
    expect(error).toMatchObject({ requestId, executionId: expect.stringMatching(/^\d+$/) });
  });

  test('an abort signal stops the wait', async () => {
    const controller = new AbortController();
    const waiting = client
      .executeAndWait('demo/aborted', {}, { signal: controller.signal })
      .catch((caught: unknown) => caught);
    await requestIdOf('demo/aborted');
    controller.abort(new Error('user left the page'));
    expect(await waiting).toMatchObject({ message: 'user left the page' });
  });

  test('a result that arrives before anyone waits for it is kept, not lost', async () => {
    const execution = await client.execute('demo/early');
    const arrived = new Promise<void>((resolve) => {
      const off = client.onFrame('playbook/result', ({ params }) => {
        if (params.requestId === execution.requestId) {
          off();
          resolve();
        }
      });
    });
    await stack.post('/api/internal/callback/async', {
      request_id: execution.requestId,
      data: { early: true },
    });
    await arrived;
    expect(await client.waitForResult(execution.requestId, { timeoutMs: 0 })).toMatchObject({
      requestId: execution.requestId,
      data: { early: true },
    });
  });

  test('close() rejects what is still waiting with ClientClosedError', async () => {
    const other = new GatewayClient({ baseUrl: stack.url });
    await other.login('valid-carol');
    const waiting = other.executeAndWait('demo/left-open').catch((caught: unknown) => caught);
    await requestIdOf('demo/left-open');
    other.close();
    expect(await waiting).toBeInstanceOf(ClientClosedError);
    expect(() => other.connect()).toThrow(ClientClosedError);
  });

  test('a session the gateway does not know: connect rejects and onSessionExpired fires once', async () => {
    const expired: SessionExpiredError[] = [];
    const stale = new GatewayClient({
      baseUrl: stack.url,
      sessionToken: 'ffffffffffffffffffffffffffffffff',
      onSessionExpired: (error) => expired.push(error),
    });
    const error = await stale.connect().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SessionExpiredError);
    expect(expired).toHaveLength(1);
    expect(stale.session).toBeUndefined();
    await expect(stale.execute('demo/x')).rejects.toBeInstanceOf(SessionExpiredError);
    stale.close();
  });

  test('a 401 from a REST call drops the session', async () => {
    const expired: SessionExpiredError[] = [];
    const stale = new GatewayClient({
      baseUrl: stack.url,
      sessionToken: 'eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee',
      onSessionExpired: (error) => expired.push(error),
    });
    const { response } = await stale.rest.POST('/api/playbooks/execute', { body: { path: 'demo/x' } });
    expect(response.status).toBe(401);
    expect(expired).toHaveLength(1);
    expect(stale.session).toBeUndefined();
  });
});
