/**
 * @module http/routes/systemRoutes
 * The gateway's own descriptions and probes: `/`, `/health`, `/ready`, `/metrics`, `/openapi.json`,
 * `/docs` (with its script served from the gateway), `/sharding/preview`.
 */

import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderApiReference } from '@scalar/client-side-rendering';
import type { FastifyInstance } from 'fastify';
import type { GatewayIndex, ReadyResponse, Route } from '../../contract/index.ts';
import { routes } from '../../contract/index.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { shardingPreview } from '../proxy/shardingPreview.ts';

export interface SystemRouteOptions {
  version: string;
  metrics: Metrics;
  ready: () => Promise<ReadyResponse>;
  /** The OpenAPI document's JSON text (built on first use). */
  openApiDocument: () => Promise<string>;
}

const JSON_TYPE = 'application/json; charset=utf-8';

// The package exports no subpath for its browser bundle: locate it from its entry point.
const scalarScript = (): string =>
  join(dirname(fileURLToPath(import.meta.resolve('@scalar/api-reference'))), 'browser/standalone.js');

const DOCS_PAGE = renderApiReference({
  config: { url: routes.openapi.path, withDefaultFonts: false, hideClientButton: true },
  pageTitle: 'NoETL Gateway API',
  cdn: routes.docsScript.path,
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
    app.get(routes.docs.path, (_request, reply) => reply.type('text/html; charset=utf-8').send(DOCS_PAGE));
  if (serves(routes.docsScript)) {
    let script: Promise<Buffer> | undefined;
    app.get(routes.docsScript.path, async (_request, reply) => {
      script ??= readFile(scalarScript());
      return reply
        .type('text/javascript; charset=utf-8')
        .header('cache-control', 'public, max-age=3600')
        .send(await script);
    });
  }
  if (serves(routes.shardingPreview))
    app.get(routes.shardingPreview.path, (request, reply) =>
      reply.type(JSON_TYPE).send(shardingPreview(request.raw.url ?? '')),
    );
}
