/**
 * @module observability/tracingSdk
 * Tracing on: the OpenTelemetry SDK, imported by `tracing.ts` only when an OTLP endpoint is configured.
 *
 * One SERVER span per routed request (`GET /api/executions/{execution_id}`: the route's table path, never
 * the ids), continuing a valid incoming `traceparent` or starting a trace; a CLIENT span per call to NoETL
 * and per `/noetl/*` exchange, whose own `traceparent` (and the caller's `tracestate`) replaces the
 * caller's on the call; a PRODUCER span per NATS publish. Spans go out in batches over OTLP/HTTP
 * (protobuf). Nothing is registered globally: other libraries in the process (Firestore's SDK reads the
 * global tracer provider) stay untraced, and several gateways in one process keep their own exporters.
 *
 * What spans never carry: query strings (EventSource puts the session token there), header values,
 * bodies, error messages (they name NoETL's address: the error's code or name is recorded instead).
 */
import type { ServerResponse } from 'node:http';
import {
  type Attributes,
  type Context,
  defaultTextMapGetter,
  ROOT_CONTEXT,
  type Span,
  SpanKind,
  SpanStatusCode,
  type TextMapSetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { ExportResultCode, W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type ReadableSpan,
  type Sampler,
  type SpanExporter,
  TraceIdRatioBasedSampler,
  TracerProvider,
} from '@opentelemetry/sdk-trace';
import type { Logger } from 'pino';
import {
  type CallKind,
  type OutgoingCall,
  type RequestTracer,
  runInScope,
  type TraceScope,
  type Tracing,
  type TracingConfig,
} from './tracing.ts';

const propagator = new W3CTraceContextPropagator();

/** Injects into a flat `[name, value, …]` header list (what undici and the proxy send). */
const pushHeader: TextMapSetter<string[]> = {
  set(carrier, key, value) {
    carrier.push(key, value);
  },
};

/** A bounded description of what ended a call: the error's code (`ECONNREFUSED`, …) or its name. */
export function errorType(error: unknown): string {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Za-z0-9_]+$/.test(code)) return code;
    current = current.cause;
  }
  return error instanceof Error && /^\w+$/.test(error.name) ? error.name : 'error';
}

/** One call's span; its headers carry the span's own context. */
class SpanCall implements OutgoingCall {
  readonly headers: string[] = [];
  readonly #span: Span;
  #ended = false;

  constructor(span: Span, context: Context | undefined) {
    this.#span = span;
    if (context) propagator.inject(trace.setSpan(context, span), this.headers, pushHeader);
  }

  end(status?: number, error?: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    const span = this.#span;
    if (status !== undefined) {
      span.setAttribute('http.response.status_code', status);
      // A client span is in error for any 4xx/5xx answer (OpenTelemetry's HTTP conventions).
      if (status >= 400) {
        span.setAttribute('error.type', String(status));
        span.setStatus({ code: SpanStatusCode.ERROR });
      }
    }
    if (error !== undefined) {
      const type = errorType(error);
      span.setAttribute('error.type', type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    }
    span.end();
  }
}

/** A traced request: its span's context is the parent of every call it makes. */
class SpanScope implements TraceScope {
  readonly #tracer: Tracer;
  readonly #context: Context;

  constructor(tracer: Tracer, context: Context) {
    this.#tracer = tracer;
    this.#context = context;
  }

  call(kind: CallKind, name: string, method: string, target: string): OutgoingCall {
    const attributes: Attributes =
      kind === 'nats'
        ? {
            'messaging.system': 'nats',
            'messaging.operation.type': 'send',
            'messaging.operation.name': method,
            'messaging.destination.name': target,
          }
        : { 'http.request.method': method, 'url.path': target, 'peer.service': 'noetl' };
    const span = this.#tracer.startSpan(
      name,
      { kind: kind === 'nats' ? SpanKind.PRODUCER : SpanKind.CLIENT, attributes },
      this.#context,
    );
    // NATS messages carry no headers of the gateway's: nothing reads them on the other side.
    return new SpanCall(span, kind === 'nats' ? undefined : this.#context);
  }
}

const SERVER_SPAN = Symbol('tracing.serverSpan');
type TracedResponse = ServerResponse & { [SERVER_SPAN]?: Span };

/** The response's 'close' (`this` is the response): the request's span ends with what happened. */
function responseClosed(this: TracedResponse): void {
  const span = this[SERVER_SPAN];
  if (!span) return;
  this[SERVER_SPAN] = undefined;
  if (this.headersSent) {
    span.setAttribute('http.response.status_code', this.statusCode);
    // A server span is in error for 5xx only: a 4xx is the caller's mistake.
    if (this.statusCode >= 500) {
      span.setAttribute('error.type', String(this.statusCode));
      span.setStatus({ code: SpanStatusCode.ERROR });
    }
  }
  if (!this.writableFinished)
    span.setAttribute(
      'noetl_gateway.outcome',
      this.headersSent ? 'cut_mid_response' : 'closed_without_response',
    );
  span.end();
}

function samplerOf(config: TracingConfig): Sampler {
  const ratio = () => new TraceIdRatioBasedSampler(config.samplerRatio);
  switch (config.sampler) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio();
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio() });
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
  }
}

const FAILURE_LOG_INTERVAL_MS = 60_000;

/** The exporter, telling the log when a batch is lost (at most once a minute: a collector may be down long). */
function loggingExporter(inner: SpanExporter, logger: Logger, where: string): SpanExporter {
  let lastLogged = Number.NEGATIVE_INFINITY;
  return {
    export(spans: ReadableSpan[], done) {
      inner.export(spans, (result) => {
        if (result.code !== ExportResultCode.SUCCESS) {
          const now = performance.now();
          if (now - lastLogged >= FAILURE_LOG_INTERVAL_MS) {
            lastLogged = now;
            logger.warn(
              { spans: spans.length, endpoint: where, reason: errorType(result.error) },
              'tracing: exporting spans failed; they are dropped',
            );
          }
        }
        done(result);
      });
    },
    shutdown: () => inner.shutdown(),
    forceFlush: () => inner.forceFlush?.() ?? Promise.resolve(),
  };
}

/** The URL without credentials or query, for the log. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '(unparsable URL)';
  }
}

export function sdkTracing(config: TracingConfig & { tracesUrl: string }, logger: Logger): Tracing {
  const where = shown(config.tracesUrl);
  type ExporterOptions = NonNullable<ConstructorParameters<typeof OTLPTraceExporter>[0]>;
  const exporter = new OTLPTraceExporter({
    url: config.tracesUrl,
    headers: config.headers,
    timeoutMillis: config.timeoutMs,
    compression: config.compression as ExporterOptions['compression'],
  });
  const provider = new TracerProvider({
    resource: resourceFromAttributes({
      ...config.resourceAttributes,
      'service.name': config.serviceName,
      'service.version': config.serviceVersion,
    }),
    sampler: samplerOf(config),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: loggingExporter(exporter, logger, where),
        scheduledDelayMillis: config.batch.scheduleDelayMs,
        maxQueueSize: config.batch.maxQueueSize,
        maxExportBatchSize: config.batch.maxExportBatchSize,
        exportTimeoutMillis: config.timeoutMs,
      }),
    ],
  });
  const tracer = provider.getTracer('noetl-gateway', config.serviceVersion);

  const requests: RequestTracer = function traceRequest(req, res, route, requestId, next) {
    const parent = propagator.extract(ROOT_CONTEXT, req.headers, defaultTextMapGetter);
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const span = tracer.startSpan(
      `${req.method} ${route}`,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': req.method,
          'http.route': route,
          'url.path': query < 0 ? url : url.slice(0, query),
          'noetl_gateway.request_id': requestId,
        },
      },
      parent,
    );
    (res as TracedResponse)[SERVER_SPAN] = span;
    res.on('close', responseClosed);
    runInScope(new SpanScope(tracer, trace.setSpan(parent, span)), next);
  };

  logger.info(
    { endpoint: where, service: config.serviceName, sampler: config.sampler },
    'tracing on: spans exported over OTLP/HTTP',
  );
  return {
    requests,
    exporting: true,
    close: () => provider.shutdown(),
  };
}
