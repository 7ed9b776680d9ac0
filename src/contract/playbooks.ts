/**
 * @module contract/playbooks
 * Starting and rerunning playbooks (REST/tRPC and the legacy GraphQL mutation), and the pending request
 * record that routes a worker's callback back to the SSE client that asked.
 */
import { z } from 'zod';
import { ClientId, FlexibleId, JsonValue } from './common.ts';

export const ResourceKind = z.enum(['playbook', 'agent']).meta({ id: 'ResourceKind' });
export type ResourceKind = z.infer<typeof ResourceKind>;

const Workload = JsonValue.meta({
  description:
    'Playbook input. With `client_id` and an object workload, `request_id` and `gateway_url` are injected into it',
});

export const ExecuteRequest = z
  .object({
    path: z.string().max(1024).regex(/\S/, 'path must not be blank'),
    workload: Workload.optional(),
    resource_kind: ResourceKind.default('playbook'),
    client_id: ClientId.optional().meta({ description: 'Push the result to this SSE client' }),
  })
  .meta({ id: 'ExecuteRequest' });
export type ExecuteRequest = z.infer<typeof ExecuteRequest>;

export const RerunRequest = z
  .object({
    execution_id: FlexibleId,
    workload: Workload.optional(),
    client_id: ClientId.optional(),
  })
  .meta({ id: 'RerunRequest' });
export type RerunRequest = z.infer<typeof RerunRequest>;

export const ExecuteResponse = z
  .object({
    execution_id: z.string(),
    request_id: z.string().nullable().meta({ description: 'Set when `client_id` was given' }),
    name: z.string().nullable(),
    status: z.string().nullable(),
  })
  .meta({ id: 'ExecuteResponse' });
export type ExecuteResponse = z.infer<typeof ExecuteResponse>;

/** The GraphQL `ExecuteResult` type (camelCase, as every SPA reads it). */
export const GraphqlExecuteResult = z.object({
  id: z.string(),
  executionId: z.string(),
  requestId: z.string().nullable(),
  name: z.string().nullable(),
  status: z.string().nullable(),
  textOutput: z.string().nullable(),
});
export type GraphqlExecuteResult = z.infer<typeof GraphqlExecuteResult>;

/** The GraphQL `ProxyResponse` type. */
export const GraphqlProxyResponse = z.object({
  success: z.boolean(),
  data: JsonValue,
  error: z.string().nullable(),
});
export type GraphqlProxyResponse = z.infer<typeof GraphqlProxyResponse>;

/** A GraphQL-over-HTTP request (the body of POST /graphql; a JSON array of them is a batch). */
export const GraphqlRequest = z.object({
  query: z.string().regex(/\S/, 'query must not be blank'),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().nullish(),
});

export const GraphqlResponse = z.object({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z.array(z.object({ message: z.string() }).loose()).optional(),
});

/** Requests in one batched POST /graphql: a batch is a cheap way to multiply work. */
export const GRAPHQL_MAX_BATCH = 20;

/** What POST /graphql accepts: one request, or a batch. */
export const GraphqlBody = z.union([GraphqlRequest, z.array(GraphqlRequest).min(1).max(GRAPHQL_MAX_BATCH)]);
/** What it answers: one response, or one per request of a batch. */
export const GraphqlBodyResponse = z.union([GraphqlResponse, z.array(GraphqlResponse)]);

export const GraphqlProxyInput = z.object({
  method: z.string(),
  endpoint: z.string().startsWith('/', 'endpoint must start with /'),
  body: JsonValue.optional(),
});

/** A request in the `requests` K/V bucket, keyed by `request_id` (reference field names). */
export const PendingRequest = z.object({
  client_id: z.string(),
  session_token: z.string(),
  execution_id: FlexibleId,
  playbook_path: z.string(),
  created_at: z.number().int(),
});
export type PendingRequest = z.infer<typeof PendingRequest>;

/** `subscribeToExecution` / `unsubscribeFromExecution`: lifecycle frames of an execution for a client. */
export const ExecutionSubscriptionRequest = z
  .object({ execution_id: FlexibleId, client_id: ClientId })
  .meta({ id: 'ExecutionSubscriptionRequest' });
export type ExecutionSubscriptionRequest = z.infer<typeof ExecutionSubscriptionRequest>;

export const ExecutionSubscriptionResponse = z
  .object({
    execution_id: z.string(),
    client_id: z.string(),
    subscribed: z
      .boolean()
      .meta({ description: 'Whether the client now receives playbook/state frames of the execution' }),
  })
  .meta({ id: 'ExecutionSubscriptionResponse' });
export type ExecutionSubscriptionResponse = z.infer<typeof ExecutionSubscriptionResponse>;
