/**
 * @module api/authenticate
 * The one way a request is authenticated, for every kind of route (REST, tRPC, GraphQL, `/events`,
 * `/noetl/*`): a caller kind of the route table and the request's credentials give a session, nothing,
 * or a refusal (a Problem).
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Caller } from '../contract/index.ts';
import { bearerMatches } from '../core/auth/sharedSecret.ts';
import type { Session, SessionResolver } from '../core/sessions/sessionResolver.ts';
import { extractSessionToken } from '../core/sessions/sessionToken.ts';
import { Problem } from './problem.ts';

/** What a request presents. */
export interface Credentials {
  /** The request's headers: the token's transports, and `Origin` / `Referer` / `Host` for the origin check. */
  headers: IncomingHttpHeaders;
  /** The HTTP method: a state-changing one authenticated by the cookie alone is checked for its origin. */
  method: string;
  /**
   * The caller's address (behind GATEWAY_TRUST_PROXY trusted proxies, the client X-Forwarded-For names),
   * read only when something needs it: reading a socket's address makes Node keep a copy of it for the
   * connection's lifetime, a cost every held `/events` stream would pay for a check that rarely needs it.
   */
  clientIp: () => string | undefined;
  /** A token from the query string (`/events`: EventSource cannot send headers). */
  queryToken?: string | undefined;
}

export interface AuthenticatorOptions {
  sessions: SessionResolver;
  /** The bearer internal routes require; undefined: they are open. */
  internalApiToken: string | undefined;
  /**
   * Origins a state-changing request authenticated by the `session_token` cookie alone may come from
   * (CORS_ALLOWED_ORIGINS; `*` does not count: a cookie is a credential). The gateway's own origin (the
   * request's `Host`) is always allowed. Undefined: no origin check (GATEWAY_COOKIE_ORIGIN_CHECK=false).
   */
  cookieOrigins?: readonly string[] | undefined;
}

const MISSING_TOKEN = 'Missing authentication token';
const INVALID_SESSION = 'Invalid or expired session';
const CROSS_SITE =
  'Cross-site request refused: a state-changing request authenticated by the session cookie alone needs an Origin (or Referer) on CORS_ALLOWED_ORIGINS; send Authorization: Bearer or X-Session-Token otherwise';

/** Methods that change nothing (RFC 9110 §9.2.1): no origin check. */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The origin (`scheme://host[:port]`) of a URL, or undefined when it has none. */
function originOf(url: string): string | undefined {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

export class Authenticator {
  readonly #sessions: SessionResolver;
  readonly #internalApiToken: string | undefined;
  readonly #cookieOrigins: ReadonlySet<string> | undefined;

  constructor(options: AuthenticatorOptions) {
    this.#sessions = options.sessions;
    this.#internalApiToken = options.internalApiToken;
    this.#cookieOrigins = options.cookieOrigins
      ? new Set(options.cookieOrigins.filter((origin) => origin !== '*'))
      : undefined;
  }

  /** The session a caller of a `caller` route presents; undefined for public and internal routes. */
  async authenticate(caller: Caller, credentials: Credentials): Promise<Session | undefined> {
    if (caller === 'session') return this.session(credentials);
    if (caller === 'internal') this.internal(credentials);
    return undefined;
  }

  /** The caller's valid session, or a 401 (clients log out on it). */
  async session(credentials: Credentials): Promise<Session> {
    const session = await this.sessionOrNothing(credentials);
    if (!session) throw new Problem('UNAUTHORIZED', INVALID_SESSION);
    return session;
  }

  /**
   * The caller's session, or undefined when the token it presents is invalid (`/events` answers that
   * with an error frame); still a 401 when it presents none.
   */
  async sessionOrNothing(credentials: Credentials): Promise<Session | undefined> {
    const token = credentials.queryToken?.trim() || extractSessionToken(credentials.headers);
    if (!token) throw new Problem('UNAUTHORIZED', MISSING_TOKEN);
    if (this.#crossSite(credentials)) throw new Problem('FORBIDDEN', CROSS_SITE);
    // The address is read only by a lookup past the memory cache (see ClientAddress).
    return (await this.#sessions.resolve(token, credentials.clientIp)) ?? undefined;
  }

  /**
   * Whether a request is a possible cross-site request forgery: state-changing, authenticated by the
   * `session_token` cookie alone (a browser attaches it to requests any site makes), and not from an
   * allowed origin — its `Origin`, or without one its `Referer`, is neither on the list nor the gateway's own.
   */
  #crossSite(credentials: Credentials): boolean {
    const allowed = this.#cookieOrigins;
    const { headers } = credentials;
    if (!allowed || headers.cookie === undefined || SAFE_METHODS.has(credentials.method)) return false;
    if (credentials.queryToken?.trim()) return false;
    // A token in a header is not sent by a browser on its own: the request comes from code that holds it.
    if (
      extractSessionToken({
        authorization: headers.authorization,
        'x-session-token': headers['x-session-token'],
      })
    )
      return false;
    const origin = headers.origin;
    const source = origin !== undefined ? (origin === 'null' ? undefined : origin) : first(headers.referer);
    const from = source === undefined ? undefined : originOf(source);
    if (from === undefined) return true;
    if (allowed.has(from)) return false;
    // Same origin: the page was served by the host the request is addressed to.
    return !(headers.host !== undefined && new URL(from).host === headers.host);
  }

  /** Refuses an internal call without the internal bearer, when one is required. */
  internal(credentials: Credentials): void {
    const expected = this.#internalApiToken;
    if (expected && !bearerMatches(credentials.headers.authorization, expected))
      throw new Problem('UNAUTHORIZED', 'Missing or invalid internal API token');
  }
}
