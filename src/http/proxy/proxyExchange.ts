/**
 * @module http/proxy/proxyExchange
 * One proxied exchange as an undici dispatch handler: the upstream response is written to the client as
 * it arrives (status, filtered headers, each body chunk — so an event stream flows frame by frame), with
 * backpressure both ways; a client that goes away aborts the upstream request; a failure before the
 * response started becomes a JSON error (502, 504, or the 413 of the body limit).
 */
import type { ServerResponse } from 'node:http';
import { Problem } from '../../api/problem.ts';
import type { Dispatcher } from '../../lib/undici.ts';
import type { OutgoingCall } from '../../observability/tracing.ts';
import { writeProblem } from '../problemResponse.ts';
import { clientResponseHeaders } from './proxyHeaders.ts';

/** A failure the exchange answers with itself. */
export type ProxyFailure = Problem;

const CLOSE_CONNECTION = Object.freeze({ connection: 'close' });

/** What ends the span of an exchange whose client went away first. */
const CLIENT_GONE = Object.assign(new Error('client disconnected'), { code: 'client_disconnected' });

/** The body limit's answer: the rest of an unread request body would otherwise be drained first. */
export function tooLarge(limit: number): Problem {
  return new Problem(
    'PAYLOAD_TOO_LARGE',
    `Request body too large (limit ${limit} bytes, GATEWAY_PROXY_MAX_BODY_BYTES)`,
    { headers: CLOSE_CONNECTION },
  );
}

/** undici and socket error codes → what the client is told (the upstream's address is not disclosed). */
export function failureOf(error: Error, timeoutSecs: number): ProxyFailure {
  const code = (error as Error & { code?: string }).code ?? error.name;
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new Problem(
        'GATEWAY_TIMEOUT',
        `NoETL did not answer within ${timeoutSecs} s (GATEWAY_PROXY_TIMEOUT_SECS)`,
      );
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new Problem('GATEWAY_TIMEOUT', 'Connecting to NoETL timed out');
    case 'UND_ERR_INVALID_ARG':
    case 'UND_ERR_NOT_SUPPORTED':
    case 'UND_ERR_REQ_CONTENT_LENGTH_MISMATCH':
      return new Problem('BAD_REQUEST', `Request cannot be forwarded: ${error.message}`);
    default:
      // The code only (e.g. ECONNREFUSED): the upstream's address stays in the log.
      return new Problem('BAD_GATEWAY', `Proxy request failed: ${code}`);
  }
}

/** Told about each 5xx the exchange answers or each response cut short (for the log). */
export type FailureReport = (failure: ProxyFailure, error: Error, requestId: string) => void;

const EXCHANGE = Symbol('proxyExchange');

/**
 * A module-level listener (`this` is the response) instead of one closure per exchange: under tsx each
 * closure created costs a `__name` property definition, and this runs for every proxied request.
 */
function clientClosed(this: ServerResponse & { [EXCHANGE]?: ProxyExchange }): void {
  this[EXCHANGE]?.clientClosed();
}

export class ProxyExchange implements Dispatcher.DispatchHandler {
  readonly #res: ServerResponse;
  readonly #own: readonly string[];
  readonly #timeoutSecs: number;
  readonly #requestId: string;
  readonly #report: FailureReport | undefined;
  /** The exchange's span (tracing on), ended with the exchange. */
  readonly #traced: OutgoingCall | undefined;
  #status: number | undefined;
  #abort: ((error?: Error) => void) | undefined;
  #resume: (() => void) | undefined;
  #finished = false;
  #clientGone = false;
  #failure: ProxyFailure | undefined;

  /**
   * @param own the gateway's response headers (X-Request-Id, CORS), not set on `res` yet: they go to
   *   `writeHead` with the upstream's in one list — on a response with no header set, `writeHead` only
   *   validates and writes the list; with headers set, it removes and re-sets every one (~1–2 µs).
   */
  constructor(
    res: ServerResponse,
    own: readonly string[],
    timeoutSecs: number,
    requestId: string,
    report?: FailureReport,
    traced?: OutgoingCall,
  ) {
    this.#res = res;
    this.#own = own;
    this.#timeoutSecs = timeoutSecs;
    this.#requestId = requestId;
    this.#report = report;
    this.#traced = traced;
    (res as ServerResponse & { [EXCHANGE]?: ProxyExchange })[EXCHANGE] = this;
    // `on`, not `once` (which wraps the listener): a second 'close' finds the exchange finished.
    res.on('close', clientClosed);
  }

  /** Ends the exchange with this answer (e.g. 413 from the body limit) and aborts the upstream request. */
  fail(failure: ProxyFailure): void {
    this.#failure ??= failure;
    this.#abort?.(new Error(failure.message));
  }

  /** Answers with this failure at once (nothing was sent upstream). */
  reject(failure: ProxyFailure): void {
    this.#failure ??= failure;
    this.onError(new Error(failure.message));
  }

  /** The client's connection closed: if the exchange is still running, abort the upstream request. */
  clientClosed(): void {
    if (this.#finished) return;
    this.#clientGone = true;
    this.#traced?.end(this.#status, CLIENT_GONE);
    this.#abort?.(new Error('client disconnected'));
  }

  onConnect(abort: (error?: Error) => void): void {
    this.#abort = abort;
    if (this.#clientGone) abort(new Error('client disconnected'));
    else if (this.#failure) abort(new Error(this.#failure.message));
  }

  onHeaders(statusCode: number, rawHeaders: Buffer[], resume: () => void): boolean {
    // 1xx (e.g. 103 Early Hints) are informational: the final response follows.
    if (statusCode < 200) return true;
    const res = this.#res;
    try {
      res.writeHead(statusCode, clientResponseHeaders(rawHeaders, this.#own));
    } catch (error) {
      // writeHead set these before refusing a header: the error answer gets its own.
      res.statusMessage = undefined as unknown as string;
      this.fail(
        new Problem(
          'BAD_GATEWAY',
          `NoETL sent a response that cannot be relayed: ${(error as Error).message}`,
        ),
      );
      return false;
    }
    this.#resume = resume;
    this.#status = statusCode;
    return true;
  }

  onData(chunk: Buffer): boolean {
    if (this.#res.write(chunk)) return true;
    // The client reads slower than NoETL writes: pause the upstream until the client drains.
    this.#res.once('drain', this.#resume!);
    return false;
  }

  onComplete(): void {
    this.#finished = true;
    this.#traced?.end(this.#status);
    this.#res.end();
  }

  onError(error: Error): void {
    this.#finished = true;
    if (this.#clientGone) return;
    this.#traced?.end(this.#status, error);
    const res = this.#res;
    if (res.headersSent) {
      // Mid-body: cut the connection so the client sees a truncated response, not a complete one.
      this.#report?.(failureOf(error, this.#timeoutSecs), error, this.#requestId);
      res.destroy(error);
      return;
    }
    const failure = this.#failure ?? failureOf(error, this.#timeoutSecs);
    if (failure.status >= 500) this.#report?.(failure, error, this.#requestId);
    writeProblem(res, failure, this.#own);
  }
}
