/**
 * The tRPC subpath (`@noetl/gateway-client/trpc`): its router type, derived from the contract's route table,
 * is exactly the server's `AppRouter` as a client sees it (inputs, outputs, error shape: checked by the
 * type checker), and the client it makes talks to a live gateway's `/trpc`.
 */
import type { inferRouterError, inferRouterInputs, inferRouterOutputs } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from 'vitest';
import type { AppRouter } from '../../src/api/router.ts';
import { type Stack, startStack } from '../../test/support/stack.ts';
import { GatewayClient } from '../src/index.ts';
import { createTrpcClient, type GatewayRouter } from '../src/trpc.ts';

test('GatewayRouter, derived from the route table, is the server AppRouter as a client sees it', () => {
  expectTypeOf<inferRouterInputs<GatewayRouter>>().toEqualTypeOf<inferRouterInputs<AppRouter>>();
  expectTypeOf<inferRouterOutputs<GatewayRouter>>().toEqualTypeOf<inferRouterOutputs<AppRouter>>();
  expectTypeOf<inferRouterError<GatewayRouter>>().toEqualTypeOf<inferRouterError<AppRouter>>();
  expectTypeOf<GatewayRouter['system']['runtimeContract']['_def']['type']>().toEqualTypeOf<'query'>();
  expectTypeOf<GatewayRouter['auth']['login']['_def']['type']>().toEqualTypeOf<'mutation'>();
});

describe('against a live gateway', () => {
  let stack: Stack;
  let gateway: GatewayClient;
  beforeAll(async () => {
    stack = await startStack();
    gateway = new GatewayClient({ baseUrl: stack.url });
    await gateway.login('valid-ann');
  });
  afterAll(async () => {
    gateway.close();
    await stack.stop();
  });

  test('queries and mutations reach /trpc, with the session of a GatewayClient', async () => {
    const trpc = createTrpcClient({ baseUrl: stack.url, getToken: () => gateway.session?.token });
    const contract = await trpc.system.runtimeContract.query();
    expect(contract.routes.public).toContain('POST /api/auth/login');
    const validity = await trpc.auth.validate.mutate({ session_token: gateway.session!.token });
    expect(validity.valid).toBe(true);
    const started = await trpc.playbooks.execute.mutate({ path: 'demo/hello', workload: {} });
    expect(started.execution_id).toMatch(/\S/);
  });

  test('an error carries the contract code in data.code', async () => {
    const trpc = createTrpcClient({ baseUrl: stack.url });
    const error = await trpc.playbooks.execute
      .mutate({ path: 'demo/hello' })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({ data: { code: 'UNAUTHORIZED', httpStatus: 401 } });
  });
});
