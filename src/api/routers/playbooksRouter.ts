/**
 * @module api/routers/playbooksRouter
 * Starting and rerunning playbooks for an authenticated caller.
 */
import {
  ExecuteRequest,
  ExecuteResponse,
  ExecutionSubscriptionRequest,
  ExecutionSubscriptionResponse,
  RerunRequest,
} from '../../contract/index.ts';
import { protectedProcedure, router } from '../trpc.ts';

const errorResponses = {
  401: 'Missing or invalid session',
  403: 'client_id belongs to another session',
  404: 'NoETL does not know the playbook or execution',
  422: 'NoETL rejected the request',
  429: 'Too many executions of this session wait for their result',
  502: 'NoETL failed',
  503: 'The request store failed',
};

export const playbooksRouter = router({
  execute: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/playbooks/execute',
        tags: ['playbooks'],
        summary: 'Start a playbook; with client_id its result is pushed to that SSE client',
        protect: true,
        errorResponses,
      },
    })
    .input(ExecuteRequest)
    .output(ExecuteResponse)
    .mutation(({ input, ctx }) =>
      ctx.services.executions.execute({
        path: input.path,
        workload: input.workload,
        resourceKind: input.resource_kind,
        clientId: input.client_id,
        session: ctx.session,
      }),
    ),

  rerun: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/playbooks/rerun',
        tags: ['playbooks'],
        summary: 'Rerun an execution with optional workload overrides',
        protect: true,
        errorResponses,
      },
    })
    .input(RerunRequest)
    .output(ExecuteResponse)
    .mutation(({ input, ctx }) =>
      ctx.services.executions.rerun({
        executionId: input.execution_id,
        workload: input.workload,
        clientId: input.client_id,
        session: ctx.session,
      }),
    ),

  subscribeToExecution: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/executions/subscribe',
        tags: ['playbooks'],
        summary:
          'Receive playbook/state frames of an execution on an SSE client (e.g. one started via /noetl/execute)',
        protect: true,
        errorResponses: {
          401: 'Missing or invalid session',
          403: 'client_id belongs to another session',
          429: 'Too many subscriptions',
        },
      },
    })
    .input(ExecutionSubscriptionRequest)
    .output(ExecutionSubscriptionResponse)
    .mutation(({ input, ctx }) =>
      ctx.services.executions.subscribe(input.execution_id, input.client_id, ctx.session),
    ),

  unsubscribeFromExecution: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/executions/unsubscribe',
        tags: ['playbooks'],
        summary: 'Stop playbook/state frames of an execution for an SSE client',
        protect: true,
        errorResponses: { 401: 'Missing or invalid session', 403: 'client_id belongs to another session' },
      },
    })
    .input(ExecutionSubscriptionRequest)
    .output(ExecutionSubscriptionResponse)
    .mutation(({ input, ctx }) =>
      ctx.services.executions.unsubscribe(input.execution_id, input.client_id, ctx.session),
    ),
});
