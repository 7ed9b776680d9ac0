/**
 * @module http/proxy/noetlProxy
 * `/noetl/<rest>` → `{NOETL_BASE_URL}/api/<rest>` (or the execution's shard) for authenticated callers:
 * path checked, body capped, identity attached, then streamed through a keep-alive undici pool.
 * Served by the front door (`frontDoor.ts`), before Express: no body parser, no router; the body is never
 * parsed or buffered (except `events[/batch]` when sharded, which are routed by the `execution_id` inside
 * them).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import type { User } from '../../contract/index.ts';
import { parseProxyPath } from '../../core/proxy/noetlPath.ts';
import type { Session, SessionResolver } from '../../core/sessions/sessionResolver.ts';
import { sendError } from '../errorResponses.ts';
import { checkSession, SessionRefusal } from '../requireSession.ts';
import { type FailureReport, ProxyExchange, type ProxyFailure } from './proxyExchange.ts';
import { setHeaderList, upstreamRequestHeaders } from './proxyHeaders.ts';
import { executionIdOfBody, routesByBody } from './shardRouting.ts';
import { type Upstream, type UpstreamOptions, Upstreams } from './upstreams.ts';

export interface NoetlProxyOptions extends UpstreamOptions {
  maxBodyBytes: number;
  /** X-Forwarded-* on incoming requests come from a trusted proxy (GATEWAY_TRUST_PROXY > 0). */
  trustForwarded: boolean;
  /** The sessions of the other protected routes (401 without a valid session, as `requireSession`). */
  sessions: SessionResolver;
  /** Answers an error raised rather than answered (as the last Express error handler does). */
  onRaised: (res: ServerResponse, error: Error, requestId: string) => void;
  /** Told about each upstream failure answered with a 5xx or cutting a response short (for the log). */
  onUpstreamFailure?: FailureReport;
}

const PREFIX = '/noetl/';

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

/** An answer of the gateway's own, with the gateway's headers. */
function refuse(
  res: ServerResponse,
  own: readonly string[],
  status: number,
  message: string,
  code: string,
): void {
  setHeaderList(res, own);
  sendError(res, status, message, code);
}

function tooLarge(limit: number): ProxyFailure {
  return {
    status: 413,
    message: `Request body too large (limit ${limit} bytes, GATEWAY_PROXY_MAX_BODY_BYTES)`,
    code: 'PAYLOAD_TOO_LARGE',
  };
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
 * Serves `/noetl/<rest>` on plain `node:http` objects. Every step is a method or a module-level
 * function: nothing here creates a closure per request (under tsx each costs a `__name` definition).
 */
export class NoetlProxy {
  readonly #upstreams: Upstreams;
  readonly #timeoutSecs: number;
  readonly #maxBodyBytes: number;
  readonly #trustForwarded: boolean;
  readonly #sessions: SessionResolver;
  readonly #onRaised: NoetlProxyOptions['onRaised'];
  readonly #onUpstreamFailure: FailureReport | undefined;

  constructor(options: NoetlProxyOptions) {
    this.#upstreams = new Upstreams(options);
    this.#timeoutSecs = options.timeoutMs / 1000;
    this.#maxBodyBytes = options.maxBodyBytes;
    this.#trustForwarded = options.trustForwarded;
    this.#sessions = options.sessions;
    this.#onRaised = options.onRaised;
    this.#onUpstreamFailure = options.onUpstreamFailure;
  }

  /** Whether a request URL is the proxy's (case-sensitive, as the reference). */
  static handles(url: string): boolean {
    return url.startsWith(PREFIX);
  }

  /**
   * Answers one request whose URL starts with `/noetl/` (its request log started, CORS decided): path
   * and declared size checked, then the session, then forwarded.
   * @param own the gateway's response headers (X-Request-Id, CORS), not set on `res`: every answer,
   *   the upstream's or the gateway's own, carries them.
   */
  serve(req: IncomingMessage, res: ServerResponse, requestId: string, own: readonly string[]): void {
    const target = parseProxyPath(req.url!.slice(PREFIX.length - 1));
    if (!target.ok)
      return refuse(
        res,
        own,
        target.status,
        target.message,
        target.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST',
      );
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > this.#maxBodyBytes) {
      const failure = tooLarge(this.#maxBodyBytes);
      setHeaderList(res, own);
      // The body is left unread: the connection cannot carry another request.
      res.setHeader('connection', 'close');
      return sendError(res, failure.status, failure.message, failure.code);
    }
    void this.#authorised(req, res, requestId, own, target.rest, target.query);
  }

  /** Closes the upstream connection pools. */
  close(): Promise<void> {
    return this.#upstreams.close();
  }

  async #authorised(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    own: readonly string[],
    rest: string,
    query: string,
  ): Promise<void> {
    let session: Session | SessionRefusal;
    try {
      session = await checkSession(this.#sessions, req.headers);
    } catch (error) {
      return this.#raised(res, own, error as Error, requestId);
    }
    if (session instanceof SessionRefusal)
      return refuse(res, own, session.status, session.message, session.code);
    try {
      this.#forward(req, res, requestId, own, session.user, rest, query);
    } catch (error) {
      this.#raised(res, own, error as Error, requestId);
    }
  }

  /** An error thrown instead of answered: the last Express error handler's answer. */
  #raised(res: ServerResponse, own: readonly string[], error: Error, requestId: string): void {
    if (!res.headersSent) setHeaderList(res, own);
    this.#onRaised(res, error, requestId);
  }

  #forward(
    req: IncomingMessage,
    res: ServerResponse,
    requestId: string,
    own: readonly string[],
    user: User,
    rest: string,
    query: string,
  ): void {
    const upstreams = this.#upstreams;
    const maxBodyBytes = this.#maxBodyBytes;
    const headers = upstreamRequestHeaders(req, { user, requestId, trustForwarded: this.#trustForwarded });
    const exchange = new ProxyExchange(res, own, this.#timeoutSecs, requestId, this.#onUpstreamFailure);
    const path = `${rest}${query}`;
    const method = req.method!;

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
}
