/**
 * @module api/routers/internalRouter
 * `/api/internal/*`: what playbooks and workers call back with.
 */
import {
  AsyncCallbackRequest,
  AsyncCallbackResponse,
  AuthCallbackRequest,
  AuthCallbackResponse,
  ProgressRequest,
  ProgressResponse,
} from '../../contract/index.ts';
import { internalProcedure, router } from '../trpc.ts';

export const internalRouter = router({
  callback: internalProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/internal/callback',
        tags: ['internal'],
        protect: false,
        summary: 'Result of an auth playbook (login, validate, check-access)',
        errorResponses: { 401: 'Internal API token missing or wrong (when configured)' },
      },
    })
    .input(AuthCallbackRequest)
    .output(AuthCallbackResponse)
    .mutation(async ({ input, ctx }) =>
      (await ctx.services.waiters.deliver(input))
        ? { delivered: true, message: 'Callback delivered successfully' }
        : { delivered: false, message: 'No pending request found for this request_id' },
    ),

  callbackAsync: internalProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/internal/callback/async',
        tags: ['internal'],
        protect: false,
        summary:
          'Result of a playbook started with a client_id: pushed as playbook/state then playbook/result',
        description:
          '200 when the client is connected; 202 when it is not (the frames are replayed on reconnect).',
        errorResponses: {
          401: 'Internal API token missing or wrong (when configured)',
          404: 'Request not found',
        },
      },
    })
    .input(AsyncCallbackRequest)
    .output(AsyncCallbackResponse)
    .mutation(({ input, ctx }) => ctx.services.delivery.deliverResult(input)),

  progress: internalProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/internal/progress',
        tags: ['internal'],
        protect: false,
        summary: 'Progress of a playbook started with a client_id: pushed as playbook/progress',
        errorResponses: {
          401: 'Internal API token missing or wrong (when configured)',
          404: 'Request not found',
        },
      },
    })
    .input(ProgressRequest)
    .output(ProgressResponse)
    .mutation(({ input, ctx }) => ctx.services.delivery.deliverProgress(input)),
});
