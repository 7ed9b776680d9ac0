/**
 * @module api/trpc
 * The tRPC router for TypeScript clients at `/trpc`, derived from the route table: one procedure per JSON
 * route (its `procedure` name), with the route's schemas, its caller kind, and the same handler as its
 * REST route. Errors carry the contract's code in tRPC's own error shape (never a stack).
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import { type JsonRoute, routes } from '../contract/index.ts';
import { unmarkExactNumbers } from '../lib/losslessJson.ts';
import type { CallContext } from './context.ts';
import { handlers, type JsonRouteKey } from './handlers.ts';
import { describeIssues, problemOf } from './problem.ts';

/**
 * What a procedure gets before authentication: a CallContext without the session; `markedNumbers` when
 * the body's exact numbers travel as marked strings (lib/losslessJson `markExactNumbers`).
 */
export type TrpcContext = Omit<CallContext, 'session'> & { markedNumbers?: boolean };

const t = initTRPC
  .meta<{ key: JsonRouteKey }>()
  .context<TrpcContext>()
  .create({
    isDev: false,
    errorFormatter({ shape, error }) {
      const invalid = error.cause instanceof ZodError ? error.cause : undefined;
      const message = invalid ? `Invalid input: ${describeIssues(invalid)}` : error.message;
      return {
        ...shape,
        message,
        error: message,
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path },
      };
    },
  });

/** Any failure as a tRPC error with the contract's code. */
function asTrpcError(error: unknown): TRPCError {
  const cause = error instanceof TRPCError && error.cause ? error.cause : error;
  if (cause instanceof TRPCError) return cause;
  const problem = problemOf(cause);
  // The one gateway code tRPC lacks is raised before routing, so it cannot reach a procedure.
  const code = problem.code === 'REQUEST_HEADER_FIELDS_TOO_LARGE' ? 'BAD_REQUEST' : problem.code;
  return new TRPCError({ code, message: problem.message, cause: problem.cause ?? problem });
}

/** Authenticates by the route's caller kind (the one Authenticator), then maps every failure. */
const procedure = t.procedure
  // Numbers a double cannot hold exactly came as marked strings: the input gets them back as written.
  .use(function exactNumbers({ ctx, next, getRawInput }) {
    if (!ctx.markedNumbers) return next();
    return next({ getRawInput: async () => unmarkExactNumbers(await getRawInput()) });
  })
  .use(async function authenticated({ ctx, meta, next }) {
    let session: CallContext['session'];
    try {
      session = await ctx.services.authenticator.authenticate(routes[meta!.key].caller, ctx.credentials);
    } catch (error) {
      throw asTrpcError(error);
    }
    const result = await next({ ctx: { ...ctx, session } });
    if (!result.ok) throw asTrpcError(result.error);
    return result;
  });

function call<K extends JsonRouteKey>(key: K) {
  return ({ input, ctx }: { input: unknown; ctx: CallContext }) =>
    (handlers[key] as (input: unknown, ctx: CallContext) => unknown)(input, ctx);
}

/** The procedure of a JSON route: its schemas and its handler, before choosing query or mutation. */
function procedureOf<K extends JsonRouteKey>(key: K) {
  const route: Routes[K] = routes[key];
  return procedure
    .meta({ key })
    .input(route.input.schema as Routes[K]['input']['schema'])
    .output(route.output as Routes[K]['output']);
}

const mutation = <K extends JsonRouteKey>(key: K) => procedureOf(key).mutation(call(key) as never);
const query = <K extends JsonRouteKey>(key: K) => procedureOf(key).query(call(key) as never);

type Routes = typeof routes;

/** Every procedure, nested by its `procedure` name. */
const procedures = {
  auth: {
    login: mutation('authLogin'),
    validate: mutation('authValidate'),
    checkAccess: mutation('authCheckAccess'),
  },
  internal: {
    callback: mutation('internalCallback'),
    callbackAsync: mutation('internalCallbackAsync'),
    progress: mutation('internalProgress'),
  },
  playbooks: {
    execute: mutation('playbooksExecute'),
    rerun: mutation('playbooksRerun'),
    subscribeToExecution: mutation('executionsSubscribe'),
    unsubscribeFromExecution: mutation('executionsUnsubscribe'),
  },
  subscriptions: {
    firestore: mutation('subscriptionsFirestore'),
    unsubscribe: mutation('subscriptionsUnsubscribe'),
  },
  system: { runtimeContract: query('runtimeContract') },
};

export const appRouter = t.router(procedures);
export type AppRouter = typeof appRouter;

/** The route of each procedure, by its dotted name (for the listener filter and the tests). */
export function procedureRoutes(): Map<string, JsonRoute> {
  const found = new Map<string, JsonRoute>();
  for (const [group, members] of Object.entries(procedures))
    for (const [name, member] of Object.entries(members))
      found.set(`${group}.${name}`, routes[(member._def.meta as { key: JsonRouteKey }).key]);
  return found;
}

/** A router with only the procedures whose route passes `keep` (what one listener serves). */
export function routerOf(keep: (route: JsonRoute) => boolean) {
  const kept: Record<string, Record<string, unknown>> = {};
  for (const [group, members] of Object.entries(procedures)) {
    for (const [name, member] of Object.entries(members)) {
      if (!keep(routes[(member._def.meta as { key: JsonRouteKey }).key])) continue;
      kept[group] ??= {};
      kept[group][name] = member;
    }
  }
  return t.router(kept as typeof procedures);
}
