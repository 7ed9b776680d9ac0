/**
 * @module http/methodNotAllowed
 * A known path called with a method it does not serve gets 405 and an `Allow` header, not 404.
 */
import type { NextFunction, Request, Response } from 'express';
import type { OpenAPIObject } from 'trpc-to-openapi';
import { sendError } from './errorResponses.ts';

const HTTP_METHODS = ['get', 'post', 'put', 'delete', 'patch'];

export function methodNotAllowed(document: OpenAPIObject) {
  const allowed = new Map<string, string>();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (path.includes('{')) continue;
    const methods = HTTP_METHODS.filter((method) => method in (item as object)).map((method) =>
      method.toUpperCase(),
    );
    allowed.set(path.toLowerCase(), methods.join(', '));
  }
  return function rejectMethod(req: Request, res: Response, next: NextFunction): void {
    const methods = allowed.get(req.path.replace(/\/+$/, '').toLowerCase());
    if (!methods) return next();
    sendError(res, 405, `Method ${req.method} not allowed; use ${methods}`, 'METHOD_NOT_ALLOWED', {
      allow: methods,
    });
  };
}
