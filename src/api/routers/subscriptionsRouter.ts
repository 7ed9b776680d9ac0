/**
 * @module api/routers/subscriptionsRouter
 * Firestore subscriptions for an authenticated caller: document changes of a collection pushed to one of
 * the caller's SSE clients as `subscription/event` frames.
 */
import { z } from 'zod';
import {
  FIRESTORE_JSON_DESCRIPTION,
  FirestoreSubscribeRequest,
  FirestoreSubscribeResponse,
  UnsubscribeRequest,
} from '../../contract/index.ts';
import { protectedProcedure, router } from '../trpc.ts';

export const subscriptionsRouter = router({
  firestore: protectedProcedure
    .meta({
      openapi: {
        method: 'POST',
        path: '/api/subscriptions/firestore',
        tags: ['subscriptions'],
        summary: 'Watch a Firestore collection; its changes arrive as subscription/event frames',
        description:
          'The existing documents arrive first as `added`, then every `added` / `modified` / `removed` change, as ' +
          '`subscription/event` frames `{subscription_id, doc_id, op, data}` on the SSE client. ' +
          `${FIRESTORE_JSON_DESCRIPTION} ` +
          'A listener fault arrives as an `error` frame (code -32010) whose `data` is SubscriptionErrorData. ' +
          'The subscription stops on DELETE, when the client has been disconnected longer than the resume window, and at shutdown.',
        protect: true,
        errorResponses: {
          400: 'Unsupported scope, or a path that no template allows',
          401: 'Missing or invalid session',
          403: 'client_id belongs to another session, or the caller does not own the path (ownership rule)',
          409: 'No active SSE client is connected for this session',
          429: 'Too many subscriptions for this client',
          503: 'Firestore is not configured or unavailable, or the gateway is at its subscription limit',
        },
      },
    })
    .input(FirestoreSubscribeRequest)
    .output(FirestoreSubscribeResponse)
    .mutation(({ input, ctx }) =>
      ctx.services.subscriptions.subscribe({
        session: ctx.session,
        path: input.path,
        scope: input.scope,
        clientId: input.client_id,
      }),
    ),

  unsubscribe: protectedProcedure
    .meta({
      openapi: {
        method: 'DELETE',
        path: '/api/subscriptions/{subscription_id}',
        tags: ['subscriptions'],
        summary: 'Stop a subscription of the caller’s session at once (204, empty body)',
        protect: true,
        errorResponses: {
          401: 'Missing or invalid session',
          403: 'Subscription belongs to another session',
          404: 'Subscription not found',
        },
      },
    })
    .input(UnsubscribeRequest)
    .output(z.void())
    .mutation(async ({ input, ctx }) => {
      await ctx.services.subscriptions.unsubscribe({
        session: ctx.session,
        subscriptionId: input.subscription_id,
      });
    }),
});
