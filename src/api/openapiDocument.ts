/**
 * @module api/openapiDocument
 * The OpenAPI document: every REST procedure from the router, plus the routes that are not procedures
 * (`/events` with one schema per SSE event, `/graphql`, `/health`). Committed as openapi/openapi.json.
 */
import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';
import {
  ErrorBody,
  EventsHeaders,
  EventsQuery,
  FrameByEvent,
  GraphqlBody,
  GraphqlBodyResponse,
} from '../contract/index.ts';
import { GATEWAY_VERSION } from '../lib/version.ts';
import { appRouter } from './router.ts';

const sseEvents = Object.entries(FrameByEvent).map(([event, schema]) =>
  schema.meta({ 'x-sse-event': event }),
);

const errorBodyRef = { $ref: '#/components/schemas/ErrorBody' };
const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: errorBodyRef } },
});

const GENERIC_ERROR_DESCRIPTIONS: Record<string, string> = {
  '401': 'Missing or invalid credentials (session token, or internal token on /api/internal/*)',
  '403': 'Forbidden: the client_id or resource belongs to another session',
  '404': 'Not found (unknown request_id, playbook or execution)',
  '429': 'A limit was reached; retry later',
  '502': 'NoETL failed or answered with an error',
  '503': 'A backend (auth playbook, NoETL, NATS) did not answer in time or is unavailable',
};

/** Statuses every JSON-body operation can answer before its procedure runs. */
const BODY_ERRORS = {
  '400': errorResponse('Malformed JSON'),
  '413': errorResponse('Body larger than GATEWAY_MAX_BODY_BYTES'),
  '415': errorResponse('Content-Type is not application/json'),
  '422': errorResponse('Valid JSON of the wrong shape: `issues` names each field'),
};

/**
 * trpc-to-openapi describes errors with its own closed schemas (`error.<CODE>`); the gateway's error
 * body is ErrorBody (`error` is the compatibility field), so every error response points there.
 */
function useErrorBody(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  for (const name of Object.keys(schemas)) if (name.startsWith('error.')) delete schemas[name];
  for (const item of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(
      item as Record<
        string,
        {
          requestBody?: unknown;
          parameters?: unknown[];
          responses?: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>;
        }
      >,
    )) {
      if (!operation.responses) continue;
      for (const response of Object.values(operation.responses)) {
        const json = response.content?.['application/json'];
        if (json?.schema?.$ref?.startsWith('#/components/schemas/error.')) json.schema = errorBodyRef;
      }
      if (operation.requestBody)
        Object.assign(operation.responses, { ...BODY_ERRORS, ...operation.responses });
      else if (operation.parameters?.length) {
        // Path and query inputs are validated by the same schemas: a wrong one is 422 too.
        operation.responses['422'] ??= BODY_ERRORS['422'];
      }
    }
  }
  // Internal routes take the internal token when NOETL_INTERNAL_API_TOKEN is set, nothing otherwise;
  // protected routes take the session token (the generator would offer every scheme as an alternative).
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const operation of Object.values(
      item as Record<string, { security?: unknown[]; responses?: Record<string, { description?: string }> }>,
    )) {
      if (path.startsWith('/api/internal/')) operation.security = [{}, { InternalToken: [] }];
      else if (operation.security?.length) operation.security = [{ Authorization: [] }];
      // The generator shares one description per status across operations; a generic one is true everywhere.
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        const generic = GENERIC_ERROR_DESCRIPTIONS[status];
        if (generic && !path.startsWith('/events') && !path.startsWith('/graphql'))
          response.description = generic;
      }
    }
  }
  const asyncCallback = document.paths?.['/api/internal/callback/async']?.post;
  if (asyncCallback?.responses) {
    asyncCallback.responses['202'] = {
      description: 'The client is not connected: the frames are kept and replayed when it reconnects',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/AsyncCallbackResponse' } } },
    };
  }
  const unsubscribe = document.paths?.['/api/subscriptions/{subscription_id}']?.delete;
  if (unsubscribe?.responses) {
    delete unsubscribe.responses['200'];
    unsubscribe.responses['204'] = { description: 'Stopped; empty body' };
  }
  return document;
}

export function buildOpenApiDocument(baseUrl = 'http://localhost:8090'): OpenAPIObject {
  return useErrorBody(
    generateOpenApiDocument(appRouter, {
      title: 'NoETL Gateway',
      version: GATEWAY_VERSION,
      description:
        'The one door between NoETL clients and a NoETL server: auth, execute, SSE push of results, worker callbacks. ' +
        'Errors are `{"error": "<reason>"}` (plus `code` and, for invalid input, `issues`).',
      baseUrl,
      securitySchemes: {
        Authorization: {
          type: 'http',
          scheme: 'bearer',
          description: 'The session token from POST /api/auth/login',
        },
        InternalToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'NOETL_INTERNAL_API_TOKEN, required on /api/internal/* when it is set',
        },
      },
      defs: { ErrorBody },
      paths: {
        '/events': {
          get: {
            tags: ['events'],
            summary: 'Server-Sent-Events stream of JSON-RPC frames (one per browser tab)',
            description:
              'The SSE event name is the frame method (`message` for the init frame, `error` for an error frame). Every frame has an ' +
              '`id: <client_id>:<seq>`; reconnecting with `Last-Event-ID` (or `client_id`) replays the frames missed within the retention window. ' +
              'An invalid session yields a 200 stream with a single `error` frame (code -32002), as the reference gateway.',
            requestParams: { query: EventsQuery, header: EventsHeaders },
            responses: {
              200: {
                description: 'The event stream; `data` of each event is one of these frames',
                content: { 'text/event-stream': { schema: z.union(sseEvents) } },
              },
              400: { description: 'Bad client_id', content: { 'application/json': { schema: ErrorBody } } },
              401: {
                description: 'No session token',
                content: { 'application/json': { schema: ErrorBody } },
              },
              403: {
                description: 'client_id belongs to another session',
                content: { 'application/json': { schema: ErrorBody } },
              },
            },
          },
        },
        '/graphql': {
          get: {
            tags: ['graphql'],
            summary: 'A page describing the GraphQL endpoint',
            security: [{ Authorization: [] }],
            responses: {
              200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } },
              401: {
                description: 'Missing or invalid session',
                content: { 'application/json': { schema: ErrorBody } },
              },
            },
          },
          post: {
            tags: ['graphql'],
            summary:
              'Legacy GraphQL endpoint (executePlaybook, rerunExecution, proxyRequest, health, version)',
            security: [{ Authorization: [] }],
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: GraphqlBody,
                },
              },
            },
            responses: {
              200: {
                description: 'GraphQL response (execution errors are in `errors`); an array for a batch',
                content: {
                  'application/graphql-response+json': {
                    schema: GraphqlBodyResponse,
                  },
                },
              },
              400: {
                description: 'Not a GraphQL request (or malformed JSON)',
                content: {
                  'application/graphql-response+json': {
                    schema: GraphqlBodyResponse,
                  },
                  'application/json': { schema: ErrorBody },
                },
              },
              401: {
                description: 'Missing or invalid session',
                content: { 'application/json': { schema: ErrorBody } },
              },
              413: { description: 'Body too large', content: { 'application/json': { schema: ErrorBody } } },
              415: { description: 'Not JSON', content: { 'application/json': { schema: ErrorBody } } },
            },
          },
        },
        '/health': {
          get: {
            tags: ['system'],
            summary: 'Liveness',
            responses: {
              200: { description: '`ok`', content: { 'text/plain': { schema: z.literal('ok') } } },
            },
          },
        },
      },
    }),
  );
}
