/**
 * Attack-pass finding 6 (authorization gaps), replayed over real HTTP against the NoETL double:
 * (a) any session could subscribe its SSE client to any execution's lifecycle frames
 *     (`POST /api/executions/subscribe`), another user's included;
 * (b) the auth playbooks (login, validate-session, check-access) could be started by a caller through
 *     execute — REST, tRPC, GraphQL `executePlaybook`, `/noetl/execute` — or rerun, with a workload of the
 *     caller's choosing (e.g. a login for a token the caller picks).
 * Required: (a) only executions this session started through the gateway, or that NoETL shows the caller
 * and whose playbook check-access grants it `view` (GATEWAY_EXECUTION_SUBSCRIBE_RULE=owner_or_access, the
 * default); else 403 FORBIDDEN. (b) 403 FORBIDDEN on every transport, nothing started on NoETL.
 * The double's check-access denies playbooks under `forbidden/`.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Stack, startStack } from '../support/stack.ts';

const LOGIN = 'api_integration/auth0/auth0_login';
const VALIDATE = 'api_integration/auth0/auth0_validate_session';
const CHECK_ACCESS = 'api_integration/auth0/check_playbook_access';

let stack: Stack;
let ann: string;
let bob: string;
beforeAll(async () => {
  stack = await startStack();
  ann = await stack.login('authz-ann');
  bob = await stack.login('authz-bob');
});
afterAll(() => stack.stop());

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

async function connectedClient(token: string): Promise<string> {
  const events = await stack.events(token);
  await events.waitForEvent('message');
  events.close();
  return events.clientId;
}

async function execute(token: string, path: string): Promise<string> {
  const response = await stack.post('/api/playbooks/execute', { path }, bearer(token));
  expect(response.status).toBe(200);
  return ((await response.json()) as { execution_id: string }).execution_id;
}

async function subscribe(token: string, executionId: string, clientId: string) {
  const response = await stack.post(
    '/api/executions/subscribe',
    { execution_id: executionId, client_id: clientId },
    bearer(token),
  );
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('(a) POST /api/executions/subscribe', () => {
  test('another user cannot watch an execution whose playbook NoETL does not let them view', async () => {
    const executionId = await execute(ann, 'forbidden/payroll');
    const bobClient = await connectedClient(bob);
    const attempt = await subscribe(bob, executionId, bobClient);
    expect(attempt.status).toBe(403);
    expect(attempt.body).toMatchObject({ code: 'FORBIDDEN' });
    // The same answer through tRPC.
    const trpc = await stack.post(
      '/trpc/playbooks.subscribeToExecution',
      { execution_id: executionId, client_id: bobClient },
      bearer(bob),
    );
    expect(trpc.status).toBe(403);
    // The one who started it may.
    const annClient = await connectedClient(ann);
    expect(await subscribe(ann, executionId, annClient)).toMatchObject({
      status: 200,
      body: { subscribed: true },
    });
  });

  test('an execution NoETL does not know, or one of an auth playbook, is refused', async () => {
    const bobClient = await connectedClient(bob);
    expect((await subscribe(bob, '999999999999', bobClient)).status).toBe(403);
    // The login executions the gateway ran (they carry session tokens in their events).
    const loginExecution = [...stack.noetl.executions].find(([, execution]) => execution.path === LOGIN)?.[0];
    expect(loginExecution).toBeDefined();
    expect((await subscribe(bob, loginExecution!, bobClient)).status).toBe(403);
  });

  test('executions started elsewhere that NoETL lets the caller view are allowed (owner_or_access)', async () => {
    stack.noetl.executions.set('635758340626111111', {
      path: 'demo/shared',
      workload: {},
      status: 'RUNNING',
    });
    const bobClient = await connectedClient(bob);
    expect((await subscribe(bob, '635758340626111111', bobClient)).status).toBe(200);
  });

  test('GATEWAY_EXECUTION_SUBSCRIBE_RULE=owner: only executions this session started through the gateway', async () => {
    const strict = await startStack({ GATEWAY_EXECUTION_SUBSCRIBE_RULE: 'owner' });
    try {
      const carol = await strict.login('authz-carol');
      const dave = await strict.login('authz-dave');
      const started = await strict.post('/api/playbooks/execute', { path: 'demo/open' }, bearer(carol));
      const { execution_id } = (await started.json()) as { execution_id: string };
      const post = async (token: string) => {
        const events = await strict.events(token);
        await events.waitForEvent('message');
        events.close();
        return strict.post(
          '/api/executions/subscribe',
          { execution_id, client_id: events.clientId },
          bearer(token),
        );
      };
      expect((await post(dave)).status).toBe(403); // check-access would allow demo/open: not asked
      expect((await post(carol)).status).toBe(200);
    } finally {
      await strict.stop();
    }
  });
});

describe('(b) auth playbooks cannot be started by a caller', () => {
  /** What the double was asked to execute while `action` ran. */
  async function startedDuring(action: () => Promise<unknown>): Promise<string[]> {
    const before = stack.noetl.executeBodies().length;
    await action();
    return stack.noetl
      .executeBodies()
      .slice(before)
      .map((body) => body.path);
  }

  test.each([
    LOGIN,
    VALIDATE,
    CHECK_ACCESS,
    `/${LOGIN}/`,
    LOGIN.toUpperCase(),
    ` ${LOGIN.replace('/auth0/', '//auth0/')}`,
  ])('REST execute %j → 403, nothing started', async (path) => {
    let response: Response | undefined;
    const started = await startedDuring(async () => {
      response = await stack.post(
        '/api/playbooks/execute',
        { path, workload: { auth0_token: 'valid-mallory', session_token: bob, playbook_path: 'x' } },
        bearer(bob),
      );
    });
    expect(response!.status).toBe(403);
    expect(await response!.json()).toMatchObject({ code: 'FORBIDDEN' });
    expect(started).toEqual([]);
  });

  test('tRPC playbooks.execute → 403 FORBIDDEN', async () => {
    let response: Response | undefined;
    const started = await startedDuring(async () => {
      response = await stack.post(
        '/trpc/playbooks.execute',
        { path: LOGIN, workload: { auth0_token: 'valid-mallory' } },
        bearer(bob),
      );
    });
    expect(response!.status).toBe(403);
    expect(await response!.json()).toMatchObject({ error: { data: { code: 'FORBIDDEN' } } });
    expect(started).toEqual([]);
  });

  test('GraphQL executePlaybook → an error with code FORBIDDEN', async () => {
    let body: { data: unknown; errors?: { extensions: { code: string } }[] } | undefined;
    const started = await startedDuring(async () => {
      const response = await stack.post(
        '/graphql',
        {
          query:
            'mutation($v: JSON) { executePlaybook(name: "api_integration/auth0/auth0_login", variables: $v) { executionId } }',
          variables: { v: { auth0_token: 'valid-mallory' } },
        },
        bearer(bob),
      );
      body = (await response.json()) as typeof body;
    });
    expect(body!.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    expect(started).toEqual([]);
  });

  test('POST /noetl/execute with an auth playbook path → 403, nothing reaches NoETL', async () => {
    for (const path of [LOGIN, `/${VALIDATE}`]) {
      const before = stack.noetl.requests.length;
      const response = await stack.post(
        '/noetl/execute',
        { path, workload: { auth0_token: 'valid-mallory' } },
        bearer(bob),
      );
      expect(response.status).toBe(403);
      expect(await response.json()).toMatchObject({ code: 'FORBIDDEN' });
      expect(stack.noetl.requests.slice(before)).toEqual([]);
    }
    // Other playbooks pass through the proxy untouched.
    const other = await stack.post(
      '/noetl/execute',
      { path: 'demo/proxied', workload: { n: 1 } },
      bearer(bob),
    );
    expect(other.status).toBe(200);
    expect(stack.noetl.executeBodies().at(-1)).toEqual({ path: 'demo/proxied', workload: { n: 1 } });
  });

  test('rerunning an auth playbook execution → 403, nothing started', async () => {
    const loginExecution = [...stack.noetl.executions].find(([, execution]) => execution.path === LOGIN)?.[0];
    expect(loginExecution).toBeDefined();
    const before = stack.noetl.requests.filter((request) => request.path.endsWith('/rerun')).length;
    const response = await stack.post(
      '/api/playbooks/rerun',
      { execution_id: loginExecution, workload: { auth0_token: 'valid-mallory' } },
      bearer(bob),
    );
    expect(response.status).toBe(403);
    expect(stack.noetl.requests.filter((request) => request.path.endsWith('/rerun'))).toHaveLength(before);
  });

  test('other playbooks still start and rerun', async () => {
    const executionId = await execute(bob, 'demo/allowed');
    const rerun = await stack.post('/api/playbooks/rerun', { execution_id: executionId }, bearer(bob));
    expect(rerun.status).toBe(200);
  });
});
