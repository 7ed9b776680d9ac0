/**
 * @module http/cors
 * Standard CORS: the Origin is echoed only when it is on the list (or the list is `*`, then without
 * credentials). Preflights from allowed origins get 204 with the allowed methods and headers; other
 * preflights get no CORS headers (the browser then blocks the call).
 *
 * One decision (`corsOutcome`: the response headers, and whether it is a preflight), used by the Express
 * middleware (`cors`) and by the `/noetl/*` front door, which answers before Express and hands the
 * headers to `writeHead` in one list. Every possible outcome is built once, with the policy: deciding
 * allocates nothing.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';

const ALLOWED_METHODS = 'GET,POST,PUT,DELETE,PATCH,HEAD,OPTIONS';
const ALLOWED_HEADERS =
  'content-type,authorization,x-session-id,x-session-token,x-user-id,x-request-id,last-event-id';
const MAX_AGE_SECS = '600';

export interface CorsOptions {
  allowedOrigins: string[];
  allowCredentials: boolean;
}

export interface CorsOutcome {
  /** Response headers as a flat `[name, value, …]` list; always starts with `Vary: Origin`. */
  readonly headers: readonly string[];
  /** A preflight (OPTIONS with Access-Control-Request-Method): answered 204 with these headers. */
  readonly preflight: boolean;
}

/** The outcomes for an origin: a plain request and a preflight. */
interface OriginOutcomes {
  readonly request: CorsOutcome;
  readonly preflight: CorsOutcome;
}

/** The options, with every outcome prepared. */
export interface CorsPolicy {
  readonly anyOrigin: OriginOutcomes | undefined;
  readonly byOrigin: ReadonlyMap<string, OriginOutcomes>;
  readonly refused: OriginOutcomes;
}

const VARY = ['Vary', 'Origin'];

function outcomes(allowOrigin: string | undefined, credentials: boolean): OriginOutcomes {
  const headers = [...VARY];
  if (allowOrigin !== undefined) {
    headers.push('access-control-allow-origin', allowOrigin);
    if (credentials) headers.push('access-control-allow-credentials', 'true');
    headers.push('access-control-expose-headers', 'x-request-id');
  }
  const preflight =
    allowOrigin === undefined
      ? headers
      : [
          ...headers,
          'access-control-allow-methods',
          ALLOWED_METHODS,
          'access-control-allow-headers',
          ALLOWED_HEADERS,
          'access-control-max-age',
          MAX_AGE_SECS,
        ];
  return {
    request: Object.freeze({ headers: Object.freeze(headers), preflight: false }),
    preflight: Object.freeze({ headers: Object.freeze(preflight), preflight: true }),
  };
}

export function corsPolicy(options: CorsOptions): CorsPolicy {
  const anyOrigin = options.allowedOrigins.includes('*');
  const credentials = options.allowCredentials && !anyOrigin;
  return {
    anyOrigin: anyOrigin ? outcomes('*', false) : undefined,
    byOrigin: new Map(
      anyOrigin ? [] : options.allowedOrigins.map((origin) => [origin, outcomes(origin, credentials)]),
    ),
    refused: outcomes(undefined, false),
  };
}

/** The CORS headers of a request, and whether it is a preflight to answer 204 with them. */
export function corsOutcome(policy: CorsPolicy, req: IncomingMessage): CorsOutcome {
  const origin = req.headers.origin;
  const outcomes =
    origin === undefined
      ? policy.refused
      : (policy.anyOrigin ?? policy.byOrigin.get(origin) ?? policy.refused);
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined
    ? outcomes.preflight
    : outcomes.request;
}

/** `Vary` with `Origin` added, as the `vary` package (Express's `res.vary`) would. */
function withOrigin(vary: number | string | readonly string[] | undefined): string {
  if (vary === undefined || vary === '') return 'Origin';
  const value = Array.isArray(vary) ? vary.join(', ') : String(vary);
  const names = value
    .toLowerCase()
    .split(',')
    .map((name) => name.trim());
  if (names.includes('*')) return '*';
  return names.includes('origin') ? value : `${value}, Origin`;
}

/**
 * Sets a CORS outcome's headers on a response (Origin added to any `Vary` already there); answers a
 * preflight (204).
 * @returns whether the request was answered (a preflight): the caller then stops.
 */
export function applyCors(outcome: CorsOutcome, res: ServerResponse): boolean {
  const { headers } = outcome;
  res.setHeader('Vary', withOrigin(res.getHeader('vary')));
  for (let i = VARY.length; i < headers.length; i += 2) res.setHeader(headers[i]!, headers[i + 1]!);
  if (!outcome.preflight) return false;
  res.statusCode = 204;
  res.end();
  return true;
}

/** The Express middleware of a policy. */
export function cors(policy: CorsPolicy) {
  return function corsHeaders(req: Request, res: Response, next: NextFunction): void {
    if (!applyCors(corsOutcome(policy, req), res)) next();
  };
}
