/**
 * @module observability/tracing
 * W3C trace context for the requests the gateway serves and the calls they make to NoETL and NATS.
 *
 * - **Off** (no OTLP endpoint, the default): the gateway takes no part in traces and loads no tracing SDK.
 *   A valid incoming `traceparent` (with its `tracestate`) is relayed unchanged on the calls a request makes
 *   to NoETL (execute, rerun, auth, GraphQL `proxyRequest`); `/noetl/*` relays it as it relays any
 *   end-to-end header. A request without one costs a header lookup; nothing is allocated for it.
 * - **On** (`OTEL_EXPORTER_OTLP_ENDPOINT` or `_TRACES_ENDPOINT`): `tracingSdk.ts` is imported then, and only
 *   then. Each routed request gets a SERVER span (continuing the caller's trace, or a new one), each call to
 *   NoETL a CLIENT span whose `traceparent` goes with it, each NATS publish a PRODUCER span.
 *
 * The request's scope rides in an AsyncLocalStorage entered in the pipeline's first hook. Fastify keeps the
 * async context across body parsing (its content-type parser runs in an AsyncResource of the request), so
 * the handler and every service it awaits see the scope without it being passed down.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

/** Which kind of outgoing call: a NoETL API call, a `/noetl/*` exchange, a NATS publish. */
export type CallKind = 'noetl' | 'proxy' | 'nats';

/** One outgoing call of a traced request. */
export interface OutgoingCall {
  /** Header pairs to send with the call (`traceparent`, and `tracestate` when there is one). */
  readonly headers: readonly string[];
  /** Ends the call's span with the answer's status, or the error that ended it (nothing when off). */
  end(status?: number, error?: unknown): void;
}

/** What a request's async context carries. */
export interface TraceScope {
  /**
   * The trace context for one call, or undefined when the call needs nothing (e.g. `/noetl/*` when
   * relaying: the caller's headers already go through).
   * @param name a bounded name (no ids): `noetl execute`, `noetl proxy GET`, `nats publish`
   * @param target the NoETL path (no query) or the NATS subject
   */
  call(kind: CallKind, name: string, method: string, target: string): OutgoingCall | undefined;
}

/**
 * The pipeline's part: runs `next` (the rest of the request) inside the request's trace scope, when it has
 * one. Called once per routed request, in the first hook.
 */
export type RequestTracer = (
  req: IncomingMessage,
  res: ServerResponse,
  route: string,
  requestId: string,
  next: () => void,
) => void;

export interface Tracing {
  readonly requests: RequestTracer;
  /** Whether spans are recorded and exported (false: relay only). */
  readonly exporting: boolean;
  /** Exports what is still buffered and stops. */
  close(): Promise<void>;
}

const scopes = new AsyncLocalStorage<TraceScope>();

/** Runs `next` with `scope` as the trace scope of everything it starts. */
export function runInScope(scope: TraceScope, next: () => void): void {
  scopes.run(scope, next);
}

/** The trace context for a call made now, from the current request's scope; undefined outside one. */
export function outgoingCall(
  kind: CallKind,
  name: string,
  method: string,
  target: string,
): OutgoingCall | undefined {
  return scopes.getStore()?.call(kind, name, method, target);
}

/**
 * Whether a `traceparent` value is one the W3C Trace Context spec lets a participant continue:
 * `version-traceid-parentid-flags` in lower-case hex, version not `ff`, ids not all zeros; version `00` has
 * exactly these four fields, a later version may append more after a dash.
 */
export function isTraceparent(value: string): boolean {
  if (value.length < 55) return false;
  const match = TRACEPARENT.exec(value);
  if (!match) return false;
  const [, version, traceId, parentId, rest] = match;
  if (version === 'ff' || (version === '00' && rest !== '')) return false;
  return !ALL_ZEROS.test(traceId!) && !ALL_ZEROS.test(parentId!);
}

const TRACEPARENT = /^([0-9a-f]{2})-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}((?:-.*)?)$/;
const ALL_ZEROS = /^0+$/;

function noop(): void {}

/** Off: the caller's context, passed on unchanged to the calls the gateway makes to NoETL. */
class RelayedContext implements TraceScope {
  readonly #call: OutgoingCall;

  constructor(traceparent: string, tracestate: string | undefined) {
    this.#call = {
      headers: tracestate
        ? ['traceparent', traceparent, 'tracestate', tracestate]
        : ['traceparent', traceparent],
      end: noop,
    };
  }

  call(kind: CallKind): OutgoingCall | undefined {
    return kind === 'noetl' ? this.#call : undefined;
  }
}

/** The request tracer when tracing is off: a scope only for a request that brings a valid traceparent. */
export const relayTraceContext: RequestTracer = function relayTraceContext(req, _res, _route, _id, next) {
  const traceparent = req.headers.traceparent;
  // Node joins a repeated header into one string (`a, b`), which is then no valid traceparent.
  if (typeof traceparent !== 'string' || !isTraceparent(traceparent)) return next();
  const tracestate = req.headers.tracestate;
  scopes.run(new RelayedContext(traceparent, typeof tracestate === 'string' ? tracestate : undefined), next);
};

const RELAY: Tracing = { requests: relayTraceContext, exporting: false, close: async () => {} };

/** Key/value pairs for spans' resource (`OTEL_RESOURCE_ATTRIBUTES`) or the exporter's HTTP headers. */
export type KeyValues = Record<string, string>;

export type TracingSampler =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

export interface TracingConfig {
  /** The OTLP/HTTP traces URL (`…/v1/traces`); undefined: tracing off (relay only). */
  tracesUrl: string | undefined;
  headers: KeyValues;
  timeoutMs: number;
  compression: 'none' | 'gzip';
  serviceName: string;
  serviceVersion: string;
  resourceAttributes: KeyValues;
  sampler: TracingSampler;
  samplerRatio: number;
  batch: { scheduleDelayMs: number; maxQueueSize: number; maxExportBatchSize: number };
}

/**
 * Tracing as configured: relay only without an endpoint (no SDK loaded), else the OpenTelemetry SDK,
 * imported now.
 */
export async function startTracing(config: TracingConfig, logger: Logger): Promise<Tracing> {
  if (!config.tracesUrl) return RELAY;
  const { sdkTracing } = await import('./tracingSdk.ts');
  return sdkTracing({ ...config, tracesUrl: config.tracesUrl }, logger);
}
