/**
 * @module http/graphqlRoute
 * The legacy GraphQL endpoint every existing SPA uses for `executePlaybook`. Same schema as the reference
 * gateway; resolvers call the same services as REST and tRPC, and their answers are checked by the
 * same contract schemas.
 */
import type { Request, Response } from 'express';
import { buildSchema, GraphQLError, GraphQLScalarType, graphql, valueFromASTUntyped } from 'graphql';
import { z } from 'zod';
import type { NoetlApi } from '../adapters/ports.ts';
import {
  ClientId,
  type ExecuteResponse,
  FlexibleId,
  GRAPHQL_MAX_BATCH,
  GraphqlExecuteResult,
  GraphqlProxyInput,
  GraphqlProxyResponse,
  GraphqlRequest,
  ResourceKind,
} from '../contract/index.ts';
import { GatewayError } from '../core/errors.ts';
import type { ExecutionService } from '../core/executions/executionService.ts';
import type { Session } from '../core/sessions/sessionResolver.ts';
import { sendError } from './errorResponses.ts';
import { sessionOf } from './requireSession.ts';

const SDL = /* GraphQL */ `
  schema { query: QueryRoot mutation: MutationRoot }
  scalar JSON
  enum ExecutableResourceKind { playbook agent }
  type QueryRoot {
    "Health check endpoint."
    health: String!
    "Gateway version info."
    version: String!
  }
  type MutationRoot {
    "Execute a playbook by path."
    executePlaybook(name: String!, variables: JSON, resourceKind: ExecutableResourceKind, clientId: String): ExecuteResult!
    "Rerun an existing execution with optional workload overrides."
    rerunExecution(executionId: String!, variables: JSON, clientId: String): ExecuteResult!
    "Generic proxy for any NoETL API call via GraphQL."
    proxyRequest(input: ProxyRequestInput!): ProxyResponse!
  }
  "Result of executing a playbook."
  type ExecuteResult {
    "Execution ID (alias for GraphQL compatibility)."
    id: String!
    "Execution ID (snowflake)."
    executionId: String!
    "Request ID for async callback tracking."
    requestId: String
    "Playbook name/path."
    name: String
    "Initial status."
    status: String
    "Text output from playbook (populated when available)."
    textOutput: String
  }
  "Result of a proxy API request to NoETL."
  type ProxyResponse {
    "Whether the request was successful."
    success: Boolean!
    "Response data (JSON)."
    data: JSON
    "Error message if failed."
    error: String
  }
  "Input for proxy API request."
  input ProxyRequestInput {
    "HTTP method (GET, POST, PUT, DELETE, PATCH)."
    method: String!
    "API endpoint (e.g., \\"/api/catalog/list\\")."
    endpoint: String!
    "Request body (JSON) - optional for GET/DELETE."
    body: JSON
  }
`;

const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (ast, variables) => valueFromASTUntyped(ast, variables),
});

const schema = buildSchema(SDL);
Object.assign(schema.getType('JSON') as GraphQLScalarType, {
  serialize: JsonScalar.serialize,
  parseValue: JsonScalar.parseValue,
  parseLiteral: JsonScalar.parseLiteral,
});

const PROXY_METHODS = new Set(['GET', 'POST', 'PUT', 'DELETE', 'PATCH']);

interface ResolverContext {
  session: Session;
}

export interface GraphqlRouteOptions {
  executions: ExecutionService;
  noetl: NoetlApi;
  version: string;
}

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
      extensions: { code: 'BAD_USER_INPUT' },
    });
  return parsed.data;
}

function asGraphqlError(error: unknown): never {
  if (error instanceof GatewayError)
    throw new GraphQLError(error.message, { extensions: { code: error.kind.toUpperCase() } });
  throw error;
}

function rootValue(options: GraphqlRouteOptions) {
  const optionalClientId = (value: unknown) =>
    value == null ? undefined : parseArg(ClientId, value, 'clientId');
  return {
    health: () => 'ok',
    version: () => options.version,
    executePlaybook: async (args: Record<string, unknown>, context: ResolverContext) =>
      toGraphqlResult(
        await options.executions
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
        await options.executions
          .rerun({
            executionId: parseArg(FlexibleId, args.executionId, 'executionId'),
            workload: args.variables ?? {},
            clientId: optionalClientId(args.clientId),
            session: context.session,
          })
          .catch(asGraphqlError),
      ),
    proxyRequest: async (args: { input: unknown }): Promise<GraphqlProxyResponse> => {
      const failed = (error: string): GraphqlProxyResponse => ({ success: false, data: null, error });
      const input = GraphqlProxyInput.safeParse(args.input);
      if (!input.success) return failed(input.error.issues[0]?.message ?? 'invalid input');
      const method = input.data.method.toUpperCase();
      if (!PROXY_METHODS.has(method)) return failed(`Unsupported HTTP method: ${input.data.method}`);
      const endpoint = input.data.endpoint;
      if (!endpoint.startsWith('/api/') || /(^|\/)\.\.?(\/|$|\?)|%2e|%2f/i.test(endpoint)) {
        return failed('endpoint must be a NoETL API path under /api/ without dot segments');
      }
      try {
        const response = await options.noetl.call(method, endpoint, input.data.body);
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

export function graphqlRoute(options: GraphqlRouteOptions) {
  const root = rootValue(options);
  const runOne = async (body: unknown, session: Session) => {
    const request = GraphqlRequest.safeParse(body);
    if (!request.success)
      return {
        status: 400,
        result: {
          errors: [{ message: 'Expected a GraphQL request: {"query": string, "variables"?: object}' }],
        },
      };
    const result = await graphql({
      schema,
      source: request.data.query,
      rootValue: root,
      contextValue: { session } satisfies ResolverContext,
      variableValues: request.data.variables ?? undefined,
      operationName: request.data.operationName ?? undefined,
    });
    return { status: 200, result };
  };
  return async function graphqlHandler(req: Request, res: Response): Promise<void> {
    const session = sessionOf(res);
    if (req.body === undefined)
      return sendError(
        res,
        415,
        'Expected request with `Content-Type: application/json`',
        'UNSUPPORTED_MEDIA_TYPE',
      );
    res.type('application/graphql-response+json');
    if (Array.isArray(req.body)) {
      if (req.body.length === 0 || req.body.length > GRAPHQL_MAX_BATCH) {
        res.status(400).send(
          JSON.stringify({
            errors: [{ message: `A batch holds 1 to ${GRAPHQL_MAX_BATCH} GraphQL requests` }],
          }),
        );
        return;
      }
      const answers = await Promise.all(req.body.map((item) => runOne(item, session)));
      // One malformed entry makes the whole batch a bad request, as a single malformed request is.
      const status = answers.every((answer) => answer.status === 200) ? 200 : 400;
      res.status(status).send(JSON.stringify(answers.map((answer) => answer.result)));
      return;
    }
    const answer = await runOne(req.body, session);
    res.status(answer.status).send(JSON.stringify(answer.result));
  };
}

export function graphqlPage(_req: Request, res: Response): void {
  res
    .type('text/html; charset=utf-8')
    .send(
      '<!doctype html><meta charset="utf-8"><title>NoETL Gateway GraphQL</title><h1>GraphQL endpoint</h1>' +
        '<p>POST <code>{"query": "…", "variables": {…}}</code> to <code>/graphql</code> with <code>Authorization: Bearer &lt;session_token&gt;</code>. ' +
        'See <a href="/docs">the API reference</a> for the REST and SSE routes.</p>',
    );
}
