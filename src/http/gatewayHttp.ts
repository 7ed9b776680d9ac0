/**
 * @module http/gatewayHttp
 * The gateway's HTTP side: one pipeline per listener, each with exactly the routes of the table it
 * serves. With `GATEWAY_INTERNAL_PORT` the internal routes are registered only on the internal
 * listener (with the probes and metrics), and the public listener has no internal route at all.
 */
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { NoetlApi } from '../adapters/ports.ts';
import type { ApiServices } from '../api/context.ts';
import type { GraphqlExecutor, GraphqlLimits } from '../api/graphql/graphqlExecutor.ts';
import type { ReadyResponse, Route } from '../contract/index.ts';
import { routes } from '../contract/index.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { RequestTracer } from '../observability/tracing.ts';
import { corsPolicy } from './cors.ts';
import { createPipeline, routesServedOn, type ServerLimits } from './pipeline.ts';
import { NoetlProxy } from './proxy/noetlProxy.ts';
import { RequestLog } from './requestLog.ts';
import { registerApiRoutes } from './routes/apiRoutes.ts';
import { type EventsRouteOptions, registerEvents } from './routes/eventsRoute.ts';
import { registerGraphql } from './routes/graphqlRoutes.ts';
import { type IngressRouteOptions, registerIngress } from './routes/ingressRoute.ts';
import { registerProxy } from './routes/proxyRoute.ts';
import { registerSystemRoutes } from './routes/systemRoutes.ts';

export interface GatewayHttpOptions {
  services: ApiServices;
  events: Omit<EventsRouteOptions, 'authenticator'>;
  noetl: NoetlApi;
  version: string;
  cors: { allowedOrigins: string[]; allowCredentials: boolean };
  bodyLimitBytes: number;
  /** Deepest nesting of a JSON body (GATEWAY_MAX_JSON_DEPTH; default 100). */
  maxJsonDepth?: number | undefined;
  logger: Logger;
  metrics: Metrics;
  ready: () => Promise<ReadyResponse>;
  trustProxy: number;
  server: ServerLimits;
  /** Whether internal routes get a listener of their own (GATEWAY_INTERNAL_PORT). */
  internalPort: boolean;
  graphqlLimits?: Partial<GraphqlLimits> | undefined;
  /** The `/noetl/*` proxy: NoETL base URL, shard base URLs by index, body cap, upstream timeout. */
  proxy: { baseUrl: string; shards: readonly string[]; maxBodyBytes: number; timeoutSecs: number };
  /** `POST /ingress/{listener}`: the ingress service (none while it is off) and its limits. */
  ingress: Omit<IngressRouteOptions, 'metrics' | 'logger'>;
  /** Each routed request's trace context (observability/tracing); default: relay an incoming traceparent. */
  tracing?: RequestTracer | undefined;
}

export interface GatewayHttp {
  public: FastifyInstance;
  /** Set when internal routes have their own listener. */
  internal: FastifyInstance | undefined;
  /** Closes what outlives the listeners (the proxy's upstream connection pools). */
  close(): Promise<void>;
}

export function createGatewayHttp(options: GatewayHttpOptions): GatewayHttp {
  const { services } = options;
  const requestLog = new RequestLog(options.logger, options.metrics);
  const cors = corsPolicy({
    ...options.cors,
    onRefusedOrigin: (origin) =>
      options.logger.warn(
        { origin },
        'CORS: this origin is not in CORS_ALLOWED_ORIGINS; browsers on it cannot read the answers (logged once per origin)',
      ),
  });
  const proxy = new NoetlProxy({
    ...options.proxy,
    timeoutMs: options.proxy.timeoutSecs * 1000,
    trustForwarded: options.trustProxy > 0,
    onUpstreamFailure: (failure, error, requestId) =>
      options.logger.warn(
        { req_id: requestId, status: failure.status, err: error },
        'proxy: upstream failure',
      ),
  });
  // GraphQL and the OpenAPI generator load on first use: a gateway that never serves them does not keep
  // graphql-js or zod-openapi in memory.
  let graphql: Promise<GraphqlExecutor> | undefined;
  const graphqlExecutor = () => {
    graphql ??= import('../api/graphql/graphqlExecutor.ts').then(({ createGraphqlExecutor }) =>
      createGraphqlExecutor({
        executions: services.executions,
        noetl: options.noetl,
        version: options.version,
        limits: options.graphqlLimits,
      }),
    );
    return graphql;
  };
  let openApi: Promise<string> | undefined;
  const openApiDocument = () => {
    openApi ??= import('../api/openapiDocument.ts').then(({ buildOpenApiDocument }) =>
      JSON.stringify(buildOpenApiDocument()),
    );
    return openApi;
  };

  const listener = (kind: 'public' | 'internal'): FastifyInstance => {
    const served = routesServedOn(kind, options.internalPort);
    const serves = (route: Route) => served.includes(route);
    const app = createPipeline(
      {
        bodyLimitBytes: options.bodyLimitBytes,
        maxJsonDepth: options.maxJsonDepth,
        trustProxy: options.trustProxy,
        cors,
        requestLog,
        logger: options.logger,
        server: options.server,
        tracing: options.tracing,
      },
      served,
    );
    registerApiRoutes(app, services, served, options.maxJsonDepth);
    registerSystemRoutes(app, served, {
      version: options.version,
      metrics: options.metrics,
      ready: options.ready,
      openApiDocument,
    });
    if (serves(routes.events))
      registerEvents(app, { ...options.events, authenticator: services.authenticator });
    if (serves(routes.graphql)) registerGraphql(app, services.authenticator, graphqlExecutor);
    if (serves(routes.proxy))
      registerProxy(app, services.authenticator, proxy, (path) =>
        services.executions.refuseAuthPlaybook(path),
      );
    if (serves(routes.ingress))
      registerIngress(app, { ...options.ingress, metrics: options.metrics, logger: options.logger });
    return app;
  };

  return {
    public: listener('public'),
    internal: options.internalPort ? listener('internal') : undefined,
    close: () => proxy.close(),
  };
}
