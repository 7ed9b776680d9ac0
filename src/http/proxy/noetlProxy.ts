/**
 * @module http/proxy/noetlProxy
 * `/noetl/<rest>` → `{NOETL_BASE_URL}/api/<rest>` (or the execution's shard) for an authenticated caller:
 * path checked, body capped, identity attached, then streamed through a keep-alive undici pool. The body
 * is never parsed or buffered (except `events[/batch]` when sharded, which are routed by the
 * `execution_id` inside them).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import { Problem } from '../../api/problem.ts';
import type { User } from '../../contract/index.ts';
import { parseProxyPath } from '../../core/proxy/noetlPath.ts';
import { type OutgoingCall, outgoingCall } from '../../observability/tracing.ts';
import { type FailureReport, ProxyExchange, tooLarge } from './proxyExchange.ts';
import { upstreamRequestHeaders } from './proxyHeaders.ts';
import { executionIdOfBody, routesByBody } from './shardRouting.ts';
import { type Upstream, type UpstreamOptions, Upstreams } from './upstreams.ts';

export interface NoetlProxyOptions extends UpstreamOptions {
  maxBodyBytes: number;
  /** X-Forwarded-* on incoming requests come from a trusted proxy (GATEWAY_TRUST_PROXY > 0). */
  trustForwarded: boolean;
  /** Told about each upstream failure answered with a 5xx or cutting a response short (for the log). */
  onUpstreamFailure?: FailureReport;
}

const PREFIX = '/noetl';

/** Where a checked request goes: the path after `/noetl/` (still encoded as sent) and the raw query. */
export interface ProxyTarget {
  rest: string;
  query: string;
}

function send(
  upstream: Upstream,
  method: string,
  path: string,
  headers: string[],
  body: IncomingMessage | Transform | Buffer | null,
  exchange: ProxyExchange,
): void {
  upstream.pool.dispatch({ path: `${upstream.apiPrefix}${path}`, method, headers, body }, exchange);
}

/**
 * The exchange's span when tracing is on (undefined when off: then the caller's `traceparent` and
 * `tracestate` go upstream untouched, as any end-to-end header): its context replaces the caller's.
 */
function traceExchange(headers: string[], method: string, rest: string): OutgoingCall | undefined {
  const traced = outgoingCall('proxy', `noetl proxy ${method}`, method, `/api/${rest}`);
  if (!traced) return undefined;
  for (let i = headers.length - 2; i >= 0; i -= 2)
    if (headers[i] === 'traceparent' || headers[i] === 'tracestate') headers.splice(i, 2);
  headers.push(...traced.headers);
  return traced;
}

/** Passes a body of unknown length (chunked) through, failing the exchange once it exceeds the limit. */
class BodyLimit extends Transform {
  #seen = 0;

  constructor(
    readonly limit: number,
    readonly exchange: ProxyExchange,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.limit) {
      this.exchange.fail(tooLarge(this.limit));
      return done(new Error('request body over the limit'));
    }
    done(null, chunk);
  }
}

/**
 * The whole body, for the two routes that are routed by what is inside it; undefined past the limit
 * (the rest is left unread: the 413 closes the connection).
 */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd).pause();
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

/**
 * Forwards checked, authenticated requests. Every step is a method or a module-level function: nothing
 * here creates a closure per request.
 */
export class NoetlProxy {
  readonly #upstreams: Upstreams;
  readonly #timeoutSecs: number;
  readonly #maxBodyBytes: number;
  readonly #trustForwarded: boolean;
  readonly #onUpstreamFailure: FailureReport | undefined;

  constructor(options: NoetlProxyOptions) {
    this.#upstreams = new Upstreams(options);
    this.#timeoutSecs = options.timeoutMs / 1000;
    this.#maxBodyBytes = options.maxBodyBytes;
    this.#trustForwarded = options.trustForwarded;
    this.#onUpstreamFailure = options.onUpstreamFailure;
  }

  /**
   * Checks a request before anything else (session included): where it goes, and a declared size
   * within the limit. Throws the Problem to answer with.
   */
  target(req: IncomingMessage): ProxyTarget {
    const target = parseProxyPath(req.url!.slice(PREFIX.length));
    if (!target.ok) throw new Problem(target.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST', target.message);
    const declared = req.headers['content-length'];
    // The body is left unread: the answer closes the connection.
    if (declared !== undefined && Number(declared) > this.#maxBodyBytes) throw tooLarge(this.#maxBodyBytes);
    return { rest: target.rest, query: target.query };
  }

  /**
   * Streams one exchange: the request to NoETL, its answer back.
   * @param own the gateway's response headers (X-Request-Id, CORS), not set on `res`: every answer,
   *   the upstream's or the gateway's own, carries them.
   * @param read the request body when the route has already read it (`startsExecution`); otherwise the
   *   body is streamed from `req`.
   */
  forward(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    own: readonly string[],
    user: User,
    target: ProxyTarget,
    read?: Buffer,
  ): void {
    const upstreams = this.#upstreams;
    const maxBodyBytes = this.#maxBodyBytes;
    const { rest, query } = target;
    const headers = upstreamRequestHeaders(req, { user, requestId, trustForwarded: this.#trustForwarded });
    const method = req.method!;
    const exchange = new ProxyExchange(
      res,
      own,
      this.#timeoutSecs,
      requestId,
      this.#onUpstreamFailure,
      traceExchange(headers, method, rest),
    );
    const path = `${rest}${query}`;

    if (read) {
      send(upstreams.forPath(rest), method, path, headers, read.length > 0 ? read : null, exchange);
      return;
    }
    if (upstreams.sharded && routesByBody(rest, method)) {
      readBody(req, maxBodyBytes).then(
        (body) => {
          if (!body) return exchange.reject(tooLarge(maxBodyBytes));
          send(upstreams.forExecution(executionIdOfBody(body)), method, path, headers, body, exchange);
        },
        (error: Error) => exchange.onError(error),
      );
      return;
    }
    let body: IncomingMessage | Transform | null = null;
    if (req.headers['content-length'] !== undefined) {
      // Node's parser guarantees exactly Content-Length bytes, already checked against the limit.
      if (req.headers['content-length'] !== '0') body = req;
    } else if (req.headers['transfer-encoding'] !== undefined) {
      body = req.pipe(new BodyLimit(maxBodyBytes, exchange));
    }
    send(upstreams.forPath(rest), method, path, headers, body, exchange);
  }

  /**
   * Whether a checked request starts an execution (`POST /noetl/execute`): its body is read first so the
   * playbook it names can be checked (auth playbooks are refused).
   */
  startsExecution(method: string, target: ProxyTarget): boolean {
    if (method !== 'POST') return false;
    let rest = target.rest;
    try {
      rest = decodeURIComponent(rest);
    } catch {
      // left as sent: NoETL will not route it either
    }
    return rest.replace(/\/+$/, '') === 'execute';
  }

  /** The whole request body within the body limit; undefined past it (then answer `tooLarge`). */
  readBody(req: IncomingMessage): Promise<Buffer | undefined> {
    return readBody(req, this.#maxBodyBytes);
  }

  /** The body limit's answer. */
  tooLarge(): Problem {
    return tooLarge(this.#maxBodyBytes);
  }

  /** Closes the upstream connection pools. */
  close(): Promise<void> {
    return this.#upstreams.close();
  }
}
