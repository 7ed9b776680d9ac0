/**
 * @module api/graphql/resolvers
 * The root resolvers of the legacy GraphQL schema. They call the same services as REST and tRPC, and their
 * answers are checked by the same contract schemas; errors keep the reference gateway's messages (the SPAs
 * match on them).
 */
import { GraphQLError } from 'graphql';
import { z } from 'zod';
import type { NoetlApi } from '../../adapters/ports.ts';
import {
  ClientId,
  type ExecuteResponse,
  FlexibleId,
  GraphqlExecuteResult,
  GraphqlProxyInput,
  GraphqlProxyResponse,
  ResourceKind,
} from '../../contract/index.ts';
import type { ExecutionService } from '../../core/executions/executionService.ts';
import { pushIdentityHeaders } from '../../core/proxy/identityHeaders.ts';
import { parseApiEndpoint } from '../../core/proxy/noetlPath.ts';
import type { Session } from '../../core/sessions/sessionResolver.ts';
import { problemOf } from '../problem.ts';

/** What every resolver is told about the request. */
export interface ResolverContext {
  session: Session;
  /** The gateway's id of the HTTP request, sent to NoETL as `x-request-id` by `proxyRequest`. */
  requestId: string | undefined;
}

export interface ResolverServices {
  executions: ExecutionService;
  noetl: NoetlApi;
  version: string;
}

const PROXY_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);

function toGraphqlResult(started: ExecuteResponse): GraphqlExecuteResult {
  return GraphqlExecuteResult.parse({
    id: started.execution_id,
    executionId: started.execution_id,
    requestId: started.request_id,
    name: started.name,
    status: started.status,
    textOutput: null,
  });
}

function parseArg<T>(schemaOf: z.ZodType<T>, value: unknown, name: string): T {
  const parsed = schemaOf.safeParse(value);
  if (!parsed.success)
    throw new GraphQLError(`${name}: ${parsed.error.issues[0]?.message ?? 'invalid'}`, {
      extensions: { code: 'UNPROCESSABLE_CONTENT' },
    });
  return parsed.data;
}

/** A service failure as a GraphQL error carrying the contract's code (as REST and tRPC answer it). */
function asGraphqlError(error: unknown): never {
  const problem = problemOf(error);
  if (problem.unexpected) throw error;
  throw new GraphQLError(problem.message, { extensions: { code: problem.code } });
}

const optionalClientId = (value: unknown) =>
  value == null ? undefined : parseArg(ClientId, value, 'clientId');

const failed = (error: string): GraphqlProxyResponse => ({ success: false, data: null, error });

/** The caller's identity (and the request id) for NoETL, as the `/noetl/*` proxy sends them. */
function identityOf(context: ResolverContext): string[] {
  const headers: string[] = [];
  pushIdentityHeaders(headers, context.session.user);
  if (context.requestId) headers.push('x-request-id', context.requestId);
  return headers;
}

/** The root value for graphql-js: one function per root field. */
export function createRootValue(services: ResolverServices) {
  return {
    health: () => 'ok',
    version: () => services.version,
    executePlaybook: async (args: Record<string, unknown>, context: ResolverContext) =>
      toGraphqlResult(
        await services.executions
          .execute({
            path: parseArg(z.string().trim().min(1, 'must not be empty'), args.name, 'name'),
            workload: args.variables ?? {},
            resourceKind:
              args.resourceKind == null
                ? 'playbook'
                : parseArg(ResourceKind, args.resourceKind, 'resourceKind'),
            clientId: optionalClientId(args.clientId),
            session: context.session,
          })
          .catch(asGraphqlError),
      ),
    rerunExecution: async (args: Record<string, unknown>, context: ResolverContext) =>
      toGraphqlResult(
        await services.executions
          .rerun({
            executionId: parseArg(FlexibleId, args.executionId, 'executionId'),
            workload: args.variables ?? {},
            clientId: optionalClientId(args.clientId),
            session: context.session,
          })
          .catch(asGraphqlError),
      ),
    proxyRequest: async (
      args: { input: unknown },
      context: ResolverContext,
    ): Promise<GraphqlProxyResponse> => {
      const input = GraphqlProxyInput.safeParse(args.input);
      if (!input.success) return failed(input.error.issues[0]?.message ?? 'invalid input');
      const method = input.data.method.toUpperCase();
      if (!PROXY_METHODS.has(method)) return failed(`Unsupported HTTP method: ${input.data.method}`);
      const endpoint = input.data.endpoint;
      const path = parseApiEndpoint(endpoint);
      if (!path.ok)
        return failed(`endpoint must be a NoETL API path under /api/ without dot segments (${path.message})`);
      try {
        const response = await services.noetl.call(
          method,
          endpoint,
          input.data.body,
          undefined,
          identityOf(context),
        );
        if (response.status < 200 || response.status >= 300) {
          return failed(
            `API call failed: ${response.status} ${response.statusText} - ${response.text.slice(0, 2000)}`,
          );
        }
        const data = typeof response.body === 'string' ? { data: response.body } : response.body;
        return GraphqlProxyResponse.parse({ success: true, data, error: null });
      } catch (error) {
        return failed(`api_call: send (${(error as Error).message})`);
      }
    },
  };
}
