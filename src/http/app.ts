/**
 * @module http/app
 * The Express application: which route goes where, body limits, CORS, and the JSON error shape for
 * everything that is not a procedure. `/noetl/*` is not among its routes: the front door in front of it
 * (`proxy/frontDoor.ts`) serves the proxy before Express, with the same request log, CORS and errors.
 */
import type { RequestListener, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiReference } from '@scalar/express-api-reference';
import { createExpressMiddleware } from '@trpc/server/adapters/express';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Logger } from 'pino';
import { createOpenApiNodeHttpHandler } from 'trpc-to-openapi';
import type { NoetlApi } from '../adapters/ports.ts';
import { type ApiServices, createContextFactory } from '../api/context.ts';
import { buildOpenApiDocument } from '../api/openapiDocument.ts';
import { appRouter } from '../api/router.ts';
import type { ReadyResponse } from '../contract/index.ts';
import { losslessReviver } from '../lib/losslessJson.ts';
import type { Metrics } from '../observability/metrics.ts';
import { cors, corsPolicy } from './cors.ts';
import { type RaisedError, sendError, sendRaisedError } from './errorResponses.ts';
import { type EventsRouteOptions, eventsRoute } from './eventsRoute.ts';
import { graphqlPage, graphqlRoute } from './graphqlRoute.ts';
import { methodNotAllowed } from './methodNotAllowed.ts';
import { frontDoor } from './proxy/frontDoor.ts';
import { NoetlProxy } from './proxy/noetlProxy.ts';
import { shardingPreview } from './proxy/shardingPreview.ts';
import { RequestLog, requestLog } from './requestLog.ts';
import { requireSession } from './requireSession.ts';

export interface AppOptions {
  services: ApiServices;
  events: EventsRouteOptions;
  noetl: NoetlApi;
  version: string;
  cors: { allowedOrigins: string[]; allowCredentials: boolean };
  bodyLimitBytes: number;
  logger: Logger;
  metrics: Metrics;
  ready: () => Promise<ReadyResponse>;
  loginPerMinute: number;
  trustProxy: number;
  /** When set, internal routes answer only on this local port. */
  internalPort?: number | undefined;
  /** The `/noetl/*` proxy: NoETL base URL, shard base URLs by index, body cap, upstream timeout. */
  proxy: { baseUrl: string; shards: readonly string[]; maxBodyBytes: number; timeoutSecs: number };
}

const INTERNAL_ROUTE = /^\/(api\/internal\/|trpc\/internal\.)/;
/** What the internal port serves besides the internal routes: probes and metrics. */
const OPERATIONS_ROUTE = /^\/(health|ready|metrics)$/;

// The package exports no subpath for its browser bundle: locate it from the package.json.
const scalarScript = join(
  dirname(fileURLToPath(import.meta.resolve('@scalar/api-reference'))),
  'browser/standalone.js',
);

function isZodValidationError(cause: unknown): boolean {
  return cause instanceof Error && cause.name === 'ZodError';
}

export interface GatewayHttp {
  /** The Express application: every route but `/noetl/*`; the internal port's listener as it is. */
  app: express.Express;
  /** The public port's listener: `/noetl/*` served before Express, everything else by `app`. */
  frontDoor: RequestListener;
  /** Closes what outlives the servers (the proxy's upstream connection pools). */
  close(): Promise<void>;
}

export function createApp(options: AppOptions): GatewayHttp {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('trust proxy', options.trustProxy);
  const openApiDocument = buildOpenApiDocument();
  const log = new RequestLog(
    options.logger,
    options.metrics,
    new Set([...Object.keys(openApiDocument.paths ?? {}), '/metrics', '/ready', '/openapi.json']),
  );
  const policy = corsPolicy(options.cors);
  const onRaised = (res: ServerResponse, error: RaisedError, requestId: string | undefined) =>
    sendRaisedError(res, error, options.logger, requestId);
  app.use(requestLog(log));
  app.use(cors(policy));
  if (options.internalPort !== undefined) {
    const internalPort = options.internalPort;
    app.use(function internalRoutesOnInternalPort(req, res, next) {
      const onInternalPort = req.socket.localPort === internalPort;
      const allowed = onInternalPort
        ? INTERNAL_ROUTE.test(req.path) || OPERATIONS_ROUTE.test(req.path)
        : !INTERNAL_ROUTE.test(req.path);
      if (!allowed) return sendError(res, 404, 'Not found', 'NOT_FOUND');
      next();
    });
  }

  const json = express.json({
    limit: options.bodyLimitBytes,
    type: ['application/json', 'application/*+json'],
    reviver: losslessReviver,
    strict: false,
  });
  const sessionGuard = requireSession(options.services.sessions);
  const createContext = createContextFactory(options.services);

  // `/noetl/*`: served by the front door below, before this app.
  const proxy = new NoetlProxy({
    ...options.proxy,
    timeoutMs: options.proxy.timeoutSecs * 1000,
    trustForwarded: options.trustProxy > 0,
    sessions: options.services.sessions,
    onRaised,
    onUpstreamFailure: (failure, error, requestId) =>
      options.logger.warn(
        { req_id: requestId, status: failure.status, err: error },
        'proxy: upstream failure',
      ),
  });
  app.get('/sharding/preview', shardingPreview);

  app.get('/health', (_req, res) => {
    res.type('text/plain; charset=utf-8').send('ok');
  });
  app.get('/ready', async (_req, res) => {
    const report = await options.ready();
    res.status(report.ready ? 200 : 503).json(report);
  });
  app.get('/metrics', async (_req, res) => {
    res.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics());
  });
  const loginLimit = rateLimit({
    windowMs: 60_000,
    limit: options.loginPerMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: (_req, res) => {
      options.metrics.rateLimited.inc({ limit: 'login' });
      sendError(
        res,
        429,
        `Too many login attempts; at most ${options.loginPerMinute} per minute`,
        'TOO_MANY_REQUESTS',
      );
    },
  });
  app.use(['/api/auth/login', '/trpc/auth.login'], loginLimit);
  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  app.get('/docs/scalar.js', (_req, res) => res.sendFile(scalarScript));
  app.get(
    '/docs',
    apiReference({ url: '/openapi.json', cdn: '/docs/scalar.js', pageTitle: 'NoETL Gateway API' }),
  );
  app.get('/events', eventsRoute(options.events));

  app.get('/graphql', sessionGuard, graphqlPage);
  app.post(
    '/graphql',
    sessionGuard,
    json,
    graphqlRoute({ executions: options.services.executions, noetl: options.noetl, version: options.version }),
  );

  app.use(
    '/trpc',
    createExpressMiddleware({ router: appRouter, createContext, maxBodySize: options.bodyLimitBytes }),
  );

  app.use('/api', json);
  app.use(
    createOpenApiNodeHttpHandler({
      router: appRouter,
      createContext,
      maxBodySize: options.bodyLimitBytes,
      responseMeta({ paths, data, errors }) {
        const error = errors[0];
        // Wrong shape or type: 422, as the reference gateway (malformed JSON stays 400).
        if (error?.code === 'BAD_REQUEST' && isZodValidationError(error.cause)) return { status: 422 };
        const answer = data[0] as { status?: unknown } | undefined;
        if (paths?.[0] === 'internal.callbackAsync' && answer?.status === 'queued') return { status: 202 };
        // The reference's DELETE answered 204 with an empty body (the procedure returns nothing).
        if (paths?.[0] === 'subscriptions.unsubscribe' && !error) return { status: 204 };
        return {};
      },
    }) as express.RequestHandler,
  );

  app.use(methodNotAllowed(openApiDocument));
  app.use((_req, res) => sendError(res, 404, 'Not found', 'NOT_FOUND'));
  app.use((error: RaisedError, _req: Request, res: Response, _next: NextFunction) =>
    onRaised(res, error, res.locals.requestId as string | undefined),
  );
  return {
    app,
    frontDoor: frontDoor({ proxy, requestLog: log, cors: policy, fallback: app, onRaised }),
    close: () => proxy.close(),
  };
}
