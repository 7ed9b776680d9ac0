/**
 * @module http/eventsRoute
 * `GET /events`: one Server-Sent-Events stream per browser tab. Authenticates like every route (the
 * `session_token` query parameter for EventSource, or the usual headers), claims the client id for the
 * session, sends the init frame, then heartbeats and the client's frames from its log. A reconnect with
 * `Last-Event-ID` (or just `client_id`) resumes after the last frame the client had.
 *
 * A slow client cannot grow memory: the stream waits for the socket to drain before it reads the next
 * frame from the log, and a client that does not drain in time is disconnected (it resumes from the log).
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Request, Response } from 'express';
import { EventsQuery, type Frame, FrameErrorCode } from '../contract/index.ts';
import { GatewayError, HTTP_STATUS_OF } from '../core/errors.ts';
import type { RequestStore } from '../core/executions/requestStore.ts';
import type { ClientRegistry } from '../core/push/clientRegistry.ts';
import type { ConnectionHub } from '../core/push/connectionHub.ts';
import { deserializeRoutedFrame, errorFrame, initFrame, PING_FRAME } from '../core/push/frames.ts';
import type { SessionResolver } from '../core/sessions/sessionResolver.ts';
import { extractSessionToken } from '../core/sessions/sessionToken.ts';
import type { Metrics } from '../observability/metrics.ts';
import { sendError } from './errorResponses.ts';
import { encodeComment, encodeEvent, encodeFrame, encodeRetry, eventId, parseEventId } from './sse.ts';

export interface EventsRouteOptions {
  sessions: SessionResolver;
  clients: ClientRegistry;
  requests: RequestStore;
  hub: ConnectionHub;
  metrics: Metrics;
  version: string;
  subscriptionsEnabled: boolean;
  heartbeatMs: number;
  keepaliveMs: number;
  retryMs: number;
  maxBufferBytes: number;
  /** How long a write may wait for a slow client to drain before the stream is closed. */
  drainTimeoutMs: number;
  maxStreamsPerSession: number;
  maxStreams: number;
  /** Aborted at shutdown: streams end with a short `retry:` so clients reconnect to another replica. */
  shutdown: AbortSignal;
}

const SHUTDOWN_RETRY_MS = 1000;

function streamHeaders(res: Response): void {
  res.status(200);
  res.setHeader('content-type', 'text/event-stream');
  res.setHeader('cache-control', 'no-cache, no-transform');
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
}

/** A bad session gets what the reference sent: a 200 stream with one error frame, then the end. */
function endWithErrorFrame(res: Response, frame: Frame): void {
  streamHeaders(res);
  res.end(encodeFrame(frame));
}

export function eventsRoute(options: EventsRouteOptions) {
  const { metrics } = options;
  const streamsBySession = new Map<string, number>();
  let streams = 0;

  return async function events(req: Request, res: Response): Promise<void> {
    if (options.shutdown.aborted)
      return sendError(res, 503, 'Shutting down; reconnect', 'SERVICE_UNAVAILABLE', { 'retry-after': '1' });
    // An empty parameter is as good as none (EventSource URLs are often built with `client_id=`).
    const raw = Object.fromEntries(Object.entries(req.query).filter(([, value]) => value !== ''));
    const query = EventsQuery.safeParse(raw);
    if (!query.success) {
      const message = query.error.issues
        .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
        .join('; ');
      return sendError(res, 400, message, 'BAD_REQUEST');
    }
    const token = query.data.session_token?.trim() || extractSessionToken(req.headers);
    if (!token) return sendError(res, 401, 'Missing authentication token', 'UNAUTHORIZED');

    let session: Awaited<ReturnType<SessionResolver['resolve']>>;
    try {
      session = await options.sessions.resolve(token);
    } catch (error) {
      if (error instanceof GatewayError)
        return sendError(res, HTTP_STATUS_OF[error.kind], error.message, error.kind.toUpperCase());
      return sendError(res, 502, 'Session validation failed', 'BAD_GATEWAY');
    }
    if (!session)
      return endWithErrorFrame(res, errorFrame(FrameErrorCode.invalidSession, 'Invalid or expired session'));

    const resume = parseEventId(req.get('last-event-id'));
    const requested = query.data.client_id;
    const sessionStreams = streamsBySession.get(session.token) ?? 0;
    if (streams >= options.maxStreams || sessionStreams >= options.maxStreamsPerSession) {
      metrics.rateLimited.inc({ limit: streams >= options.maxStreams ? 'sse_total' : 'sse_per_session' });
      return sendError(
        res,
        429,
        `Too many open event streams (at most ${options.maxStreamsPerSession} per session)`,
        'TOO_MANY_REQUESTS',
        {
          'retry-after': '5',
        },
      );
    }
    const clientId = resume?.clientId ?? requested ?? randomUUID();
    const claim = await options.clients.claim(clientId, session.token);
    if (!claim.ok) return sendError(res, 403, 'client_id belongs to another session', 'FORBIDDEN');
    const afterSeq = resume?.seq ?? claim.deliveredSeq;
    const pending = await options.requests.forClient(clientId).catch(() => []);

    streams++;
    streamsBySession.set(session.token, sessionStreams + 1);
    metrics.sseConnections.inc();
    await using stream = await options.hub.open(clientId, afterSeq, session.token);
    const openedAt = Date.now();
    const closed = new AbortController();
    const close = () => closed.abort();
    res.on('close', close);
    options.shutdown.addEventListener('abort', close, { once: true });
    closed.signal.addEventListener('abort', () => void stream.frames.return?.(), { once: true });

    streamHeaders(res);
    let lastWrite = Date.now();
    const write = (chunk: string): boolean => {
      lastWrite = Date.now();
      if (res.writableLength > options.maxBufferBytes) {
        metrics.slowClientDisconnects.inc();
        res.destroy(); // the client resumes from its log after reconnecting
        return false;
      }
      return res.write(chunk);
    };
    write(encodeRetry(options.retryMs));
    write(
      encodeFrame(
        initFrame({
          clientId,
          heartbeatIntervalMs: options.heartbeatMs,
          version: options.version,
          subscriptions: options.subscriptionsEnabled,
          pendingRequests: pending.map(({ requestId, request }) => ({
            executionId: request.execution_id,
            playbookPath: request.playbook_path,
            requestId,
          })),
        }),
        eventId(clientId, afterSeq),
      ),
    );
    const ping = () => {
      if (!res.writableNeedDrain) write(encodeFrame(PING_FRAME, eventId(clientId, stream.lastDelivered)));
    };
    ping();
    const heartbeat = setInterval(ping, options.heartbeatMs);
    const keepalive = setInterval(
      () => {
        if (Date.now() - lastWrite >= options.keepaliveMs && !res.writableNeedDrain)
          write(encodeComment('ping'));
      },
      Math.min(options.keepaliveMs, 5000),
    );

    let corked = false;
    try {
      for await (const frame of stream.frames) {
        if (closed.signal.aborted) break;
        const { event, routedAt, json } = deserializeRoutedFrame(frame.data);
        // Frames routed together (a state frame and its result, a replay) leave in one socket write.
        if (!corked) {
          corked = true;
          res.cork();
          process.nextTick(() => {
            corked = false;
            res.uncork();
          });
        }
        const drained = write(encodeEvent(event, json, eventId(clientId, frame.seq)));
        if (routedAt < openedAt) metrics.framesReplayed.inc();
        else metrics.callbackToFrame.observe((Date.now() - routedAt) / 1000);
        metrics.framesSent.inc({ event });
        if (!drained) {
          if (res.destroyed) break;
          const deadline = AbortSignal.any([closed.signal, AbortSignal.timeout(options.drainTimeoutMs)]);
          await once(res, 'drain', { signal: deadline }).catch(() => {
            if (!closed.signal.aborted) metrics.slowClientDisconnects.inc();
            res.destroy();
          });
          if (res.destroyed) break;
        }
        stream.delivered(frame.seq);
      }
    } finally {
      clearInterval(heartbeat);
      clearInterval(keepalive);
      options.shutdown.removeEventListener('abort', close);
      streams--;
      const left = (streamsBySession.get(session.token) ?? 1) - 1;
      if (left > 0) streamsBySession.set(session.token, left);
      else streamsBySession.delete(session.token);
      metrics.sseConnections.dec();
      if (!res.writableEnded && !res.destroyed)
        res.end(options.shutdown.aborted ? encodeRetry(SHUTDOWN_RETRY_MS) : undefined);
    }
  };
}
