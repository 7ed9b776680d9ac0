/**
 * @module core/errors
 * The one error type the domain throws. `api/problem.ts` maps `kind` to the contract's error code (which
 * fixes the status) and `message` to the body's `error`, so a message written here is what the client reads.
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
