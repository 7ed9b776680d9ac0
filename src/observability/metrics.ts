/**
 * @module observability/metrics
 * Every Prometheus series the gateway exports, in one registry per gateway instance. The gateway's own
 * series are `noetl_gateway_*`, named as the reference gateway names them (contract §12.8) where it had
 * them; closed label sets are pre-created at 0. Process and Node.js series keep prom-client's standard
 * names (`process_cpu_seconds_total`, `nodejs_eventloop_lag_seconds`, …) so the usual Node.js dashboards
 * and `process_*` alerts find them. No label ever carries a token, a user id or a client id.
 */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

function precreate<T extends string>(counter: Counter<T>, label: T, values: string[]): void {
  for (const value of values) counter.inc({ [label]: value } as Partial<Record<T, string>>, 0);
}

export function createMetrics(options: { version: string; authBypass: boolean; internalAuth: boolean }) {
  const registry = new Registry();
  // No prefix: standard names are what dashboards and alerts query (a replica is told apart by its
  // scrape labels, `job` and `instance`, as any other process).
  collectDefaultMetrics({ register: registry });
  const r = { registers: [registry] };

  new Gauge({ ...r, name: 'noetl_gateway_build_info', help: 'Gateway version', labelNames: ['version'] }).set(
    { version: options.version },
    1,
  );
  const bypass = new Gauge({
    ...r,
    name: 'noetl_gateway_auth_bypass_enabled',
    help: 'Auth bypass mode (read once at start)',
    labelNames: ['mode'],
  });
  bypass.set({ mode: 'bypass' }, options.authBypass ? 1 : 0);
  bypass.set({ mode: 'enforced' }, options.authBypass ? 0 : 1);
  new Gauge({
    ...r,
    name: 'noetl_gateway_internal_auth_enabled',
    help: '1 when /api/internal/* require NOETL_INTERNAL_API_TOKEN',
  }).set(options.internalAuth ? 1 : 0);

  const login = new Counter({
    ...r,
    name: 'noetl_gateway_login_total',
    help: 'Logins by outcome',
    labelNames: ['outcome'],
  });
  precreate(login, 'outcome', ['succeeded', 'callback_failed', 'not_authenticated']);
  const sessionCheck = new Counter({
    ...r,
    name: 'noetl_gateway_session_check_total',
    help: 'Session checks by outcome',
    labelNames: ['outcome'],
  });
  precreate(sessionCheck, 'outcome', [
    'ok',
    'missing_token',
    'invalid_or_expired',
    'validation_error',
    'bypass',
  ]);
  const authz = new Counter({
    ...r,
    name: 'noetl_gateway_authz_total',
    help: 'Access checks by outcome',
    labelNames: ['outcome'],
  });
  precreate(authz, 'outcome', ['allowed', 'denied', 'backend_error']);
  const sessionCacheFailed = new Counter({
    ...r,
    name: 'noetl_gateway_session_cache_failed_total',
    help: 'Failed session cache writes',
    labelNames: ['stage'],
  });
  precreate(sessionCacheFailed, 'stage', ['after_login', 'after_api_validate']);
  const lifecycle = new Counter({
    ...r,
    name: 'noetl_gateway_lifecycle_events_total',
    help: 'NoETL lifecycle events by outcome',
    labelNames: ['outcome'],
  });
  precreate(lifecycle, 'outcome', [
    'forwarded',
    'unrouted',
    'malformed',
    'filtered',
    'no_execution_id',
    'error',
  ]);
  // The reference's name (v3.11): reconnects of the EHDB event feed reader, by why the connection ended.
  const eventFeedReconnect = new Counter({
    ...r,
    name: 'noetl_gateway_event_feed_reconnect_total',
    help: 'Reconnects of the EHDB event feed reader (ended: the feed closed the stream; error: it failed)',
    labelNames: ['reason'],
  });
  precreate(eventFeedReconnect, 'reason', ['ended', 'error']);
  const firestoreListenerFaults = new Counter({
    ...r,
    name: 'noetl_gateway_firestore_listener_faults_total',
    help: 'Firestore subscription listener faults (each also sent to the client as an error frame)',
    labelNames: ['reason'],
  });
  precreate(firestoreListenerFaults, 'reason', ['backend_unreachable', 'listener_failed']);

  return {
    registry,
    login,
    sessionCheck,
    authz,
    sessionCacheFailed,
    lifecycle,
    eventFeedReconnect,
    authCancelFailed: new Counter({
      ...r,
      name: 'noetl_gateway_auth_cancel_failed_total',
      help: 'Failed cancels of timed-out auth playbooks',
    }),
    callbackUndelivered: new Counter({
      ...r,
      name: 'noetl_gateway_callback_undelivered_total',
      help: 'Results queued for a disconnected client (202)',
    }),
    sseConnections: new Gauge({
      ...r,
      name: 'noetl_gateway_sse_connections',
      help: 'Open /events streams on this replica',
    }),
    framesSent: new Counter({
      ...r,
      name: 'noetl_gateway_frames_sent_total',
      help: 'Frames written to SSE streams',
      labelNames: ['event'],
    }),
    framesEvicted: new Counter({
      ...r,
      name: 'noetl_gateway_frames_evicted_total',
      help: 'Frames dropped from the in-memory replay log to stay within GATEWAY_FRAME_MEMORY_MAX_BYTES (no NATS)',
    }),
    framesReplayed: new Counter({
      ...r,
      name: 'noetl_gateway_frames_replayed_total',
      help: 'Frames written on resume (appended before the stream opened)',
    }),
    slowClientDisconnects: new Counter({
      ...r,
      name: 'noetl_gateway_sse_slow_client_disconnects_total',
      help: 'Streams closed because the client did not keep up',
    }),
    callbackToFrame: new Histogram({
      ...r,
      name: 'noetl_gateway_callback_to_frame_seconds',
      help: 'From a frame being routed (callback, progress, lifecycle event) to its write on a live stream',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    }),
    upstreamSeconds: new Histogram({
      ...r,
      name: 'noetl_gateway_upstream_request_seconds',
      help: 'Calls to NoETL by operation',
      labelNames: ['operation', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    }),
    httpRequests: new Histogram({
      ...r,
      name: 'noetl_gateway_http_request_seconds',
      help: 'HTTP requests by route template and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    }),
    natsConnected: new Gauge({
      ...r,
      name: 'noetl_gateway_nats_connected',
      help: '1 while the NATS connection is up (always 1 in embedded mode)',
    }),
    rateLimited: new Counter({
      ...r,
      name: 'noetl_gateway_rate_limited_total',
      help: 'Requests refused by a limit',
      labelNames: ['limit'],
    }),
    firestoreListenerFaults,
    firestoreSubscriptions: new Gauge({
      ...r,
      name: 'noetl_gateway_firestore_subscriptions',
      help: 'Open Firestore subscription listeners on this replica',
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
