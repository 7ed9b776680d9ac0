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
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../../api/authenticate.ts';
import { invalidInput, Problem } from '../../api/problem.ts';
import { EventsQuery, FrameErrorCode, routes } from '../../contract/index.ts';
import type { RequestStore } from '../../core/executions/requestStore.ts';
import type { ClientRegistry } from '../../core/push/clientRegistry.ts';
import type { ConnectionHub } from '../../core/push/connectionHub.ts';
import { deserializeRoutedFrame, errorFrame, initFrame, PING_FRAME } from '../../core/push/frames.ts';
import type { StreamSlots } from '../../core/push/streamSlots.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { encodeComment, encodeEvent, encodeFrame, encodeRetry, eventId, parseEventId } from '../sse.ts';
import { credentialsOf } from './apiRoutes.ts';

export interface EventsRouteOptions {
  authenticator: Authenticator;
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
  /** Admission: streams on this replica, and per session across the cluster. */
  slots: StreamSlots;
  /** The per-session limit, named in the 429 message. */
  maxStreamsPerSession: number;
  /** Aborted at shutdown: streams end with a short `retry:` so clients reconnect to another replica. */
  shutdown: AbortSignal;
}

const SHUTDOWN_RETRY_MS = 1000;

/** Takes the response over from the framework: the stream's head, with the gateway's own headers. */
function streamHeaders(res: ServerResponse, own: readonly string[]): void {
  for (let i = 0; i < own.length; i += 2) res.setHeader(own[i]!, own[i + 1]!);
  res.statusCode = 200;
  res.setHeader('content-type', 'text/event-stream');
  res.setHeader('cache-control', 'no-cache, no-transform');
  res.setHeader('x-accel-buffering', 'no');
  res.flushHeaders();
}

const RETRY_LATER = Object.freeze({ 'retry-after': '5' });

/** Registers `GET /events`. */
export function registerEvents(app: FastifyInstance, options: EventsRouteOptions): void {
  const { metrics } = options;

  app.get(routes.events.path, async function events(request: FastifyRequest, reply: FastifyReply) {
    if (options.shutdown.aborted)
      throw new Problem('SERVICE_UNAVAILABLE', 'Shutting down; reconnect', {
        headers: { 'retry-after': '1' },
      });
    // An empty parameter is as good as none (EventSource URLs are often built with `client_id=`).
    const raw = Object.fromEntries(
      Object.entries(request.query as Record<string, unknown>).filter(([, value]) => value !== ''),
    );
    const query = EventsQuery.safeParse(raw);
    if (!query.success) {
      const problem = invalidInput(query.error);
      throw new Problem('BAD_REQUEST', problem.message, { issues: problem.issues });
    }
    const session = await options.authenticator.sessionOrNothing({
      ...credentialsOf(request),
      queryToken: query.data.session_token,
    });
    const res = reply.raw;
    if (!session) {
      // What the reference sent: a 200 stream with one error frame, then the end.
      reply.hijack();
      streamHeaders(res, request.ownHeaders);
      res.end(encodeFrame(errorFrame(FrameErrorCode.invalidSession, 'Invalid or expired session')));
      return;
    }

    const lastEventId = request.headers['last-event-id'];
    const resume = parseEventId(typeof lastEventId === 'string' ? lastEventId : undefined);
    const requested = query.data.client_id;
    // This replica's counts are taken before any await (concurrent opens cannot all pass), then the
    // session's slot across replicas. A slot lost later (its lease lapsed in a NATS outage) ends the stream.
    const admission = await options.slots.admit(session.token, () => res.destroy());
    if (!admission.admitted) {
      metrics.rateLimited.inc({ limit: admission.limit });
      throw new Problem(
        'TOO_MANY_REQUESTS',
        admission.limit === 'sse_total'
          ? 'Too many open event streams on this gateway'
          : `Too many open event streams (at most ${options.maxStreamsPerSession} per session)`,
        { headers: RETRY_LATER },
      );
    }
    try {
      await serve();
    } finally {
      admission.slot.release();
    }

    async function serve(): Promise<void> {
      const clientId = resume?.clientId ?? requested ?? randomUUID();
      const claim = await options.clients.claim(clientId, session!.token);
      if (!claim.ok) throw new Problem('FORBIDDEN', 'client_id belongs to another session');
      const afterSeq = resume?.seq ?? claim.deliveredSeq;
      const pending = await options.requests.forClient(clientId).catch(() => []);

      await using stream = await options.hub.open(clientId, afterSeq, session!.token);
      reply.hijack();
      metrics.sseConnections.inc();
      const openedAt = Date.now();
      const closed = new AbortController();
      const close = () => closed.abort();
      res.on('close', close);
      options.shutdown.addEventListener('abort', close, { once: true });
      closed.signal.addEventListener('abort', () => void stream.frames.return?.(), { once: true });

      streamHeaders(res, request.ownHeaders);
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
        metrics.sseConnections.dec();
        if (!res.writableEnded && !res.destroyed)
          res.end(options.shutdown.aborted ? encodeRetry(SHUTDOWN_RETRY_MS) : undefined);
      }
    }
  });
}
