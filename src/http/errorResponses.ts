/**
 * @module http/errorResponses
 * JSON error bodies for the routes that are not tRPC procedures, in the same shape (`ErrorBody`), written
 * on a plain `node:http` response (what Express's `res.status().set().json()` wrote: the same headers,
 * no body for HEAD) so the `/noetl/*` front door, which answers before Express, sends the same bytes.
 */
import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { BackendUnavailableError } from '../adapters/ports.ts';
import type { ErrorBody } from '../contract/index.ts';

const NO_HEADERS: Readonly<Record<string, string>> = Object.freeze({});

/** A Content-Type set before the error, with its charset made utf-8 (as Express's `res.send`). */
function withUtf8(type: string): string {
  return `${type.replace(/\s*;\s*charset=("[^"]*"|[^;]*)/gi, '')}; charset=utf-8`;
}

export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  code: string,
  headers: Readonly<Record<string, string>> = NO_HEADERS,
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const body: ErrorBody = { error: message, message, code };
  const text = JSON.stringify(body);
  res.statusCode = status;
  for (const name in headers) res.setHeader(name, headers[name]!);
  const type = res.getHeader('content-type');
  res.setHeader(
    'Content-Type',
    typeof type === 'string' ? withUtf8(type) : 'application/json; charset=utf-8',
  );
  res.setHeader('Content-Length', String(Buffer.byteLength(text)));
  // Node sends no body for HEAD by itself.
  res.end(text);
}

/** A request failure raised rather than answered (e.g. an Express body parser's, a thrown error). */
export type RaisedError = Error & { type?: string; status?: number; limit?: number };

/**
 * The answer to an error nothing answered yet: the last Express error handler, and the `/noetl/*` front
 * door for what it cannot answer itself (a session check that fails unexpectedly).
 */
export function sendRaisedError(
  res: ServerResponse,
  error: RaisedError,
  logger: Logger,
  requestId: string | undefined,
): void {
  if (error.type === 'entity.too.large') {
    return sendError(res, 413, `Request body too large (limit ${error.limit} bytes)`, 'PAYLOAD_TOO_LARGE');
  }
  if (error.type === 'entity.parse.failed') {
    return sendError(res, 400, `Failed to parse the request body as JSON: ${error.message}`, 'PARSE_ERROR');
  }
  if (error.status && error.status >= 400 && error.status < 500)
    return sendError(res, error.status, error.message, 'BAD_REQUEST');
  if (error instanceof BackendUnavailableError) {
    return sendError(res, 503, 'A backend store is unavailable; retry shortly', 'SERVICE_UNAVAILABLE', {
      'retry-after': '2',
    });
  }
  logger.error({ err: error, req_id: requestId }, 'unhandled error');
  return sendError(res, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
}
