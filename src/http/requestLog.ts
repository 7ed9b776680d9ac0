/**
 * @module http/requestLog
 * One JSON log line and one latency observation per request, with an `X-Request-Id` (the caller's when
 * it is a sane token, else a new one) echoed on the response. Only the path is logged — never the query
 * string (EventSource puts the session token there) and never a header value.
 *
 * Started in the pipeline's first hook on the raw `node:http` response, so streamed and proxied answers
 * (which bypass the framework's reply) are logged the same way. No closure per request: the state rides
 * on the response and one module-level listener reads it.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Metrics } from '../observability/metrics.ts';

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return given && SANE_REQUEST_ID.test(given as string) ? (given as string) : randomUUID();
}

const PENDING = Symbol('requestLog');

/** What the log line needs once the response is over. */
class Pending {
  ended = false;

  constructor(
    readonly log: RequestLog,
    readonly started: number,
    readonly path: string,
    /** The route's path in the table (a bounded label), or `unmatched`. */
    readonly route: string,
    readonly requestId: string,
  ) {}
}

type LoggedResponse = ServerResponse & { [PENDING]?: Pending };

/** The response's 'close' (`this` is the response). */
function requestEnded(this: LoggedResponse): void {
  const pending = this[PENDING];
  if (!pending || pending.ended) return;
  pending.ended = true;
  pending.log.end(this, pending);
}

type Observer = { observe(seconds: number): void };

function getOrAdd<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}

export class RequestLog {
  readonly #logger: Logger;
  readonly #metrics: Metrics;
  /**
   * The latency histogram's child per `route method status` (bounded: table routes, the methods Node's
   * parser accepts, statuses): labelling by object hashes the labels on every request.
   */
  readonly #observers = new Map<string, Map<string, Map<string, Observer>>>();

  constructor(logger: Logger, metrics: Metrics) {
    this.#logger = logger;
    this.#metrics = metrics;
  }

  /**
   * Starts the record of one request: picks its id (which the caller echoes as `X-Request-Id`), and logs
   * and measures the request when its response ends. `path` is read now: routers may rewrite `req.url`
   * meanwhile.
   */
  begin(res: ServerResponse, path: string, route: string, requestId: string): void {
    (res as LoggedResponse)[PENDING] = new Pending(this, performance.now(), path, route, requestId);
    // Node emits 'close' on every response: after 'finish' once it is sent, or when the connection
    // went first. One listener, not one more on 'finish' too (~0.2 µs a request on the proxy path).
    res.on('close', requestEnded);
  }

  #observer(route: string, method: string, status: number | 'none'): Observer {
    const byMethod = getOrAdd(this.#observers, route, () => new Map<string, Map<string, Observer>>());
    const byStatus = getOrAdd(byMethod, method, () => new Map<string, Observer>());
    const key = String(status);
    return getOrAdd(byStatus, key, () => this.#metrics.httpRequests.labels(method, route, key));
  }

  /** @internal (called by the response's listener) */
  end(res: ServerResponse, pending: Pending): void {
    const seconds = (performance.now() - pending.started) / 1000;
    const method = res.req.method!;
    const { route } = pending;
    // What really happened: a connection closed before any response (e.g. cut at shutdown) has no status
    // (`statusCode` would still read its default 200); one cut mid-response keeps the status it started with.
    const answered = res.headersSent;
    const finished = res.writableFinished;
    if (route !== '/events')
      this.#observer(route, method, answered ? res.statusCode : 'none').observe(seconds);
    if (!this.#logger.isLevelEnabled('info')) return;
    this.#logger.info(
      {
        req_id: pending.requestId,
        method,
        path: pending.path,
        route,
        status: answered ? res.statusCode : null,
        ms: Math.round(seconds * 1e4) / 10,
        aborted: !finished,
        outcome: finished ? 'completed' : answered ? 'cut_mid_response' : 'closed_without_response',
      },
      'request',
    );
  }
}
