/**
 * @module api/openapiDocument
 * The OpenAPI document: every REST procedure from the router, plus the routes that are not procedures
 * (`/events` with one schema per SSE event, `/graphql`, `/health`). Committed as openapi/openapi.json.
 */
import { generateOpenApiDocument, type OpenAPIObject } from 'trpc-to-openapi';
import { z } from 'zod';
import { ClientId, ErrorBody, FrameByEvent } from '../contract/index.ts';
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
    }
  }
  const asyncCallback = document.paths?.['/api/internal/callback/async']?.post;
  if (asyncCallback?.responses) {
    asyncCallback.responses['202'] = {
      description: 'The client is not connected: the frames are kept and replayed when it reconnects',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/AsyncCallbackResponse' } } },
    };
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
            requestParams: {
              query: z.object({
                session_token: z
                  .string()
                  .optional()
                  .meta({ description: 'Session token (EventSource cannot send headers)' }),
                client_id: ClientId.optional().meta({ description: 'Reuse a client id this session owns' }),
              }),
              header: z.object({
                'last-event-id': z
                  .string()
                  .optional()
                  .meta({ description: '`<client_id>:<seq>` to resume after' }),
              }),
            },
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
          post: {
            tags: ['graphql'],
            summary:
              'Legacy GraphQL endpoint (executePlaybook, rerunExecution, proxyRequest, health, version)',
            security: [{ Authorization: [] }],
            requestBody: {
              content: {
                'application/json': {
                  schema: z.object({
                    query: z.string(),
                    variables: z.record(z.string(), z.unknown()).optional(),
                    operationName: z.string().optional(),
                  }),
                },
              },
            },
            responses: {
              200: {
                description: 'GraphQL response',
                content: {
                  'application/graphql-response+json': {
                    schema: z.object({ data: z.unknown(), errors: z.array(z.unknown()).optional() }),
                  },
                },
              },
              401: {
                description: 'Missing or invalid session',
                content: { 'application/json': { schema: ErrorBody } },
              },
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
