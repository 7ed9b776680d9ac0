/**
 * @module http/requireSession
 * Session guard for the Express routes that are not tRPC procedures (/graphql, /noetl/*): 401 without
 * a valid session (clients log out on it), 502 when the validation backend fails.
 */
import type { NextFunction, Request, Response } from 'express';
import { GatewayError, HTTP_STATUS_OF } from '../core/errors.ts';
import type { Session, SessionResolver } from '../core/sessions/sessionResolver.ts';
import { extractSessionToken } from '../core/sessions/sessionToken.ts';
import { sendError } from './errorResponses.ts';

export function sessionOf(res: Response): Session {
  return res.locals.session as Session;
}

export function requireSession(sessions: SessionResolver) {
  return async function sessionGuard(req: Request, res: Response, next: NextFunction): Promise<void> {
    const token = extractSessionToken(req.headers);
    if (!token) return sendError(res, 401, 'Missing authentication token', 'UNAUTHORIZED');
    try {
      const session = await sessions.resolve(token);
      if (!session) return sendError(res, 401, 'Invalid or expired session', 'UNAUTHORIZED');
      res.locals.session = session;
      next();
    } catch (error) {
      if (error instanceof GatewayError)
        return sendError(res, HTTP_STATUS_OF[error.kind], error.message, error.kind.toUpperCase());
      next(error);
    }
  };
}
