/**
 * @module contract/errors
 * The one error vocabulary of every transport: REST, GraphQL, `/events`, `/noetl/*` answer
 * `{"error", "code", "issues"?}` with these codes; tRPC clients get tRPC's own error shape carrying the
 * same code (every code here is also a tRPC error code).
 */
import { z } from 'zod';

/** Each code with the HTTP status it is answered with. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  PARSE_ERROR: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_SUPPORTED: 405,
  TIMEOUT: 408,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNPROCESSABLE_CONTENT: 422,
  TOO_MANY_REQUESTS: 429,
  // Not a tRPC code: answered by the HTTP server before any route (so never on /trpc).
  REQUEST_HEADER_FIELDS_TOO_LARGE: 431,
  CLIENT_CLOSED_REQUEST: 499,
  INTERNAL_SERVER_ERROR: 500,
  BAD_GATEWAY: 502,
  SERVICE_UNAVAILABLE: 503,
  GATEWAY_TIMEOUT: 504,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export const ErrorCode = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]).meta({
  id: 'ErrorCode',
  description: 'Machine-readable error code (the same on every transport, tRPC included)',
});

/** The code a bare HTTP status is reported with (statuses raised by the framework or the proxy). */
export function errorCodeOfStatus(status: number): ErrorCode {
  for (const [code, codeStatus] of Object.entries(ERROR_STATUS)) {
    if (codeStatus === status && code !== 'PARSE_ERROR') return code as ErrorCode;
  }
  return status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'BAD_REQUEST';
}

export const ErrorIssue = z
  .object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })
  .meta({ id: 'ErrorIssue' });
export type ErrorIssue = z.infer<typeof ErrorIssue>;

/**
 * The error body of every non-tRPC answer. `error` is the compatibility field existing clients read
 * (`payload.error || payload.message`); `code` and `issues` name the problem precisely.
 */
export const ErrorBody = z
  .object({
    error: z.string().meta({ description: 'Human-readable reason' }),
    code: ErrorCode,
    issues: z
      .array(ErrorIssue)
      .optional()
      .meta({ description: 'Validation problems, one per offending field' }),
  })
  .meta({ id: 'ErrorBody', example: { error: 'Missing authentication token', code: 'UNAUTHORIZED' } });
export type ErrorBody = z.infer<typeof ErrorBody>;
