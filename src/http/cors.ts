/**
 * @module http/cors
 * Standard CORS: the Origin is echoed only when it is on the list (or the list is `*`, then without
 * credentials). Preflights from allowed origins get 204 with the allowed methods and headers; other
 * preflights get no CORS headers (the browser then blocks the call).
 *
 * One decision (`corsOutcome`: the response headers, and whether it is a preflight), made in the
 * pipeline's first hook for every route. Every possible outcome is built once, with the policy: deciding
 * allocates nothing.
 */
import type { IncomingMessage } from 'node:http';

const ALLOWED_METHODS = 'GET,POST,PUT,DELETE,PATCH,HEAD,OPTIONS';
const ALLOWED_HEADERS =
  'content-type,authorization,x-session-id,x-session-token,x-user-id,x-request-id,last-event-id';
const MAX_AGE_SECS = '600';

export interface CorsOptions {
  allowedOrigins: string[];
  allowCredentials: boolean;
  /**
   * Told once per refused origin (at most MAX_REPORTED_ORIGINS of them): a browser only says "Failed to
   * fetch", so the gateway's log is where an operator learns which origin to allow.
   */
  onRefusedOrigin?: (origin: string) => void;
}

const MAX_REPORTED_ORIGINS = 256;

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
  /** Reports a refused origin the first time it is seen. */
  readonly refusedOrigin: (origin: string) => void;
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
    refusedOrigin: reportOnce(options.onRefusedOrigin),
  };
}

function reportOnce(report: ((origin: string) => void) | undefined): (origin: string) => void {
  if (!report) return () => {};
  const reported = new Set<string>();
  return (origin) => {
    if (reported.has(origin) || reported.size >= MAX_REPORTED_ORIGINS) return;
    reported.add(origin);
    report(origin);
  };
}

/** The CORS headers of a request, and whether it is a preflight to answer 204 with them. */
export function corsOutcome(policy: CorsPolicy, req: IncomingMessage): CorsOutcome {
  const origin = req.headers.origin;
  const outcomes =
    origin === undefined
      ? policy.refused
      : (policy.anyOrigin ?? policy.byOrigin.get(origin) ?? policy.refused);
  if (origin !== undefined && outcomes === policy.refused) policy.refusedOrigin(origin);
  return req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined
    ? outcomes.preflight
    : outcomes.request;
}
