/**
 * @module http/requestLog
 * One JSON log line and one latency observation per request, with an `X-Request-Id` (the caller's when
 * it is a sane token, else a new one) echoed on the response. Only the path is logged — never the query
 * string (EventSource puts the session token there) and never a header value.
 */
import { randomUUID } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.ts';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(req: Request): string {
  const given = req.get('x-request-id');
  return given && SANE_REQUEST_ID.test(given) ? given : randomUUID();
}

/** A bounded set of route labels: the documented paths, prefixes for the open-ended ones, else "unmatched". */
export function routeLabel(path: string, knownPaths: ReadonlySet<string>): string {
  if (knownPaths.has(path)) return path;
  if (path.startsWith('/noetl/')) return '/noetl/*';
  if (path.startsWith('/trpc/')) return '/trpc/*';
  if (path.startsWith('/docs')) return '/docs';
  return 'unmatched';
}

export function requestLog(logger: Logger, metrics: Metrics, knownPaths: ReadonlySet<string>) {
  return function logRequest(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    // Read now: mounted routers rewrite req.url while they run, and 'finish' can fire inside one.
    const path = req.path;
    const requestId = requestIdOf(req);
    res.locals.requestId = requestId;
    res.setHeader('x-request-id', requestId);
    const done = () => {
      res.off('finish', done);
      res.off('close', done);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeLabel(path, knownPaths);
      if (route !== '/events')
        metrics.httpRequests.observe({ method: req.method, route, status: String(res.statusCode) }, seconds);
      logger.info(
        {
          req_id: requestId,
          method: req.method,
          path,
          route,
          status: res.statusCode,
          ms: Math.round(seconds * 1e4) / 10,
          aborted: !res.writableFinished,
        },
        'request',
      );
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
