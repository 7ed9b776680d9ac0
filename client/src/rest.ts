/**
 * @module rest
 * The REST client: `openapi-fetch` typed by the types generated from `openapi/openapi.json`
 * (`npm run generate -w client`), so every path, body and answer is checked against the published
 * document. A middleware presents the session as `Authorization: Bearer`, as every SPA does.
 */
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { GatewayHttpError } from './errors.ts';
import type { components, paths } from './generated/openapi.ts';

export type { components, paths };
/** The gateway's REST schemas by name (`Schemas['LoginResponse']`, …). */
export type Schemas = components['schemas'];
export type RestClient = Client<paths>;

export interface RestClientOptions {
  baseUrl: string;
  /** Read on every request, so a login or logout takes effect at once. */
  getToken?: (() => string | undefined) | undefined;
  fetch?: ((input: Request) => Promise<Response>) | undefined;
  /** Called when a request that carried a session was answered 401 (the session is gone). */
  onUnauthorized?: (() => void) | undefined;
}

/**
 * `/api/auth/*` are public and take tokens in the body; a stale Bearer there would make a failed login
 * look like an expired session.
 */
function carriesSession(request: Request): boolean {
  return !new URL(request.url).pathname.includes('/api/auth/');
}

function sessionMiddleware(options: RestClientOptions): Middleware {
  return {
    onRequest({ request }) {
      const token = options.getToken?.();
      if (token && carriesSession(request) && !request.headers.has('authorization'))
        request.headers.set('authorization', `Bearer ${token}`);
      return request;
    },
    onResponse({ request, response }) {
      if (response.status === 401 && request.headers.has('authorization')) options.onUnauthorized?.();
      return undefined;
    },
  };
}

export function createRestClient(options: RestClientOptions): RestClient {
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  client.use(sessionMiddleware(options));
  return client;
}

/** The message of a gateway error body: `error` (the compatibility field), else `message`. */
export function errorMessage(body: unknown, status: number): string {
  if (body && typeof body === 'object') {
    const { error, message } = body as { error?: unknown; message?: unknown };
    if (typeof error === 'string' && error) return error;
    if (typeof message === 'string' && message) return message;
  }
  if (typeof body === 'string' && body) return body.slice(0, 300);
  return `HTTP ${status}`;
}

/** openapi-fetch's `{data, error, response}` → the data, or a `GatewayHttpError` carrying the error body. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): Exclude<T, undefined> {
  const { response } = result;
  if (response.ok && result.error === undefined) return result.data as Exclude<T, undefined>;
  const body: unknown = result.error;
  const code =
    body && typeof body === 'object' && typeof (body as { code?: unknown }).code === 'string'
      ? (body as { code: string }).code
      : undefined;
  throw new GatewayHttpError(response.status, errorMessage(body, response.status), code, body);
}
