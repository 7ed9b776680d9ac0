/**
 * @module api/trpc
 * The tRPC instance: error shape (the compatibility field `error`, never a stack), and the three kinds
 * of procedure — public, session-protected, and internal (workers' callbacks).
 */
import { initTRPC, TRPCError } from '@trpc/server';
import type { TRPC_ERROR_CODE_KEY } from '@trpc/server/rpc';
import type { OpenApiMeta } from 'trpc-to-openapi';
import { ZodError } from 'zod';
import { BackendUnavailableError } from '../adapters/ports.ts';
import { bearerMatches } from '../core/auth/sharedSecret.ts';
import { GatewayError, type GatewayErrorKind } from '../core/errors.ts';
import type { ApiContext } from './context.ts';

const TRPC_CODE_OF: Record<GatewayErrorKind, TRPC_ERROR_CODE_KEY> = {
  bad_request: 'BAD_REQUEST',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  unprocessable: 'UNPROCESSABLE_CONTENT',
  too_many_requests: 'TOO_MANY_REQUESTS',
  internal: 'INTERNAL_SERVER_ERROR',
  bad_gateway: 'BAD_GATEWAY',
  unavailable: 'SERVICE_UNAVAILABLE',
  timeout: 'GATEWAY_TIMEOUT',
};

/** "session_token: expected string, received number; path: must not be empty" */
export function describeIssues(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

const t = initTRPC
  .meta<OpenApiMeta>()
  .context<ApiContext>()
  .create({
    isDev: false,
    errorFormatter({ shape, error }) {
      const invalidInput = error.code === 'BAD_REQUEST' && error.cause instanceof ZodError;
      const message = invalidInput ? `Invalid input: ${describeIssues(error.cause)}` : error.message;
      return {
        ...shape,
        message,
        error: message,
        data: { code: shape.data.code, httpStatus: shape.data.httpStatus, path: shape.data.path },
      };
    },
  });

/** Domain errors become tRPC errors with the same message; anything unexpected stays a bare 500. */
const mapDomainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof GatewayError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: TRPC_CODE_OF[cause.kind], message: cause.message, cause });
  }
  if (!result.ok && result.error.cause instanceof BackendUnavailableError) {
    throw new TRPCError({
      code: 'SERVICE_UNAVAILABLE',
      message: 'A backend store is unavailable; retry shortly',
      cause: result.error.cause,
    });
  }
  return result;
});

export const router = t.router;
export const publicProcedure = t.procedure.use(mapDomainErrors);

export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  if (!ctx.sessionToken)
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Missing authentication token' });
  const session = await ctx.services.sessions.resolve(ctx.sessionToken);
  if (!session) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Invalid or expired session' });
  return next({ ctx: { ...ctx, session } });
});

export const internalProcedure = publicProcedure.use(async ({ ctx, next }) => {
  const expected = ctx.services.internalApiToken;
  if (expected && !bearerMatches(ctx.authorization, expected)) {
    throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Missing or invalid internal API token' });
  }
  return next();
});
