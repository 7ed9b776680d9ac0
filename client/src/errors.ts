/**
 * @module errors
 * Every failure the client reports is one of these classes, so callers branch on `instanceof` (or
 * `name`) instead of parsing messages. Each carries the ids needed to look the execution up later.
 * (No constructor parameter properties: the sources stay runnable by plain type stripping.)
 */
import type { ErrorFrame, FrameIssue } from './contract.ts';

export type { FrameIssue };

/** Base class: everything this package throws or emits as an error. */
export class GatewayClientError extends Error {
  override name = 'GatewayClientError';
}

/** A REST call answered with a non-2xx status. `body` is the gateway's JSON error body when there was one. */
export class GatewayHttpError extends GatewayClientError {
  override name = 'GatewayHttpError';
  readonly status: number;
  /** Machine-readable code of the error body (`UNAUTHORIZED`, `NOT_FOUND`, …). */
  readonly code: string | undefined;
  readonly body: unknown;
  constructor(status: number, message: string, code: string | undefined, body: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.body = body;
  }
}

/** The session token is missing, invalid or expired (HTTP 401, or the stream's -32002 error frame). */
export class SessionExpiredError extends GatewayClientError {
  override name = 'SessionExpiredError';
}

/** The playbook reported a failure (`playbook/result` with status FAILED, or a `playbook.failed` state). */
export class PlaybookFailedError extends GatewayClientError {
  override name = 'PlaybookFailedError';
  readonly executionId: string;
  readonly requestId: string | undefined;
  /** JSON-RPC error code of the result frame (-32000 unless the worker sent one). */
  readonly code: number | undefined;
  readonly data: unknown;
  constructor(
    message: string,
    ids: { executionId: string; requestId?: string | undefined },
    code?: number,
    data?: unknown,
  ) {
    super(message);
    this.executionId = ids.executionId;
    this.requestId = ids.requestId;
    this.code = code;
    this.data = data;
  }
}

/** Nothing arrived before the deadline. The execution may still finish: look it up by `executionId`. */
export class WaitTimeoutError extends GatewayClientError {
  override name = 'WaitTimeoutError';
  readonly executionId: string | undefined;
  readonly requestId: string | undefined;
  constructor(
    message: string,
    ids: { executionId?: string | undefined; requestId?: string | undefined } = {},
  ) {
    super(message);
    this.executionId = ids.executionId;
    this.requestId = ids.requestId;
  }
}

/** The client (or its event stream) was closed while something was still waiting. */
export class ClientClosedError extends GatewayClientError {
  override name = 'ClientClosedError';
}

/** A frame on `/events` that is not JSON or does not match the contract schema of its event name. */
export class InvalidFrameError extends GatewayClientError {
  override name = 'InvalidFrameError';
  readonly event: string;
  readonly data: string;
  readonly issues: readonly FrameIssue[];
  constructor(message: string, event: string, data: string, issues: readonly FrameIssue[]) {
    super(message);
    this.event = event;
    this.data = data;
    this.issues = issues;
  }
}

/** An `error` frame sent by the gateway on the stream (e.g. -32002 invalid session). */
export class ServerFrameError extends GatewayClientError {
  override name = 'ServerFrameError';
  readonly frame: ErrorFrame;
  constructor(frame: ErrorFrame) {
    super(`${frame.error.message} (code ${frame.error.code})`);
    this.frame = frame;
  }
  get code(): number {
    return this.frame.error.code;
  }
}

/** The stream could not be (re)opened: an HTTP status other than 200, or a network failure. */
export class StreamConnectionError extends GatewayClientError {
  override name = 'StreamConnectionError';
  /** HTTP status of the failed attempt; undefined for a network failure. */
  readonly status: number | undefined;
  constructor(message: string, status: number | undefined) {
    super(message);
    this.status = status;
  }
}
