/**
 * @module api/openapiDocument
 * The OpenAPI 3.1 document, a loop over the route table: every route with its caller's security scheme,
 * its inputs, its answers per status, its error codes (all answered as ErrorBody) and its example.
 * Committed as openapi/openapi.json; a test fails when they drift.
 */
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';

type Responses = Record<string, ZodOpenApiResponseObject>;

import { z } from 'zod';
import {
  ANY_METHODS,
  ERROR_STATUS,
  ErrorBody,
  type ErrorCode,
  type JsonRoute,
  type Route,
  routeList,
  TAGS,
} from '../contract/index.ts';
import { GATEWAY_VERSION } from '../lib/packageInfo.ts';

/**
 * The `{path}` parameter as one segment the gateway's path guard lets through: no control character,
 * backslash, '#', '%' or '/', and not '.' or '..'. The path may hold several segments, but a '/' inside one
 * parameter value is sent encoded, and an encoded '/' is refused.
 */
const PROXIED_SEGMENT = '^(?! *\\.{1,2} *$)[^\\u0000-\\u001f\\u007f/\\\\#%]+$';

/** What every route with a JSON body can answer before its handler runs. */
const BODY_ERRORS: Partial<Record<ErrorCode, string>> = {
  PARSE_ERROR: 'Malformed JSON',
  PAYLOAD_TOO_LARGE: 'Body larger than `GATEWAY_MAX_BODY_BYTES`',
  UNSUPPORTED_MEDIA_TYPE: 'Content-Type is not application/json',
  UNPROCESSABLE_CONTENT: 'Valid JSON of the wrong shape: `issues` names each field',
};

const SECURITY: Record<Route['caller'], ZodOpenApiOperationObject['security']> = {
  public: [],
  session: [{ SessionToken: [] }, { SessionCookie: [] }],
  // Open unless GATEWAY_REQUIRE_INTERNAL_TOKEN / NOETL_INTERNAL_API_TOKEN requires the bearer.
  internal: [{}, { InternalToken: [] }],
};

function hasJsonBody(route: Route): boolean {
  return route.kind === 'json'
    ? route.input.from === 'body'
    : route.body !== undefined && (route.body.contentType ?? 'application/json') === 'application/json';
}

/**
 * What every route can answer before routing: a header block over `GATEWAY_MAX_HEADER_BYTES` is refused by
 * the HTTP server itself, in the framework's shape rather than ErrorBody.
 */
const TRANSPORT_ERRORS: Responses = {
  '431': {
    description:
      '`REQUEST_HEADER_FIELDS_TOO_LARGE`: request header block larger than `GATEWAY_MAX_HEADER_BYTES`, refused by the HTTP server before routing',
    content: {
      'application/json': {
        schema: ErrorBody,
        example: {
          error: 'Request headers larger than GATEWAY_MAX_HEADER_BYTES',
          code: 'REQUEST_HEADER_FIELDS_TOO_LARGE',
        },
      },
    },
  },
};

/** The first field of a route's JSON body, for the example of an UNPROCESSABLE_CONTENT answer. */
function firstBodyField(route: Route): string {
  const schema = route.kind === 'json' ? route.input.schema : route.body?.schema;
  const shape = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  return shape[0] ?? 'body';
}

/** An ErrorBody as the gateway sends it for `code` on this route, the reason being what the table says. */
function errorExample(route: Route, code: ErrorCode, description: string): ErrorBody {
  const reason = description.replaceAll('`', '');
  if (code !== 'UNPROCESSABLE_CONTENT') return { error: reason, code };
  const field = firstBodyField(route);
  const message = 'Invalid input: expected string, received number';
  return { error: `Invalid input: ${field}: ${message}`, code, issues: [{ path: [field], message }] };
}

/** What a relaying route's error status may carry: the gateway's ErrorBody or the other server's answer. */
const relayedOrError = (relayed: string) => z.union([ErrorBody, z.unknown().meta({ description: relayed })]);

/** Error answers by status; codes sharing a status share one response whose description names each. */
function errorResponses(route: Route): Responses {
  const errors = { ...(hasJsonBody(route) ? BODY_ERRORS : {}), ...route.errors };
  const byStatus = new Map<number, [ErrorCode, string][]>();
  for (const [code, description] of Object.entries(errors) as [ErrorCode, string][]) {
    const status = ERROR_STATUS[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), [code, description]]);
  }
  const responses: Responses = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    const other = route.errorBodies?.[status];
    const examples = Object.fromEntries(
      codes.map(([code, description]) => [
        code,
        { summary: `\`${code}\``, value: errorExample(route, code, description) },
      ]),
    );
    responses[String(status)] = {
      description: [
        ...codes.map(([code, description]) => `\`${code}\`: ${description}`),
        ...(other ? [other.description] : []),
      ].join('; '),
      content: {
        'application/json': {
          schema: route.relayed ? relayedOrError(route.relayed.description) : ErrorBody,
          examples,
        },
        ...(other?.schema
          ? {
              [other.contentType ?? 'application/json']: {
                schema: other.schema,
                ...(other.example !== undefined ? { example: other.example } : {}),
              },
            }
          : {}),
        ...(route.relayed ? { [route.relayed.contentType ?? '*/*']: {} } : {}),
      },
    };
  }
  if (route.relayed)
    responses.default = {
      description: route.relayed.description,
      content: { [route.relayed.contentType ?? '*/*']: {} },
    };
  return responses;
}

function successResponses(route: Route): Responses {
  const responses: Responses = {};
  const first = Object.keys(route.responses)[0];
  const routeExample = route.kind === 'json' ? route.example.output : route.example?.response;
  for (const [status, spec] of Object.entries(route.responses)) {
    const example = spec.example ?? (status === first ? routeExample : undefined);
    const withExample = example !== undefined ? { example } : {};
    responses[status] = spec.schema
      ? {
          description: spec.description,
          content: { [spec.contentType ?? 'application/json']: { schema: spec.schema, ...withExample } },
        }
      : spec.contentType && example !== undefined
        ? { description: spec.description, content: { [spec.contentType]: withExample } }
        : { description: spec.description };
  }
  return responses;
}

function jsonInput(route: JsonRoute): Partial<ZodOpenApiOperationObject> {
  const { from, schema } = route.input;
  if (from === 'body')
    return {
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema,
            ...(route.example.input !== undefined ? { example: route.example.input } : {}),
          },
        },
      },
    };
  if (from === 'params') return { requestParams: { path: schema as never } };
  if (from === 'query') return { requestParams: { query: schema as never } };
  return {};
}

function operation(route: Route, method: string): ZodOpenApiOperationObject {
  const id = route.kind === 'json' ? route.procedure : route.id;
  const input: Partial<ZodOpenApiOperationObject> =
    route.kind === 'json'
      ? jsonInput(route)
      : {
          ...(route.params || route.query || route.headers
            ? {
                requestParams: {
                  ...(route.params ? { path: route.params } : {}),
                  ...(route.query ? { query: route.query } : {}),
                  ...(route.headers ? { header: route.headers } : {}),
                },
              }
            : {}),
          ...(route.body
            ? {
                requestBody: {
                  required: route.body.required ?? true,
                  content: {
                    [route.body.contentType ?? 'application/json']: {
                      schema: route.body.schema,
                      ...(route.example?.request !== undefined ? { example: route.example.request } : {}),
                    },
                  },
                },
              }
            : {}),
        };
  return {
    operationId: route.method === 'ANY' ? `${id}.${method}` : id,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    tags: [...route.tags],
    security: SECURITY[route.caller],
    ...input,
    ...(route.path.includes('{path}')
      ? {
          parameters: [
            {
              name: 'path',
              in: 'path',
              required: true,
              description: 'The NoETL API path after /api/ (may contain `/`)',
              schema: { type: 'string', pattern: PROXIED_SEGMENT },
            },
          ],
        }
      : {}),
    responses: { ...successResponses(route), ...errorResponses(route), ...TRANSPORT_ERRORS },
  };
}

/**
 * `baseUrl` defaults to `/`: relative to where the document is read (the gateway serves it at
 * /openapi.json), so the API reference page tries requests against the gateway that served it.
 */
export function buildOpenApiDocument(baseUrl = '/') {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of routeList) {
    paths[route.path] ??= {};
    const item = paths[route.path] as Record<string, ZodOpenApiOperationObject>;
    const methods = route.method === 'ANY' ? ANY_METHODS : [route.method];
    for (const method of methods) item[method.toLowerCase()] = operation(route, method.toLowerCase());
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'NoETL Gateway',
      version: GATEWAY_VERSION,
      description:
        'The one door between NoETL clients and a NoETL server: auth, execute, SSE push of results, worker callbacks, the NoETL proxy. ' +
        'Every error (except on /trpc) is `{"error": "<reason>", "code": "<ErrorCode>"}` plus `issues` for invalid input; ' +
        'tRPC clients get the same code in tRPC’s error shape.',
      license: { name: 'MIT', identifier: 'MIT' },
      contact: { name: 'NoETL Gateway', url: 'https://github.com/noetl/gateway-ts/issues' },
    },
    servers: [{ url: baseUrl, description: 'The gateway serving this document' }],
    security: [],
    tags: Object.entries(TAGS).map(([name, description]) => ({ name, description })),
    paths,
    components: {
      securitySchemes: {
        SessionToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'The session token from POST /api/auth/login (also accepted as `X-Session-Token`)',
        },
        SessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: 'session_token',
          description: 'The session token as a cookie',
        },
        InternalToken: {
          type: 'http',
          scheme: 'bearer',
          description: '`NOETL_INTERNAL_API_TOKEN`, on /api/internal/* when the gateway requires it',
        },
      },
    },
  });
}
