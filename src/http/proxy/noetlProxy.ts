/**
 * @module http/proxy/noetlProxy
 * `/noetl/<rest>` → `{NOETL_BASE_URL}/api/<rest>` (or the execution's shard) for authenticated callers:
 * path checked, body capped, identity attached, then streamed through a keep-alive undici pool.
 * Mounted before every body parser: the body is never parsed or buffered (except `events[/batch]` when
 * sharded, which are routed by the `execution_id` inside them).
 */
import type { IncomingMessage } from 'node:http';
import { Transform, type TransformCallback } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
import { sendError } from '../errorResponses.ts';
import { requestIdOf } from '../requestLog.ts';
import { sessionOf } from '../requireSession.ts';
import { type FailureReport, ProxyExchange, type ProxyFailure } from './proxyExchange.ts';
import { upstreamRequestHeaders } from './proxyHeaders.ts';
import { parseProxyPath } from './proxyPath.ts';
import { executionIdOfBody, routesByBody } from './shardRouting.ts';
import { type Upstream, type UpstreamOptions, Upstreams } from './upstreams.ts';

export interface NoetlProxyOptions extends UpstreamOptions {
  maxBodyBytes: number;
  /** X-Forwarded-* on incoming requests come from a trusted proxy (GATEWAY_TRUST_PROXY > 0). */
  trustForwarded: boolean;
  /** The session guard of the other protected routes (401 without a valid session). */
  sessionGuard: (req: Request, res: Response, next: (error?: unknown) => void) => unknown;
  /** Told about each upstream failure answered with a 5xx or cutting a response short (for the log). */
  onUpstreamFailure?: FailureReport;
}

export interface NoetlProxy {
  (req: Request, res: Response, next: NextFunction): void;
  /** Closes the upstream connection pools. */
  close(): Promise<void>;
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
    readonly onExceeded: () => void,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.limit) {
      this.onExceeded();
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

export function noetlProxy(options: NoetlProxyOptions): NoetlProxy {
  const upstreams = new Upstreams(options);
  const timeoutSecs = options.timeoutMs / 1000;
  const { maxBodyBytes, trustForwarded, onUpstreamFailure } = options;

  function forward(req: Request, res: Response, rest: string, query: string): void {
    const requestId = (res.locals.requestId as string | undefined) ?? requestIdOf(req);
    const headers = upstreamRequestHeaders(req, { user: sessionOf(res).user, requestId, trustForwarded });
    const exchange = new ProxyExchange(res, timeoutSecs, requestId, onUpstreamFailure);
    const path = `${rest}${query}`;

    if (upstreams.sharded && routesByBody(rest, req.method)) {
      readBody(req, maxBodyBytes).then(
        (body) => {
          if (!body) return exchange.reject(tooLarge(maxBodyBytes));
          send(upstreams.forExecution(executionIdOfBody(body)), req.method, path, headers, body, exchange);
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
      body = req.pipe(new BodyLimit(maxBodyBytes, () => exchange.fail(tooLarge(maxBodyBytes))));
    }
    send(upstreams.forPath(rest), req.method, path, headers, body, exchange);
  }

  const proxyToNoetl = function proxyToNoetl(req: Request, res: Response, next: NextFunction): void {
    // Not mounted under a path: Express would rewrite req.url for the rest of the exchange, and the
    // request log would then see `/x` instead of `/noetl/x`. Case-sensitive, as the reference.
    if (!req.url.startsWith(PREFIX)) return next();
    const target = parseProxyPath(req.url.slice(PREFIX.length - 1));
    if (!target.ok)
      return sendError(
        res,
        target.status,
        target.message,
        target.status === 404 ? 'NOT_FOUND' : 'BAD_REQUEST',
      );
    const declared = req.headers['content-length'];
    if (declared !== undefined && Number(declared) > maxBodyBytes) {
      const failure = tooLarge(maxBodyBytes);
      res.setHeader('connection', 'close');
      return sendError(res, failure.status, failure.message, failure.code);
    }
    options.sessionGuard(req, res, (error) => {
      if (error) return next(error);
      forward(req, res, target.rest, target.query);
    });
  } as NoetlProxy;
  proxyToNoetl.close = () => upstreams.close();
  return proxyToNoetl;
}
