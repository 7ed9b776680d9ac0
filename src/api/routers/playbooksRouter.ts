/**
 * @module api/routers/playbooksRouter
 * Starting and rerunning playbooks for an authenticated caller.
 */
import { ExecuteRequest, ExecuteResponse, RerunRequest } from '../../contract/index.ts';
import { protectedProcedure, router } from '../trpc.ts';

const errorResponses = {
  401: 'Missing or invalid session',
  403: 'client_id belongs to another session',
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
});
