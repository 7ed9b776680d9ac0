/**
 * @module http/pipeline
 * The one request pipeline, the same on every listener (Fastify: `onRequest → parse → handler → close`):
 * request id and request log, CORS (a preflight is answered here), JSON bodies parsed losslessly within
 * the body limit, one error handler rendering every failure as a Problem, and 404 / 405 (with `Allow`)
 * from the route table. Which routes a listener has is decided by what is registered on it: a route that
 * is not registered on a listener cannot be reached there in any spelling.
 */

import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerFactory,
} from 'fastify';
import type { Logger } from 'pino';
import { Problem, problemOf } from '../api/problem.ts';
import { ANY_METHODS, type Route, routeList, servedOn } from '../contract/index.ts';
import { createServer } from '../lib/nodeHttp.ts';
import { type RequestTracer, relayTraceContext } from '../observability/tracing.ts';
import { answerClientError } from './clientError.ts';
import { type CorsPolicy, corsOutcome } from './cors.ts';
import { DEFAULT_MAX_JSON_DEPTH, jsonBodyParser } from './jsonBody.ts';
import { sendProblem } from './problemResponse.ts';
import { type RequestLog, requestIdOf } from './requestLog.ts';
import { answerAsteriskForm, isAsteriskForm } from './requestTarget.ts';

export interface ServerLimits {
  headerBytes: number;
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

export interface PipelineOptions {
  bodyLimitBytes: number;
  /** How deep arrays/objects may nest in a JSON body (GATEWAY_MAX_JSON_DEPTH; default 100). */
  maxJsonDepth?: number | undefined;
  trustProxy: number;
  cors: CorsPolicy;
  requestLog: RequestLog;
  logger: Logger;
  server: ServerLimits;
  /**
   * The trace context of each routed request (observability/tracing): spans when tracing is on; by default
   * an incoming `traceparent` is only relayed to NoETL.
   */
  tracing?: RequestTracer | undefined;
}

/** Fastify's path syntax for a table path: `{name}` → `:name`, a trailing `{path}` → `*`. */
export function fastifyPath(path: string): string {
  return path.replace(/\{path\}$/, '*').replace(/\{(\w+)\}/g, ':$1');
}

/** A regular expression matching the request paths of a table path. */
function patternOf(path: string): RegExp {
  const source = path
    .split(/(\{\w+\})/)
    .map((part) =>
      part === '{path}' ? '.+' : /^\{\w+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${source}/?$`);
}

/**
 * The methods a request path answers, for 405 `Allow`: those of the matching table paths with the fewest
 * parameters (as OpenAPI matches a concrete path before a templated one).
 */
function allowedMethods(routes: readonly Route[]): (path: string) => string | undefined {
  const matchers = routes.map((route) => ({
    pattern: patternOf(route.path),
    parameters: route.path.split('{').length - 1,
    methods: route.method === 'ANY' ? ANY_METHODS : route.method === 'GET' ? ['GET', 'HEAD'] : [route.method],
  }));
  return (path) => {
    let fewest = Number.POSITIVE_INFINITY;
    const methods = new Set<string>();
    for (const matcher of matchers) {
      if (matcher.parameters > fewest || !matcher.pattern.test(path)) continue;
      if (matcher.parameters < fewest) methods.clear();
      fewest = matcher.parameters;
      for (const method of matcher.methods) methods.add(method);
    }
    return methods.size > 0 ? [...methods].join(', ') : undefined;
  };
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The gateway's response headers decided in the first hook (request id, CORS), as a flat list. */
    ownHeaders: string[];
  }
}

/** Fastify's schema compilers, never called: no route declares a Fastify schema. */
function noSchemaCompiler(): never {
  throw new Error('Fastify route schemas are not used: routes validate with the route table’s Zod schemas');
}

/** A Fastify instance with the pipeline's hooks, parsers and error answers, and no route yet. */
export function createPipeline(options: PipelineOptions, served: readonly Route[]): FastifyInstance {
  const { server: limits } = options;
  const serverFactory: FastifyServerFactory = (handler) =>
    createServer(
      {
        maxHeaderSize: limits.headerBytes,
        headersTimeout: limits.headersTimeoutMs,
        requestTimeout: limits.requestTimeoutMs,
        // Node checks those two timeouts on this interval (default 30 s): check often enough to honour them.
        connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
      },
      handler,
    );
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimitBytes,
    // GATEWAY_TRUST_PROXY hops in front of the gateway are trusted (as Express's numeric `trust proxy`).
    trustProxy: (_address: string, hop: number) => hop < options.trustProxy,
    genReqId: requestIdOf,
    requestIdHeader: false,
    return503OnClosing: true,
    clientErrorHandler: answerClientError,
    // Lenient matching (params keep their case): a route is found however its path is spelled, so what
    // guards it is whether this listener registered it, never the spelling.
    routerOptions: { maxParamLength: 2048, ignoreDuplicateSlashes: true, caseSensitive: false },
    serverFactory,
    // Routes validate with the route table's Zod schemas and write their own JSON: Fastify's JSON-schema
    // compilers (Ajv, fast-json-stringify) are never needed, and without these factories it loads them anyway.
    schemaController: {
      compilersFactory: { buildValidator: noSchemaCompiler, buildSerializer: noSchemaCompiler },
    },
  });
  app.decorateRequest('ownHeaders', null as unknown as string[]);
  const traceRequest = options.tracing ?? relayTraceContext;

  app.addHook('onRequest', function gatewayHeaders(request: FastifyRequest, reply: FastifyReply, done) {
    const url = request.raw.url ?? '/';
    const query = url.indexOf('?');
    const route = request.routeOptions.url ?? 'unmatched';
    options.requestLog.begin(reply.raw, query < 0 ? url : url.slice(0, query), route, request.id);
    const cors = corsOutcome(options.cors, request.raw);
    const own = ['x-request-id', request.id, ...cors.headers];
    request.ownHeaders = own;
    for (let i = 0; i < own.length; i += 2) reply.header(own[i]!, own[i + 1]!);
    // `OPTIONS *` / `GET *`: not a path, so not for the router.
    if (isAsteriskForm(url)) return answerAsteriskForm(request.method, reply);
    if (cors.preflight) {
      reply.code(204).send();
      return;
    }
    // No route: answered before any body is read or parsed, whatever the method.
    if (request.is404) return notFound(request, reply);
    // The rest of the request runs in its trace scope, when it has one (no allocation when it has none).
    traceRequest(request.raw, reply.raw, route, request.id, done);
  });

  // JSON only; any other body type is 415 (the proxy's scope takes every body as a stream).
  app.removeAllContentTypeParsers();
  const parseJson = jsonBodyParser(options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH);
  for (const type of ['application/json', /^application\/[\w.+-]+\+json$/])
    app.addContentTypeParser(type, { parseAs: 'string' }, parseJson);

  app.setErrorHandler(function answerProblem(error, request, reply) {
    const problem = problemOf(error);
    if (problem.unexpected) options.logger.error({ err: error, req_id: request.id }, 'unhandled error');
    if (reply.sent || reply.raw.headersSent) {
      reply.raw.destroy();
      return;
    }
    return sendProblem(reply, problem);
  });

  const allowed = allowedMethods(served);
  function notFound(request: FastifyRequest, reply: FastifyReply) {
    const url = request.raw.url ?? '/';
    const query = url.indexOf('?');
    const methods = allowed(query < 0 ? url : url.slice(0, query));
    if (methods)
      return sendProblem(
        reply,
        new Problem('METHOD_NOT_SUPPORTED', `Method ${request.method} not allowed; use ${methods}`, {
          headers: { allow: methods },
        }),
      );
    return sendProblem(reply, new Problem('NOT_FOUND', 'Not found'));
  }
  app.setNotFoundHandler(notFound);
  return app;
}

/** Every route of the table a listener serves. */
export function routesServedOn(listener: 'public' | 'internal', internalPort: boolean): Route[] {
  return routeList.filter((route) => servedOn(route, listener, internalPort));
}
