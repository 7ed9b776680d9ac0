/**
 * @module core/errors
 * The one error type the domain throws. The HTTP layers map `kind` to a status code and `message` to
 * the `{"error": message}` body, so a message written here is what the client reads.
 */
export type GatewayErrorKind =
  | 'bad_request'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'unprocessable'
  | 'too_many_requests'
  | 'internal'
  | 'bad_gateway'
  | 'unavailable'
  | 'timeout';

export class GatewayError extends Error {
  override name = 'GatewayError';

  constructor(
    readonly kind: GatewayErrorKind,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** HTTP status of each kind (the reference gateway's codes where it had one). */
export const HTTP_STATUS_OF: Record<GatewayErrorKind, number> = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unprocessable: 422,
  too_many_requests: 429,
  internal: 500,
  bad_gateway: 502,
  unavailable: 503,
  timeout: 504,
};

/** NoETL answered with an error status: the message names it, `upstreamStatus` keeps it. */
export class UpstreamError extends GatewayError {
  override name = 'UpstreamError';

  constructor(
    readonly upstreamStatus: number,
    message: string,
  ) {
    super('bad_gateway', message);
  }
}
