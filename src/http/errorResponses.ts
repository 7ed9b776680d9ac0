/**
 * @module http/errorResponses
 * JSON error bodies for the routes that are not tRPC procedures, in the same shape (`ErrorBody`).
 */
import type { Response } from 'express';
import type { ErrorBody } from '../contract/index.ts';

export function sendError(
  res: Response,
  status: number,
  message: string,
  code: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body: ErrorBody = { error: message, message, code };
  res.status(status).set(headers).json(body);
}
