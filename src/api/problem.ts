/**
 * @module api/problem
 * The one error model: whatever a request fails with becomes a `Problem` — an error code of the contract's
 * vocabulary (which fixes the status), the message the client reads, and optionally the offending fields
 * and response headers. Every transport renders a Problem: REST, GraphQL, `/events` and `/noetl/*` as
 * `{"error", "code", "issues"?}`, tRPC in its own error shape with the same code.
 */
import { ZodError } from 'zod';
import { BackendUnavailableError } from '../adapters/ports.ts';
import {
  ERROR_STATUS,
  type ErrorBody,
  type ErrorCode,
  type ErrorIssue,
  errorCodeOfStatus,
} from '../contract/index.ts';
import { GatewayError, type GatewayErrorKind } from '../core/errors.ts';

const CODE_OF_KIND: Record<GatewayErrorKind, ErrorCode> = {
  bad_request: 'BAD_REQUEST',
  unauthorized: 'UNAUTHORIZED',
  forbidden: 'FORBIDDEN',
  not_found: 'NOT_FOUND',
  conflict: 'CONFLICT',
  unprocessable: 'UNPROCESSABLE_CONTENT',
  too_many_requests: 'TOO_MANY_REQUESTS',
  internal: 'INTERNAL_SERVER_ERROR',
  bad_gateway: 'BAD_GATEWAY',
  unavailable: 'SERVICE_UNAVAILABLE',
  timeout: 'GATEWAY_TIMEOUT',
};

export interface ProblemOptions {
  issues?: ErrorIssue[] | undefined;
  headers?: Readonly<Record<string, string>> | undefined;
  cause?: unknown;
}

export class Problem extends Error {
  override name = 'Problem';
  readonly issues: ErrorIssue[] | undefined;
  readonly headers: Readonly<Record<string, string>> | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: ProblemOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.issues = options.issues;
    this.headers = options.headers;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** Whether this is the gateway's own fault (to be logged with its cause), not the caller's. */
  get unexpected(): boolean {
    return this.code === 'INTERNAL_SERVER_ERROR';
  }

  body(): ErrorBody {
    return this.issues
      ? { error: this.message, code: this.code, issues: this.issues }
      : { error: this.message, code: this.code };
  }
}

/** "session_token: expected string, received number; path: must not be empty" */
export function describeIssues(error: ZodError): string {
  return error.issues
    .map((issue) => (issue.path.length ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/** Valid JSON of the wrong shape: 422 naming each offending field. */
export function invalidInput(error: ZodError): Problem {
  return new Problem('UNPROCESSABLE_CONTENT', `Invalid input: ${describeIssues(error)}`, {
    issues: error.issues.map((issue) => ({
      path: issue.path.filter((part): part is string | number => typeof part !== 'symbol'),
      message: issue.message,
    })),
    cause: error,
  });
}

const RETRY_SOON = Object.freeze({ 'retry-after': '2' });

/** Framework errors by their code (Fastify's content-type parsing, body limits). */
function frameworkProblem(error: Error & { code?: string; statusCode?: number }): Problem | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem('PAYLOAD_TOO_LARGE', 'Request body too large (GATEWAY_MAX_BODY_BYTES)');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem('UNSUPPORTED_MEDIA_TYPE', 'Expected request with `Content-Type: application/json`');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new Problem('BAD_REQUEST', 'The JSON body is empty');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new Problem('BAD_REQUEST', 'Content-Length does not match the body');
  }
  if (error instanceof SyntaxError && error.statusCode === 400)
    return new Problem('PARSE_ERROR', `Failed to parse the request body as JSON: ${error.message}`);
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500)
    return new Problem(errorCodeOfStatus(status), error.message);
  return undefined;
}

/** The Problem a failure is answered with. Anything unknown is a 500 whose detail stays in the log. */
export function problemOf(error: unknown): Problem {
  if (error instanceof Problem) return error;
  if (error instanceof GatewayError) {
    const retryAfter = (error as GatewayError & { retryAfterSecs?: number }).retryAfterSecs;
    return new Problem(CODE_OF_KIND[error.kind], error.message, {
      headers: retryAfter === undefined ? undefined : { 'retry-after': String(retryAfter) },
      cause: error,
    });
  }
  if (error instanceof BackendUnavailableError)
    return new Problem('SERVICE_UNAVAILABLE', 'A backend store is unavailable; retry shortly', {
      headers: RETRY_SOON,
      cause: error,
    });
  if (error instanceof ZodError) return invalidInput(error);
  if (error instanceof Error) {
    const known = frameworkProblem(error);
    if (known) return known;
  }
  return new Problem('INTERNAL_SERVER_ERROR', 'Internal server error', { cause: error });
}
