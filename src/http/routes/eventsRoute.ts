/**
 * @module http/eventsRoute
 * `GET /events`: one Server-Sent-Events stream per browser tab. Authenticates like every route (the
 * `session_token` query parameter for EventSource, or the usual headers), admits the stream (limits per
 * replica and per session), claims the client id for the session, writes the head, the retry hint, the
 * init frame and a first ping in one write, and hands the stream to `SseStreams`: the handler returns and
 * the framework's objects go. A reconnect with `Last-Event-ID` (or just `client_id`) resumes after the last
 * frame the client had.
 *
 * A slow client cannot grow memory: the stream waits for the socket to drain before it reads the next
 * frame from the log, and a client that does not drain in time is disconnected (it resumes from the log).
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Authenticator } from '../../api/authenticate.ts';
import { invalidInput, Problem } from '../../api/problem.ts';
import { EventsQuery, FrameErrorCode, routes } from '../../contract/index.ts';
import type { RequestStore } from '../../core/executions/requestStore.ts';
import type { ClientRegistry } from '../../core/push/clientRegistry.ts';
import type { ConnectionHub, OpenStream } from '../../core/push/connectionHub.ts';
import { errorFrame, initFrame, PING_FRAME } from '../../core/push/frames.ts';
import type { StreamSlots } from '../../core/push/streamSlots.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { encodeFrame, encodeRetry, eventId, parseEventId } from '../sse.ts';
import { SseStreams } from '../sseStreams.ts';
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

const STREAM_HEADERS = [
  'content-type',
  'text/event-stream',
  'cache-control',
  'no-cache, no-transform',
  'x-accel-buffering',
  'no',
];

/** Stands in for every stream's sent head (see `startStream`). */
const HEAD_SENT = 'HTTP/1.1 200 OK\r\n\r\n';

/** What `node:http` keeps of a response's head: the text, and whether it has been written out. */
type SentHead = { _header?: unknown; _headerSent?: unknown };

/**
 * Takes the response over from the framework and writes the stream's head (with the gateway's own headers)
 * and `first` in one write. A flat header list: the response keeps no header map for its lifetime.
 */
function startStream(reply: FastifyReply, own: readonly string[], first: string): ServerResponse {
  reply.hijack();
  const res = reply.raw;
  res.writeHead(200, [...own, ...STREAM_HEADERS]);
  res.write(first);
  // Node keeps the head it sent (`_header`, ~260 bytes: request id, date, …) for the response's lifetime,
  // but once it is written out only asks whether there is one (`headersSent`, the "headers already sent"
  // checks). One shared string stands in for every open stream's copy.
  const head = res as unknown as SentHead;
  if (head._headerSent === true && typeof head._header === 'string') head._header = HEAD_SENT;
  return res;
}

const RETRY_LATER = Object.freeze({ 'retry-after': '5' });

/** The query without empty parameters: one is as good as none (EventSource URLs often carry `client_id=`). */
function withoutEmpty(query: Record<string, unknown>): Record<string, unknown> {
  for (const key in query) {
    if (query[key] !== '') continue;
    const kept: Record<string, unknown> = {};
    for (const name in query) if (query[name] !== '') kept[name] = query[name];
    return kept;
  }
  return query;
}
const PING_JSON = JSON.stringify(PING_FRAME);

/** Registers `GET /events`. */
export function registerEvents(app: FastifyInstance, options: EventsRouteOptions): void {
  const { metrics } = options;
  const streams = new SseStreams(options);

  app.get(routes.events.path, async function events(request: FastifyRequest, reply: FastifyReply) {
    if (options.shutdown.aborted)
      throw new Problem('SERVICE_UNAVAILABLE', 'Shutting down; reconnect', {
        headers: { 'retry-after': '1' },
      });
    const query = EventsQuery.safeParse(withoutEmpty(request.query as Record<string, unknown>));
    if (!query.success) {
      const problem = invalidInput(query.error);
      throw new Problem('BAD_REQUEST', problem.message, { issues: problem.issues });
    }
    const session = await options.authenticator.sessionOrNothing(
      credentialsOf(request, query.data.session_token),
    );
    if (!session) {
      // What the reference sent: a 200 stream with one error frame, then the end.
      const res = startStream(
        reply,
        request.ownHeaders,
        encodeFrame(errorFrame(FrameErrorCode.invalidSession, 'Invalid or expired session')),
      );
      res.end();
      return;
    }

    const lastEventId = request.headers['last-event-id'];
    const resume = parseEventId(typeof lastEventId === 'string' ? lastEventId : undefined);
    const requested = query.data.client_id;
    // This replica's counts are taken before any await (concurrent opens cannot all pass), then the
    // session's slot across replicas. A slot lost later (its lease lapsed in a NATS outage) ends the stream.
    const response = reply.raw;
    const admission = await options.slots.admit(session.token, () => response.destroy());
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
    let stream: OpenStream | undefined;
    try {
      const named = resume?.clientId ?? requested;
      const clientId = named ?? randomUUID();
      const claim = await options.clients.claim(clientId, session.token);
      if (!claim.ok) throw new Problem('FORBIDDEN', 'client_id belongs to another session');
      const afterSeq = resume?.seq ?? claim.deliveredSeq;
      // A client id made just now has no requests waiting: no lookup.
      const pending = named === undefined ? [] : await options.requests.forClient(clientId).catch(() => []);
      stream = await options.hub.open(clientId, afterSeq, session.token);
      const init = initFrame({
        clientId,
        heartbeatIntervalMs: options.heartbeatMs,
        version: options.version,
        subscriptions: options.subscriptionsEnabled,
        pendingRequests: pending.map(({ requestId, request }) => ({
          executionId: request.execution_id,
          playbookPath: request.playbook_path,
          requestId,
        })),
      });
      const id = eventId(clientId, afterSeq);
      const res = startStream(
        reply,
        request.ownHeaders,
        `${encodeRetry(options.retryMs)}${encodeFrame(init, id)}id: ${id}\nevent: ping\ndata: ${PING_JSON}\n\n`,
      );
      // `req.url` lives as long as the stream and carries the session token of an EventSource: the route's
      // path is all that is left to read (the request log took its own copy).
      request.raw.url = routes.events.path;
      streams.start(res, stream, admission.slot);
    } catch (error) {
      admission.slot.release();
      await stream?.[Symbol.asyncDispose]();
      throw error;
    }
  });
}
