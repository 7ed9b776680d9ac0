/**
 * @module api/handlers
 * One handler per JSON route of the table: parse → call a core service → the answer. The same function
 * serves the REST route and the tRPC procedure; its input is already parsed by the route's schema.
 */
import type { z } from 'zod';
import type { JsonRoute, Routes } from '../contract/index.ts';
import type { Session } from '../core/sessions/sessionResolver.ts';
import type { CallContext } from './context.ts';
import { Problem } from './problem.ts';

export type JsonRouteKey = { [K in keyof Routes]: Routes[K] extends JsonRoute ? K : never }[keyof Routes];

type InputOf<R> = R extends JsonRoute<infer I, z.ZodType> ? z.output<I> : never;
type OutputOf<R> = R extends JsonRoute<z.ZodType, infer O> ? z.input<O> : never;

export type Handler<K extends JsonRouteKey> = (
  input: InputOf<Routes[K]>,
  ctx: CallContext,
) => Promise<OutputOf<Routes[K]>> | OutputOf<Routes[K]>;

function sessionOf(ctx: CallContext): Session {
  if (!ctx.session) throw new Problem('UNAUTHORIZED', 'Missing authentication token');
  return ctx.session;
}

export const handlers: { [K in JsonRouteKey]: Handler<K> } = {
  authLogin(input, ctx) {
    const ip = ctx.credentials.clientIp();
    const retryAfter = ctx.services.loginLimiter.take(ip ?? '');
    if (retryAfter > 0)
      throw new Problem('TOO_MANY_REQUESTS', 'Too many login attempts; retry later', {
        headers: { 'retry-after': String(retryAfter) },
      });
    return ctx.services.auth.login(input, ip, ctx.userAgent);
  },
  authValidate: (input, ctx) => ctx.services.auth.validate(input.session_token, ctx.credentials.clientIp()),
  authCheckAccess: (input, ctx) => ctx.services.auth.checkAccess(input),

  playbooksExecute: (input, ctx) =>
    ctx.services.executions.execute({
      path: input.path,
      workload: input.workload,
      resourceKind: input.resource_kind,
      clientId: input.client_id,
      session: sessionOf(ctx),
    }),
  playbooksRerun: (input, ctx) =>
    ctx.services.executions.rerun({
      executionId: input.execution_id,
      workload: input.workload,
      clientId: input.client_id,
      session: sessionOf(ctx),
    }),
  executionsSubscribe: (input, ctx) =>
    ctx.services.executions.subscribe(input.execution_id, input.client_id, sessionOf(ctx)),
  executionsUnsubscribe: (input, ctx) =>
    ctx.services.executions.unsubscribe(input.execution_id, input.client_id, sessionOf(ctx)),

  subscriptionsFirestore: (input, ctx) =>
    ctx.services.subscriptions.subscribe({
      session: sessionOf(ctx),
      path: input.path,
      scope: input.scope,
      clientId: input.client_id,
    }),
  async subscriptionsUnsubscribe(input, ctx) {
    await ctx.services.subscriptions.unsubscribe({
      session: sessionOf(ctx),
      subscriptionId: input.subscription_id,
    });
  },

  async internalCallback(input, ctx) {
    return (await ctx.services.waiters.deliver(input))
      ? { delivered: true, message: 'Callback delivered successfully' }
      : { delivered: false, message: 'No pending request found for this request_id' };
  },
  internalCallbackAsync: (input, ctx) => ctx.services.delivery.deliverResult(input),
  internalProgress: (input, ctx) => ctx.services.delivery.deliverProgress(input),

  runtimeContract: (_input, ctx) => ctx.services.runtimeContract(),
};

/** The status of a successful REST answer: the route's first success status, or what the answer says. */
export function successStatus(key: JsonRouteKey, route: JsonRoute, output: unknown): number {
  if (key === 'internalCallbackAsync' && (output as { status?: unknown }).status === 'queued') return 202;
  return Number(Object.keys(route.responses)[0]);
}
