/**
 * @module http/routes/systemRoutes
 * The gateway's own descriptions and probes: `/`, `/health`, `/ready`, `/metrics`, `/openapi.json`,
 * `/docs` (with its script served from the gateway), `/sharding/preview`.
 */

import type { FastifyInstance } from 'fastify';
import type { GatewayIndex, ReadyResponse, Route } from '../../contract/index.ts';
import { routes } from '../../contract/index.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { shardingPreview } from '../proxy/shardingPreview.ts';
import { acceptsGzip, docsScriptSource, renderDocsPage } from './docsPage.ts';

export interface SystemRouteOptions {
  version: string;
  metrics: Metrics;
  ready: () => Promise<ReadyResponse>;
  /** The OpenAPI document's JSON text (built on first use). */
  openApiDocument: () => Promise<string>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

const DOCS_PAGE = renderDocsPage({
  title: 'NoETL Gateway API',
  openapiPath: routes.openapi.path,
  scriptPath: routes.docsScript.path,
});

/** Registers each system route this listener serves. */
export function registerSystemRoutes(
  app: FastifyInstance,
  served: readonly Route[],
  options: SystemRouteOptions,
): void {
  const serves = (route: Route) => served.includes(route);
  if (serves(routes.index)) {
    const index: GatewayIndex = {
      name: 'NoETL Gateway',
      version: options.version,
      links: {
        docs: '/docs',
        openapi: '/openapi.json',
        health: '/health',
        ready: '/ready',
        events: '/events',
      },
    };
    const body = JSON.stringify(index);
    app.get(routes.index.path, (_request, reply) => reply.type(JSON_TYPE).send(body));
  }
  if (serves(routes.health))
    app.get(routes.health.path, (_request, reply) => reply.type('text/plain; charset=utf-8').send('ok'));
  if (serves(routes.ready))
    app.get(routes.ready.path, async (_request, reply) => {
      const report = await options.ready();
      return reply
        .code(report.ready ? 200 : 503)
        .type(JSON_TYPE)
        .send(JSON.stringify(report));
    });
  if (serves(routes.metrics))
    app.get(routes.metrics.path, async (_request, reply) =>
      reply.type(options.metrics.registry.contentType).send(await options.metrics.registry.metrics()),
    );
  if (serves(routes.openapi))
    app.get(routes.openapi.path, async (_request, reply) =>
      reply.type(JSON_TYPE).send(await options.openApiDocument()),
    );
  if (serves(routes.docs))
    app.get(routes.docs.path, (_request, reply) =>
      reply
        .type('text/html; charset=utf-8')
        .header('content-security-policy', DOCS_PAGE.contentSecurityPolicy)
        .send(DOCS_PAGE.html),
    );
  if (serves(routes.docsScript)) {
    const script = docsScriptSource();
    app.get(routes.docsScript.path, async (request, reply) => {
      const { body, encoding, etag } = await script(acceptsGzip(request.headers['accept-encoding']));
      reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .header('etag', etag)
        .header('vary', 'accept-encoding');
      if (request.headers['if-none-match'] === etag) return reply.code(304).send();
      if (encoding) reply.header('content-encoding', encoding);
      return reply.send(body);
    });
  }
  if (serves(routes.shardingPreview))
    app.get(routes.shardingPreview.path, (request, reply) =>
      reply.type(JSON_TYPE).send(shardingPreview(request.raw.url ?? '')),
    );
}
