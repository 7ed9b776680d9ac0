/**
 * @module http/proxy/frontDoor
 * The public port's `node:http` request listener: `/noetl/*` (the hottest path) is served right here,
 * everything else goes to the Express app. Express costs the proxy ~10 µs a request (router, prototype
 * swaps, middleware chain) — nearly what nginx spends on a whole exchange — so the proxy path runs the
 * steps the Express pipeline ran, from the same implementations, without it: the request log and its
 * metric (`RequestLog`), `X-Request-Id`, CORS (`corsOutcome`; a preflight is answered here), then the
 * proxy (path, size, session, forward).
 *
 * The gateway's response headers are not set on the response but handed to `writeHead` with the
 * upstream's in one list: a response with any header already set makes `writeHead(status, list)`
 * remove and re-set every header (~1–2 µs). Answers of the gateway's own set them first.
 *
 * The internal port (GATEWAY_INTERNAL_PORT) does not get this listener: there Express's internal-port
 * rule refuses `/noetl/*` (404), as before.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { applyCors, type CorsPolicy, corsOutcome } from '../cors.ts';
import { pathOf, type RequestLog } from '../requestLog.ts';
import { NoetlProxy } from './noetlProxy.ts';
import { setHeaderList } from './proxyHeaders.ts';

export interface FrontDoorOptions {
  proxy: NoetlProxy;
  requestLog: RequestLog;
  cors: CorsPolicy;
  /** Every other request: the Express app. */
  fallback: RequestListener;
  /** Answers an error raised rather than answered (as the last Express error handler does). */
  onRaised: (res: ServerResponse, error: Error, requestId: string | undefined) => void;
}

export function frontDoor(options: FrontDoorOptions): RequestListener {
  const { proxy, requestLog, cors, fallback, onRaised } = options;
  return function frontDoor(req: IncomingMessage, res: ServerResponse): void {
    const url = req.url!;
    if (!NoetlProxy.handles(url)) return void fallback(req, res);
    let requestId: string | undefined;
    let own: string[] | undefined;
    // What Express did for a throwing middleware: the error handler answers (never an uncaught throw).
    try {
      requestId = requestLog.begin(req, res, pathOf(url));
      const outcome = corsOutcome(cors, req);
      if (outcome.preflight) {
        res.setHeader('x-request-id', requestId);
        applyCors(outcome, res);
        return;
      }
      own = ['x-request-id', requestId, ...outcome.headers];
      proxy.serve(req, res, requestId, own);
    } catch (error) {
      if (own && !res.headersSent && !res.hasHeader('x-request-id')) setHeaderList(res, own);
      onRaised(res, error as Error, requestId);
    }
  };
}
