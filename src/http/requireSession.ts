/**
 * @module http/requireSession
 * Session guard for the routes that are not tRPC procedures (/graphql, /noetl/*): 401 without a valid
 * session (clients log out on it), 502 when the validation backend fails. `checkSession` is the one
 * implementation, used by the Express middleware and by the `/noetl/*` front door.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import { GatewayError, HTTP_STATUS_OF } from '../core/errors.ts';
import type { Session, SessionResolver } from '../core/sessions/sessionResolver.ts';
import { extractSessionToken } from '../core/sessions/sessionToken.ts';
import { sendError } from './errorResponses.ts';

export function sessionOf(res: Response): Session {
  return res.locals.session as Session;
}

/** Why a request has no session: the error answer to send. */
export class SessionRefusal {
  constructor(
    readonly status: number,
    readonly message: string,
    readonly code: string,
  ) {}
}

const MISSING_TOKEN = new SessionRefusal(401, 'Missing authentication token', 'UNAUTHORIZED');
const INVALID_SESSION = new SessionRefusal(401, 'Invalid or expired session', 'UNAUTHORIZED');

/**
 * The session of a request's token, or the refusal to answer with. Throws what is not a `GatewayError`
 * (an unexpected failure, for the error handler).
 */
export async function checkSession(
  sessions: SessionResolver,
  headers: IncomingHttpHeaders,
): Promise<Session | SessionRefusal> {
  const token = extractSessionToken(headers);
  if (!token) return MISSING_TOKEN;
  try {
    return (await sessions.resolve(token)) ?? INVALID_SESSION;
  } catch (error) {
    if (error instanceof GatewayError)
      return new SessionRefusal(HTTP_STATUS_OF[error.kind], error.message, error.kind.toUpperCase());
    throw error;
  }
}

export function requireSession(sessions: SessionResolver) {
  return async function sessionGuard(req: Request, res: Response, next: NextFunction): Promise<void> {
    let outcome: Session | SessionRefusal;
    try {
      outcome = await checkSession(sessions, req.headers);
    } catch (error) {
      return next(error);
    }
    if (outcome instanceof SessionRefusal)
      return sendError(res, outcome.status, outcome.message, outcome.code);
    res.locals.session = outcome;
    next();
  };
}
