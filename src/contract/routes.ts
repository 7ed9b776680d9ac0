/**
 * @module contract/routes
 * The route table: every HTTP route of the gateway, once, as data — method, path, who may call it, which
 * listener serves it, its input and its answers per status as Zod schemas, its error codes, summary, tags
 * and an example. The REST handlers, the tRPC router, the OpenAPI document, the route list of
 * `/api/runtime/contract` and the 404/405 answers are all loops over this table.
 */
import { z } from 'zod';
import {
  CheckAccessRequest,
  CheckAccessResponse,
  LoginRequest,
  LoginResponse,
  ValidateRequest,
  ValidateResponse,
} from './auth.ts';
import {
  AsyncCallbackRequest,
  AsyncCallbackResponse,
  AuthCallbackRequest,
  AuthCallbackResponse,
  ProgressRequest,
  ProgressResponse,
} from './callbacks.ts';
import type { ErrorCode } from './errors.ts';
import { EventsHeaders, EventsQuery } from './events.ts';
import {
  EXAMPLE_DOCS_PAGE,
  EXAMPLE_INDEX,
  EXAMPLE_METRICS,
  EXAMPLE_NOT_READY,
  EXAMPLE_READY,
  EXAMPLE_RUNTIME_CONTRACT,
} from './examples.ts';
import { FrameByEvent } from './frames.ts';
import { IngressAccepted, IngressListenerParams, IngressRejection } from './ingress.ts';
import {
  ExecuteRequest,
  ExecuteResponse,
  ExecutionSubscriptionRequest,
  ExecutionSubscriptionResponse,
  GraphqlBody,
  GraphqlBodyResponse,
  RerunRequest,
} from './playbooks.ts';
import { ShardingPreviewQuery, ShardingPreviewResponse } from './proxy.ts';
import {
  FIRESTORE_JSON_DESCRIPTION,
  FirestoreSubscribeRequest,
  FirestoreSubscribeResponse,
  UnsubscribeRequest,
} from './subscriptions.ts';
import { GatewayIndex, ReadyResponse, RuntimeContract } from './system.ts';

/**
 * Who may call a route: anyone; a caller with a valid session (`Authorization: Bearer`, `X-Session-Token`,
 * the `session_token` cookie; `/events` also the `session_token` query parameter); or a NoETL worker
 * (`Authorization: Bearer <NOETL_INTERNAL_API_TOKEN>` when that is required).
 */
export type Caller = 'public' | 'session' | 'internal';

/**
 * Which listener serves a route when `GATEWAY_INTERNAL_PORT` is set: the public one, the internal one,
 * or both (probes and metrics). Without an internal port, one listener serves every route.
 */
export type Listener = 'public' | 'internal' | 'both';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/**
 * What a route's method `ANY` means: the methods HTTP APIs use. Any other (QUERY, TRACE, CONNECT, extension
 * methods) is answered 405 by the gateway and never forwarded.
 */
export const ANY_METHODS: readonly HttpMethod[] = [
  'GET',
  'HEAD',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'OPTIONS',
];

export interface ResponseSpec {
  description: string;
  /** The body's schema; none for an empty body. */
  schema?: z.ZodType;
  /** Default `application/json`. */
  contentType?: string;
  /**
   * An example body for this status. The first success status's example is the route's own (`example.output`
   * / `example.response`); this gives one to another status or to an error body.
   */
  example?: unknown;
}

/** The groups of routes, each with what it holds (the OpenAPI document's tags). */
export const TAGS = {
  auth: 'Sign in with an Auth0 ID token, check a session, ask whether a session may use a playbook',
  playbooks:
    'Start and rerun playbooks; their state and result arrive as frames on the caller’s `/events` stream',
  subscriptions: 'Watch Firestore collections; changes arrive as `subscription/event` frames',
  events: 'The Server-Sent-Events stream each browser tab holds open: JSON-RPC frames, resumable',
  internal:
    'Called by NoETL workers and playbooks (results, progress); served on `GATEWAY_INTERNAL_PORT` when it is set',
  graphql: 'The legacy GraphQL endpoint of the reference gateway',
  proxy: 'NoETL’s own API behind the gateway’s session check, and the shard an execution maps to',
  ingress: 'Webhook and Google Pub/Sub push deliveries that start a listener’s playbook',
  system: 'Probes, metrics, the runtime contract and this documentation',
} as const;
export type Tag = keyof typeof TAGS;

interface RouteBase {
  method: HttpMethod | 'ANY';
  /** OpenAPI form: `{name}` for a path parameter; `{path}` last for the rest of the path. */
  path: string;
  caller: Caller;
  listener: Listener;
  summary: string;
  description?: string;
  tags: readonly Tag[];
  /** Success answers by status. */
  responses: Readonly<Record<number, ResponseSpec>>;
  /** Error codes the route answers with, each with what it means here. */
  errors: Readonly<Partial<Record<ErrorCode, string>>>;
  /** Another body an error status may carry besides ErrorBody (GraphQL request errors in GraphQL's shape). */
  errorBodies?: Readonly<Record<number, ResponseSpec>>;
  /**
   * The route relays another server's answers, whatever their status and body: the gateway's own errors are
   * ErrorBody, any other answer is described by this.
   */
  relayed?: ResponseSpec;
}

/**
 * A JSON route: one input (body, path parameters or query) and one output schema. Served as REST at its
 * path and as the tRPC procedure `procedure`, by the same handler.
 */
export interface JsonRoute<
  I extends z.ZodType = z.ZodType,
  O extends z.ZodType = z.ZodType,
  P extends string = string,
  M extends HttpMethod = HttpMethod,
> extends RouteBase {
  kind: 'json';
  method: M;
  /** The tRPC procedure path, e.g. `auth.login`; also the OpenAPI operationId. */
  procedure: P;
  input: { from: 'body' | 'params' | 'query' | 'none'; schema: I };
  output: O;
  example: { input?: z.input<I>; output?: z.output<O> };
}

/** A route with its own transport (a stream, a page, the proxy, GraphQL): not a tRPC procedure. */
export interface HttpRoute extends RouteBase {
  kind: 'http';
  /** A stable name: the OpenAPI operationId and the handler's key. */
  id: string;
  /** Path parameters (`{name}` segments). */
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  body?: { schema: z.ZodType; contentType?: string; required?: boolean };
  example?: { request?: unknown; response?: unknown };
}

export type Route = JsonRoute | HttpRoute;

/** Keeps the procedure name and the method as literal types: the client's router type is derived from them. */
function jsonRoute<I extends z.ZodType, O extends z.ZodType, P extends string, M extends HttpMethod>(
  route: Omit<JsonRoute<I, O, P, M>, 'kind'>,
): JsonRoute<I, O, P, M> {
  return { kind: 'json', ...route };
}

function httpRoute(route: Omit<HttpRoute, 'kind'>): HttpRoute {
  return { kind: 'http', ...route };
}

const json = (description: string, schema: z.ZodType, example?: unknown): ResponseSpec => ({
  description,
  schema,
  ...(example !== undefined ? { example } : {}),
});

const SESSION_ERRORS = {
  UNAUTHORIZED: 'Missing, invalid or expired session token',
  FORBIDDEN:
    'A state-changing request authenticated by the session cookie alone, without an allowed Origin or Referer (`GATEWAY_COOKIE_ORIGIN_CHECK`)',
  TOO_MANY_REQUESTS: 'Too many failed session validations from this address',
  SERVICE_UNAVAILABLE: 'The session store or the validation playbook did not answer',
} as const;
const INTERNAL_ERRORS = {
  UNAUTHORIZED: 'Internal API token missing or wrong (when required)',
} as const;
const EXECUTE_ERRORS = {
  ...SESSION_ERRORS,
  FORBIDDEN:
    '`client_id` belongs to another session, the path (or the rerun execution’s playbook) is an auth playbook, or a cookie-only cross-site request',
  NOT_FOUND: 'NoETL does not know the playbook or execution',
  UNPROCESSABLE_CONTENT: 'Invalid input, or NoETL rejected the request',
  TOO_MANY_REQUESTS: 'Too many executions of this session wait for their result',
  BAD_GATEWAY: 'NoETL failed',
  SERVICE_UNAVAILABLE: 'The request store failed',
} as const;

const EXAMPLE_USER = { user_id: 42, email: 'ann@example.com', display_name: 'Ann', roles: ['user'] };
const EXAMPLE_TOKEN = '3f2a8c1e-5b7d-4e9f-a1c3-9d8e7f6a5b4c';
const EXAMPLE_CLIENT = '0b6c2f0e-2c1d-4e7a-9f3b-1d2e3f4a5b6c';
const EXAMPLE_EXECUTION = '635758340626186455';
const EXAMPLE_REQUEST = '8d1f7a52-3c4b-4f0e-9a6d-2b5c7e8f9a0b';

export const routes = {
  // ── auth ──────────────────────────────────────────────────────────────────────────────────────────
  authLogin: jsonRoute({
    procedure: 'auth.login',
    method: 'POST',
    path: '/api/auth/login',
    caller: 'public',
    listener: 'public',
    tags: ['auth'],
    summary: 'Exchange an Auth0 ID token for a NoETL session',
    input: { from: 'body', schema: LoginRequest },
    output: LoginResponse,
    responses: { 200: json('Authenticated', LoginResponse) },
    errors: {
      UNAUTHORIZED: 'Token rejected',
      TOO_MANY_REQUESTS: 'Too many login attempts from this address (`GATEWAY_LOGIN_RATE_LIMIT_PER_MIN`)',
      BAD_GATEWAY: 'NoETL failed',
      SERVICE_UNAVAILABLE: 'The login playbook did not complete in time',
    },
    example: {
      input: { auth0_token: 'eyJhbGciOiJSUzI1NiIs…' },
      output: {
        status: 'authenticated',
        session_token: EXAMPLE_TOKEN,
        user: EXAMPLE_USER,
        expires_at: '2026-12-01T08:00:00Z',
        message: 'Authentication successful',
      },
    },
  }),
  authValidate: jsonRoute({
    procedure: 'auth.validate',
    method: 'POST',
    path: '/api/auth/validate',
    caller: 'public',
    listener: 'public',
    tags: ['auth'],
    summary: 'Check a session token (200 with valid:false when it is invalid)',
    input: { from: 'body', schema: ValidateRequest },
    output: ValidateResponse,
    responses: { 200: json('The verdict', ValidateResponse) },
    errors: {
      TOO_MANY_REQUESTS: 'Too many failed session validations from this address',
      BAD_GATEWAY: 'Validation backend failed',
      SERVICE_UNAVAILABLE: 'Validation playbook did not complete in time',
    },
    example: {
      input: { session_token: EXAMPLE_TOKEN },
      output: {
        valid: true,
        user: EXAMPLE_USER,
        expires_at: '2026-12-01T08:00:00Z',
        message: 'Session is valid',
      },
    },
  }),
  authCheckAccess: jsonRoute({
    procedure: 'auth.checkAccess',
    method: 'POST',
    path: '/api/auth/check-access',
    caller: 'public',
    listener: 'public',
    tags: ['auth'],
    summary: 'Ask whether a session may use a playbook (fails closed)',
    input: { from: 'body', schema: CheckAccessRequest },
    output: CheckAccessResponse,
    responses: { 200: json('The verdict', CheckAccessResponse) },
    errors: {
      BAD_GATEWAY: 'NoETL failed',
      SERVICE_UNAVAILABLE: 'Access backend failed or did not answer in time',
    },
    example: {
      input: { session_token: EXAMPLE_TOKEN, playbook_path: 'travel/search', permission_type: 'execute' },
      output: {
        allowed: true,
        user: EXAMPLE_USER,
        playbook_path: 'travel/search',
        permission_type: 'execute',
        message: 'Access granted',
      },
    },
  }),

  // ── playbooks ─────────────────────────────────────────────────────────────────────────────────────
  playbooksExecute: jsonRoute({
    procedure: 'playbooks.execute',
    method: 'POST',
    path: '/api/playbooks/execute',
    caller: 'session',
    listener: 'public',
    tags: ['playbooks'],
    summary: 'Start a playbook; with `client_id` its result is pushed to that SSE client',
    input: { from: 'body', schema: ExecuteRequest },
    output: ExecuteResponse,
    responses: { 200: json('Started', ExecuteResponse) },
    errors: EXECUTE_ERRORS,
    example: {
      input: { path: 'travel/search', workload: { city: 'Paris' }, client_id: EXAMPLE_CLIENT },
      output: {
        execution_id: EXAMPLE_EXECUTION,
        request_id: '8d1f7a52-3c4b-4f0e-9a6d-2b5c7e8f9a0b',
        name: 'travel/search',
        status: 'started',
      },
    },
  }),
  playbooksRerun: jsonRoute({
    procedure: 'playbooks.rerun',
    method: 'POST',
    path: '/api/playbooks/rerun',
    caller: 'session',
    listener: 'public',
    tags: ['playbooks'],
    summary: 'Rerun an execution with optional workload overrides',
    input: { from: 'body', schema: RerunRequest },
    output: ExecuteResponse,
    responses: { 200: json('Started', ExecuteResponse) },
    errors: EXECUTE_ERRORS,
    example: {
      input: { execution_id: EXAMPLE_EXECUTION, workload: { city: 'Rome' } },
      output: {
        execution_id: '635758340626186999',
        request_id: null,
        name: 'travel/search',
        status: 'started',
      },
    },
  }),
  executionsSubscribe: jsonRoute({
    procedure: 'playbooks.subscribeToExecution',
    method: 'POST',
    path: '/api/executions/subscribe',
    caller: 'session',
    listener: 'public',
    tags: ['playbooks'],
    summary:
      'Receive playbook/state frames of an execution on an SSE client (e.g. one started via /noetl/execute)',
    input: { from: 'body', schema: ExecutionSubscriptionRequest },
    output: ExecutionSubscriptionResponse,
    responses: { 200: json('Subscribed', ExecutionSubscriptionResponse) },
    errors: {
      ...SESSION_ERRORS,
      FORBIDDEN:
        '`client_id` belongs to another session, or the execution is not one this session may watch (`GATEWAY_EXECUTION_SUBSCRIBE_RULE`: started by this session through the gateway, or its playbook viewable per NoETL’s check-access)',
      UNPROCESSABLE_CONTENT: 'Invalid input',
      TOO_MANY_REQUESTS: 'Too many subscriptions',
      SERVICE_UNAVAILABLE:
        'The session store, the validation playbook, or NoETL’s execution lookup / access check did not answer',
    },
    example: {
      input: { execution_id: EXAMPLE_EXECUTION, client_id: EXAMPLE_CLIENT },
      output: { execution_id: EXAMPLE_EXECUTION, client_id: EXAMPLE_CLIENT, subscribed: true },
    },
  }),
  executionsUnsubscribe: jsonRoute({
    procedure: 'playbooks.unsubscribeFromExecution',
    method: 'POST',
    path: '/api/executions/unsubscribe',
    caller: 'session',
    listener: 'public',
    tags: ['playbooks'],
    summary: 'Stop playbook/state frames of an execution for an SSE client',
    input: { from: 'body', schema: ExecutionSubscriptionRequest },
    output: ExecutionSubscriptionResponse,
    responses: { 200: json('Unsubscribed', ExecutionSubscriptionResponse) },
    errors: {
      ...SESSION_ERRORS,
      FORBIDDEN: '`client_id` belongs to another session',
      UNPROCESSABLE_CONTENT: 'Invalid input',
    },
    example: {
      input: { execution_id: EXAMPLE_EXECUTION, client_id: EXAMPLE_CLIENT },
      output: { execution_id: EXAMPLE_EXECUTION, client_id: EXAMPLE_CLIENT, subscribed: false },
    },
  }),

  // ── subscriptions ─────────────────────────────────────────────────────────────────────────────────
  subscriptionsFirestore: jsonRoute({
    procedure: 'subscriptions.firestore',
    method: 'POST',
    path: '/api/subscriptions/firestore',
    caller: 'session',
    listener: 'public',
    tags: ['subscriptions'],
    summary: 'Watch a Firestore collection; its changes arrive as subscription/event frames',
    description:
      'The existing documents arrive first as `added`, then every `added` / `modified` / `removed` change, as ' +
      '`subscription/event` frames `{subscription_id, doc_id, op, data}` on the SSE client. ' +
      `${FIRESTORE_JSON_DESCRIPTION} ` +
      'A listener fault arrives as an `error` frame (code -32010) whose `data` is SubscriptionErrorData. ' +
      'The subscription stops on DELETE, when the client has been disconnected longer than the resume window, and at shutdown.',
    input: { from: 'body', schema: FirestoreSubscribeRequest },
    output: FirestoreSubscribeResponse,
    responses: { 200: json('Subscribed', FirestoreSubscribeResponse) },
    errors: {
      ...SESSION_ERRORS,
      BAD_REQUEST: 'Unsupported scope, or a path that no template allows',
      FORBIDDEN:
        '`client_id` belongs to another session, or the caller does not own the path (ownership rule)',
      CONFLICT: 'No active SSE client is connected for this session',
      UNPROCESSABLE_CONTENT: 'Invalid input',
      TOO_MANY_REQUESTS: 'Too many subscriptions for this client',
      SERVICE_UNAVAILABLE:
        'Firestore is not configured or unavailable, or the gateway is at its subscription limit',
    },
    example: {
      input: { path: 'chat_threads/thread-1/trip/current/events', client_id: EXAMPLE_CLIENT },
      output: { subscription_id: 'sub-5f0c', client_id: EXAMPLE_CLIENT },
    },
  }),
  subscriptionsUnsubscribe: jsonRoute({
    procedure: 'subscriptions.unsubscribe',
    method: 'DELETE',
    path: '/api/subscriptions/{subscription_id}',
    caller: 'session',
    listener: 'public',
    tags: ['subscriptions'],
    summary: 'Stop a subscription of the caller’s session at once (204, empty body)',
    input: { from: 'params', schema: UnsubscribeRequest },
    output: z.void(),
    responses: { 204: { description: 'Stopped; empty body' } },
    errors: {
      ...SESSION_ERRORS,
      FORBIDDEN: 'Subscription belongs to another session',
      NOT_FOUND: 'Subscription not found',
      UNPROCESSABLE_CONTENT: 'Invalid subscription id',
    },
    example: { input: { subscription_id: 'sub-5f0c' } },
  }),

  // ── internal (NoETL workers and playbooks) ────────────────────────────────────────────────────────
  internalCallback: jsonRoute({
    procedure: 'internal.callback',
    method: 'POST',
    path: '/api/internal/callback',
    caller: 'internal',
    listener: 'internal',
    tags: ['internal'],
    summary: 'Result of an auth playbook (login, validate, check-access)',
    input: { from: 'body', schema: AuthCallbackRequest },
    output: AuthCallbackResponse,
    responses: { 200: json('Delivered (or no waiter: delivered false)', AuthCallbackResponse) },
    errors: {
      ...INTERNAL_ERRORS,
      UNPROCESSABLE_CONTENT: 'Invalid input',
      SERVICE_UNAVAILABLE: 'The bus is unavailable',
    },
    example: {
      input: { request_id: 'login-7c1e', status: 'success', data: { session_token: EXAMPLE_TOKEN } },
      output: { delivered: true, message: 'Callback delivered successfully' },
    },
  }),
  internalCallbackAsync: jsonRoute({
    procedure: 'internal.callbackAsync',
    method: 'POST',
    path: '/api/internal/callback/async',
    caller: 'internal',
    listener: 'internal',
    tags: ['internal'],
    summary: 'Result of a playbook started with a `client_id`: pushed as playbook/state then playbook/result',
    description:
      '200 when the client is connected; 202 when it is not (the frames are replayed on reconnect).',
    input: { from: 'body', schema: AsyncCallbackRequest },
    output: AsyncCallbackResponse,
    responses: {
      200: json('Delivered to the connected client', AsyncCallbackResponse),
      202: json(
        'The client is not connected: the frames are kept and replayed when it reconnects',
        AsyncCallbackResponse,
        { status: 'queued', clientDisconnected: true },
      ),
    },
    errors: {
      ...INTERNAL_ERRORS,
      NOT_FOUND: 'Request not found',
      UNPROCESSABLE_CONTENT: 'Invalid input',
      SERVICE_UNAVAILABLE: 'A backend store is unavailable; retry shortly',
    },
    example: {
      input: { request_id: '8d1f7a52-3c4b-4f0e-9a6d-2b5c7e8f9a0b', status: 'COMPLETED', data: { rows: 3 } },
      output: { status: 'delivered' },
    },
  }),
  internalProgress: jsonRoute({
    procedure: 'internal.progress',
    method: 'POST',
    path: '/api/internal/progress',
    caller: 'internal',
    listener: 'internal',
    tags: ['internal'],
    summary: 'Progress of a playbook started with a `client_id`: pushed as playbook/progress',
    input: { from: 'body', schema: ProgressRequest },
    output: ProgressResponse,
    responses: { 200: json('Sent', ProgressResponse) },
    errors: {
      ...INTERNAL_ERRORS,
      NOT_FOUND: 'Request not found',
      UNPROCESSABLE_CONTENT: 'Invalid input',
      SERVICE_UNAVAILABLE: 'A backend store is unavailable; retry shortly',
    },
    example: {
      input: { request_id: '8d1f7a52-3c4b-4f0e-9a6d-2b5c7e8f9a0b', step: 'fetch', progress: 0.5 },
      output: { status: 'sent' },
    },
  }),

  // ── system ────────────────────────────────────────────────────────────────────────────────────────
  runtimeContract: jsonRoute({
    procedure: 'system.runtimeContract',
    method: 'GET',
    path: '/api/runtime/contract',
    caller: 'public',
    listener: 'public',
    tags: ['system'],
    summary: 'What the gateway proxies and where (for the CLI and agents)',
    input: { from: 'none', schema: z.void() },
    output: RuntimeContract,
    responses: { 200: json('The runtime contract', RuntimeContract) },
    errors: {},
    example: { output: EXAMPLE_RUNTIME_CONTRACT },
  }),

  // ── routes with their own transport ───────────────────────────────────────────────────────────────
  events: httpRoute({
    id: 'events',
    method: 'GET',
    path: '/events',
    caller: 'session',
    listener: 'public',
    tags: ['events'],
    summary: 'Server-Sent-Events stream of JSON-RPC frames (one per browser tab)',
    description:
      'The SSE event name is the frame method (`message` for the init frame, `error` for an error frame). Every frame has an ' +
      '`id: <client_id>:<seq>`; reconnecting with `Last-Event-ID` (or `client_id`) replays the frames missed within the retention window. ' +
      'An invalid session yields a 200 stream with a single `error` frame (code -32002), as the reference gateway.',
    query: EventsQuery,
    headers: EventsHeaders,
    responses: {
      200: {
        description: 'The event stream; `data` of each event is one of these frames',
        contentType: 'text/event-stream',
        schema: z.union(
          // The frames are zod/mini schemas (no `.meta()` method): a registered clone, as `.meta()` makes one.
          Object.entries(FrameByEvent).map(([event, schema]) =>
            schema.clone().register(z.globalRegistry, { 'x-sse-event': event }),
          ),
        ),
      },
    },
    errors: {
      BAD_REQUEST: 'Bad `client_id`',
      UNAUTHORIZED: 'No session token',
      FORBIDDEN: '`client_id` belongs to another session',
      TOO_MANY_REQUESTS: 'Too many open event streams for this session or this gateway',
      SERVICE_UNAVAILABLE: 'Shutting down, or a backend store is unavailable',
    },
    example: {
      // The `data` of one event: a result pushed to the client that started the execution.
      response: {
        jsonrpc: '2.0',
        method: 'playbook/result',
        params: {
          data: { rows: 3 },
          executionId: EXAMPLE_EXECUTION,
          requestId: EXAMPLE_REQUEST,
          status: 'COMPLETED',
        },
      },
    },
  }),
  graphqlPage: httpRoute({
    id: 'graphqlPage',
    method: 'GET',
    path: '/graphql',
    caller: 'session',
    listener: 'public',
    tags: ['graphql'],
    summary: 'A page describing the GraphQL endpoint',
    responses: { 200: { description: 'HTML', contentType: 'text/html', schema: z.string() } },
    errors: SESSION_ERRORS,
    example: {
      response:
        '<!doctype html><meta charset="utf-8"><title>NoETL Gateway GraphQL</title><h1>GraphQL endpoint</h1><p>POST <code>{"query": "…"}</code> to <code>/graphql</code>…</p>',
    },
  }),
  graphql: httpRoute({
    id: 'graphql',
    method: 'POST',
    path: '/graphql',
    caller: 'session',
    listener: 'public',
    tags: ['graphql'],
    summary: 'Legacy GraphQL endpoint (executePlaybook, rerunExecution, proxyRequest, health, version)',
    description:
      'Execution errors are in `errors` with `extensions.code` from the same vocabulary as ErrorBody.code. ' +
      'Documents are limited in mutations, depth, aliases and batch size (see README, Security).',
    body: { schema: GraphqlBody, required: true },
    responses: {
      200: {
        description: 'GraphQL response (execution errors are in `errors`); an array for a batch',
        contentType: 'application/graphql-response+json',
        schema: GraphqlBodyResponse,
      },
    },
    errors: {
      ...SESSION_ERRORS,
      BAD_REQUEST: 'Not a GraphQL request, over a document limit, or malformed JSON',
      PARSE_ERROR: 'Malformed JSON',
      PAYLOAD_TOO_LARGE: 'Body larger than `GATEWAY_MAX_BODY_BYTES`',
      UNSUPPORTED_MEDIA_TYPE: 'Not JSON',
    },
    errorBodies: {
      400: {
        description: 'A request GraphQL cannot run, answered in GraphQL’s shape',
        contentType: 'application/graphql-response+json',
        schema: GraphqlBodyResponse,
        example: { errors: [{ message: 'Syntax Error: Expected Name, found <EOF>.' }] },
      },
    },
    example: {
      request: {
        query:
          'mutation { executePlaybook(name: "travel/search", variables: {city: "Paris"}) { executionId requestId } }',
      },
      response: { data: { executePlaybook: { executionId: EXAMPLE_EXECUTION, requestId: null } } },
    },
  }),
  proxy: httpRoute({
    id: 'proxy',
    method: 'ANY',
    path: '/noetl/{path}',
    caller: 'session',
    listener: 'public',
    tags: ['proxy'],
    summary: 'Forwarded to NoETL `/api/{path}` with the caller’s identity (any method, streamed both ways)',
    description:
      'The answer is NoETL’s, relayed as it comes (status, end-to-end headers, body). The gateway answers itself only ' +
      'for the errors below. Identity headers `x-user-id`, `x-user-email`, `x-user-roles` and `X-Forwarded-*` are set by the gateway.',
    responses: { 200: { description: 'NoETL’s answer, relayed', contentType: '*/*' } },
    // GET /noetl/executions/{id}/status: what NoETL answers, relayed.
    example: { response: { execution_id: EXAMPLE_EXECUTION, status: 'COMPLETED' } },
    relayed: { description: 'NoETL’s answer, relayed as it came (any status, any body)', contentType: '*/*' },
    errors: {
      ...SESSION_ERRORS,
      FORBIDDEN:
        'A cookie-only cross-site request (`GATEWAY_COOKIE_ORIGIN_CHECK`), or POST /noetl/execute naming an auth playbook',
      BAD_REQUEST: "A path with '.'/'..' segments, an encoded '/' or '\\', or a control character",
      NOT_FOUND: 'No NoETL path after /noetl/',
      PAYLOAD_TOO_LARGE: 'Request body over `GATEWAY_PROXY_MAX_BODY_BYTES`',
      BAD_GATEWAY: 'NoETL unreachable or the connection failed',
      GATEWAY_TIMEOUT: 'No response headers within `GATEWAY_PROXY_TIMEOUT_SECS`',
    },
  }),
  shardingPreview: httpRoute({
    id: 'shardingPreview',
    method: 'GET',
    path: '/sharding/preview',
    caller: 'public',
    listener: 'public',
    tags: ['proxy'],
    summary: 'Which shard an execution id maps to for a shard count',
    query: ShardingPreviewQuery,
    responses: { 200: json('The shard', ShardingPreviewResponse) },
    errors: { BAD_REQUEST: 'A missing or malformed `execution_id` or `shard_count`' },
    example: {
      response: {
        // For `?execution_id=4503599627370497&shard_count=4` (an id a JS number holds exactly).
        execution_id: 4503599627370497,
        shard_count: 4,
        shard_index: 1,
        source: 'noetl-gateway',
        hash_function: 'twox_hash::XxHash64',
        seed: 0,
      },
    },
  }),
  ingress: httpRoute({
    id: 'ingress',
    method: 'POST',
    path: '/ingress/{listener}',
    // No session: the delivery's own signature or token is verified against the listener's config.
    caller: 'public',
    listener: 'public',
    tags: ['ingress'],
    summary: 'Push ingress: a webhook or Google Pub/Sub push delivery starts the listener’s playbook',
    description:
      'Off (503) unless `NOETL_INTERNAL_API_TOKEN` is set. The listener’s config comes from NoETL ' +
      '(`GET /api/internal/ingress/{listener}`, cached). The delivery is verified by the config’s scheme: ' +
      '`hmac_sha256` (hex HMAC-SHA256 of the raw body in the signature header, optionally `sha256=`), `bearer`, or ' +
      '`pubsub_oidc` (a Google-signed RS256 token in `Authorization: Bearer`: audience, issuer, service account, ' +
      'verified email). Only then do allowlisted header directives (Pub/Sub: message attributes) apply, and one ' +
      'execution starts with the envelope `{id, data, headers, attributes, metadata}` (Pub/Sub push envelopes ' +
      'unwrapped, base64 data decoded) in its workload. Refusals carry the reference’s `status: "rejected"` and `reason`.',
    params: IngressListenerParams,
    body: {
      schema: z.unknown().meta({ description: 'Any body: JSON, a Pub/Sub push envelope, form data, text' }),
      contentType: '*/*',
      required: false,
    },
    responses: { 202: json('Verified; the execution started', IngressAccepted) },
    errors: {
      UNAUTHORIZED:
        'Verification failed: a missing or wrong signature or token, or an OIDC token that is malformed, expired, badly signed or signed by an unknown key',
      FORBIDDEN:
        'A valid OIDC token for another audience, issuer or service account, or an unverified email; a listener misconfigured or of an unsupported scheme',
      NOT_FOUND: 'NoETL has no push subscription for this listener',
      PAYLOAD_TOO_LARGE: 'Body larger than `GATEWAY_INGRESS_MAX_BODY_BYTES`',
      TOO_MANY_REQUESTS: 'Too many deliveries to this listener (`GATEWAY_INGRESS_RATE_LIMIT_PER_MIN`)',
      BAD_GATEWAY:
        'NoETL’s listener config, the OIDC keys (JWKS) or the execute call failed (the sender should retry)',
      SERVICE_UNAVAILABLE: 'Push ingress is off: `NOETL_INTERNAL_API_TOKEN` is unset',
    },
    errorBodies: Object.fromEntries(
      (
        [
          [401, 'UNAUTHORIZED', 'bad_signature', 'HMAC signature mismatch'],
          [403, 'FORBIDDEN', 'oidc_wrong_audience', 'OIDC audience mismatch'],
          [404, 'NOT_FOUND', 'unknown_listener', 'no push subscription for this ingress path'],
          [502, 'BAD_GATEWAY', 'dispatch_error', 'verified but could not dispatch execution'],
        ] as const
      ).map(([status, code, reason, error]) => [
        status,
        {
          description: 'A rejection: the reference’s `status` and `reason` with ErrorBody’s fields',
          schema: IngressRejection,
          example: {
            error,
            code,
            status: 'rejected',
            reason,
            ...(status === 404 || status === 502 ? { detail: error } : {}),
          },
        },
      ]),
    ),
    example: {
      request: {
        message: { data: 'eyJvcmRlcl9pZCI6NDJ9', messageId: '1', attributes: {} },
        subscription: 'projects/p/subscriptions/s',
      },
      response: { status: 'accepted', execution_id: EXAMPLE_EXECUTION },
    },
  }),
  index: httpRoute({
    id: 'index',
    method: 'GET',
    path: '/',
    caller: 'public',
    listener: 'public',
    tags: ['system'],
    summary: 'What this is and where to go next',
    responses: { 200: json('The index', GatewayIndex) },
    errors: {},
    example: { response: EXAMPLE_INDEX },
  }),
  health: httpRoute({
    id: 'health',
    method: 'GET',
    path: '/health',
    caller: 'public',
    listener: 'both',
    tags: ['system'],
    summary: 'Liveness',
    responses: { 200: { description: '`ok`', contentType: 'text/plain', schema: z.literal('ok') } },
    errors: {},
    example: { response: 'ok' },
  }),
  ready: httpRoute({
    id: 'ready',
    method: 'GET',
    path: '/ready',
    caller: 'public',
    listener: 'both',
    tags: ['system'],
    summary: 'Readiness: whether this replica can serve, dependency by dependency',
    responses: {
      200: json('Ready', ReadyResponse),
      503: json('Not ready: `checks` names what is down', ReadyResponse, EXAMPLE_NOT_READY),
    },
    errors: {},
    example: { response: EXAMPLE_READY },
  }),
  metrics: httpRoute({
    id: 'metrics',
    method: 'GET',
    path: '/metrics',
    caller: 'public',
    listener: 'both',
    tags: ['system'],
    summary: 'Prometheus metrics',
    responses: {
      200: { description: 'Prometheus text format', contentType: 'text/plain', schema: z.string() },
    },
    errors: {},
    example: { response: EXAMPLE_METRICS },
  }),
  openapi: httpRoute({
    id: 'openapi',
    method: 'GET',
    path: '/openapi.json',
    caller: 'public',
    listener: 'public',
    tags: ['system'],
    summary: 'This OpenAPI document',
    responses: { 200: { description: 'OpenAPI 3.1', schema: z.record(z.string(), z.unknown()) } },
    errors: {},
    example: {
      response: { openapi: '3.1.0', info: { title: 'NoETL Gateway', version: '3.13.0' }, paths: {} },
    },
  }),
  docs: httpRoute({
    id: 'docs',
    method: 'GET',
    path: '/docs',
    caller: 'public',
    listener: 'public',
    tags: ['system'],
    summary: 'API reference page (served from the gateway, works offline)',
    responses: { 200: { description: 'HTML', contentType: 'text/html', schema: z.string() } },
    errors: {},
    example: { response: EXAMPLE_DOCS_PAGE },
  }),
  docsScript: httpRoute({
    id: 'docsScript',
    method: 'GET',
    path: '/docs/scalar.js',
    caller: 'public',
    listener: 'public',
    tags: ['system'],
    summary: 'The API reference page’s script',
    responses: { 200: { description: 'JavaScript', contentType: 'text/javascript', schema: z.string() } },
    errors: {},
    example: { response: '/*! @scalar/api-reference */\n!function(){…}();\n' },
  }),
} as const;

export type Routes = typeof routes;
export const routeList: readonly Route[] = Object.values(routes);
export const jsonRoutes: readonly JsonRoute[] = routeList.filter(
  (route): route is JsonRoute => route.kind === 'json',
);

/** Whether a listener serves a route (`internalPort`: whether internal routes have a listener of their own). */
export function servedOn(route: Route, listener: 'public' | 'internal', internalPort: boolean): boolean {
  if (!internalPort) return listener === 'public';
  return route.listener === 'both' || route.listener === listener;
}

/** `METHOD /path` as the runtime contract lists routes. */
export function routeLine(route: Route): string {
  return `${route.method} ${route.path.replace('{path}', '{*path}')}`;
}
