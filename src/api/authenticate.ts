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
  headers: IncomingHttpHeaders;
  clientIp: string | undefined;
  /** A token from the query string (`/events`: EventSource cannot send headers). */
  queryToken?: string | undefined;
}

export interface AuthenticatorOptions {
  sessions: SessionResolver;
  /** The bearer internal routes require; undefined: they are open. */
  internalApiToken: string | undefined;
}

const MISSING_TOKEN = 'Missing authentication token';
const INVALID_SESSION = 'Invalid or expired session';

export class Authenticator {
  readonly #sessions: SessionResolver;
  readonly #internalApiToken: string | undefined;

  constructor(options: AuthenticatorOptions) {
    this.#sessions = options.sessions;
    this.#internalApiToken = options.internalApiToken;
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
    return (await this.#sessions.resolve(token, credentials.clientIp)) ?? undefined;
  }

  /** Refuses an internal call without the internal bearer, when one is required. */
  internal(credentials: Credentials): void {
    const expected = this.#internalApiToken;
    if (expected && !bearerMatches(credentials.headers.authorization, expected))
      throw new Problem('UNAUTHORIZED', 'Missing or invalid internal API token');
  }
}
