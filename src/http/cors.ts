/**
 * @module http/cors
 * Standard CORS: the Origin is echoed only when it is on the list (or the list is `*`, then without
 * credentials). Preflights from allowed origins get 204 with the allowed methods and headers; other
 * preflights get no CORS headers (the browser then blocks the call).
 */
import type { NextFunction, Request, Response } from 'express';

const ALLOWED_METHODS = 'GET,POST,PUT,DELETE,PATCH,HEAD,OPTIONS';
const ALLOWED_HEADERS =
  'content-type,authorization,x-session-id,x-session-token,x-user-id,x-request-id,last-event-id';
const MAX_AGE_SECS = '600';

export interface CorsOptions {
  allowedOrigins: string[];
  allowCredentials: boolean;
}

export function cors(options: CorsOptions) {
  const anyOrigin = options.allowedOrigins.includes('*');
  const origins = new Set(options.allowedOrigins);
  const credentials = options.allowCredentials && !anyOrigin;
  return function corsHeaders(req: Request, res: Response, next: NextFunction): void {
    res.vary('Origin');
    const origin = req.headers.origin;
    const allowed = origin !== undefined && (anyOrigin || origins.has(origin));
    if (allowed) {
      res.setHeader('access-control-allow-origin', anyOrigin ? '*' : origin);
      if (credentials) res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-expose-headers', 'x-request-id');
    }
    const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
    if (!preflight) return next();
    if (allowed) {
      res.setHeader('access-control-allow-methods', ALLOWED_METHODS);
      res.setHeader('access-control-allow-headers', ALLOWED_HEADERS);
      res.setHeader('access-control-max-age', MAX_AGE_SECS);
    }
    res.status(204).end();
  };
}
