/**
 * @module http/routes/ingressRoute
 * `POST /ingress/{listener}`: push ingress (webhooks, Google Pub/Sub push). No session — the delivery's
 * own signature or token is verified by the ingress service. Before the body is read: 503 while ingress
 * is off (NOETL_INTERNAL_API_TOKEN unset), the listener's config (404 unknown, 502 NoETL failed), the
 * per-listener rate limit (429). Then the body, raw and of any type, within its own limit (413), is
 * verified and dispatched: 202 `{"status": "accepted", "execution_id"}` or a rejection.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { FixedWindowLimiter } from '../../api/fixedWindowLimiter.ts';
import { ingressMetrics, UNKNOWN_LISTENER_LABEL } from '../../api/ingress/ingressMetrics.ts';
import { IngressProblem } from '../../api/ingress/ingressProblem.ts';
import { Problem } from '../../api/problem.ts';
import type { IngressAccepted, IngressListenerConfig } from '../../contract/ingress.ts';
import { routes } from '../../contract/routes.ts';
import { headerMap } from '../../core/ingress/deliveryHeaders.ts';
import { IngressRejection, rejectWithDetail } from '../../core/ingress/ingressRejection.ts';
import type { IngressService } from '../../core/ingress/ingressService.ts';
import type { Metrics } from '../../observability/metrics.ts';
import { fastifyPath } from '../pipeline.ts';

export interface IngressRouteOptions {
  /** Undefined while ingress is off (NOETL_INTERNAL_API_TOKEN unset): every delivery is answered 503. */
  service: IngressService | undefined;
  /** Largest delivery body (GATEWAY_INGRESS_MAX_BODY_BYTES). */
  maxBodyBytes: number;
  /** Deliveries per listener and minute (GATEWAY_INGRESS_RATE_LIMIT_PER_MIN; 0: no limit). */
  perMinute: number;
  metrics: Metrics;
  logger: Logger;
}

/** Longer names are no listener NoETL could have: refused without asking it. */
const MAX_LISTENER_LENGTH = 256;
const JSON_TYPE = 'application/json; charset=utf-8';

export function registerIngress(app: FastifyInstance, options: IngressRouteOptions): void {
  const { service, logger } = options;
  const counters = ingressMetrics(options.metrics.registry);
  const limiter =
    options.perMinute > 0
      ? new FixedWindowLimiter({ limit: options.perMinute, windowMs: 60_000, maxKeys: 10_000 })
      : undefined;
  /** The config the first hook resolved, for the handler. */
  const configs = new WeakMap<FastifyRequest, IngressListenerConfig>();

  /**
   * A refusal counted, logged (never a secret) and answered in the reference's shape. Names NoETL does not
   * know are only debug lines (anyone can invent them; the request log has each request); the lookup and
   * execute failures are logged where they happen, with their cause.
   */
  const refused = (listener: string, label: string, error: unknown): unknown => {
    if (!(error instanceof IngressRejection)) return error;
    counters.rejected.inc({ subscription: label, reason: error.reason });
    const fields = {
      listener,
      reason: error.reason,
      status: error.status,
      ...(error.reason === 'jwks_error' ? { err: error.cause } : {}),
    };
    const message = `ingress: delivery rejected (${error.message})`;
    if (error.reason === 'unknown_listener') logger.debug(fields, message);
    else logger.warn(fields, message);
    return new IngressProblem(error);
  };

  app.register(async function ingressScope(scope) {
    // Any body type, kept as its bytes: signatures are computed over exactly what was sent.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: options.maxBodyBytes },
      function rawBody(_request, body, done) {
        done(null, body);
      },
    );
    scope.setErrorHandler(function nameTheIngressLimit(error) {
      // Rethrown: the pipeline's handler answers (the body limit named by this route's own setting).
      if ((error as { code?: unknown }).code === 'FST_ERR_CTP_BODY_TOO_LARGE')
        throw new Problem('PAYLOAD_TOO_LARGE', 'Request body too large (GATEWAY_INGRESS_MAX_BODY_BYTES)');
      throw error;
    });
    scope.route({
      method: 'POST',
      url: fastifyPath(routes.ingress.path),
      onRequest: async function resolveListener(request) {
        if (!service)
          throw new Problem(
            'SERVICE_UNAVAILABLE',
            'push-ingress not configured (NOETL_INTERNAL_API_TOKEN unset)',
          );
        const { listener } = request.params as { listener: string };
        let config: IngressListenerConfig;
        try {
          if (listener.length > MAX_LISTENER_LENGTH)
            throw rejectWithDetail('unknown_listener', 'no push subscription for this ingress path');
          config = await service.listener(listener);
        } catch (error) {
          counters.received.inc({ subscription: UNKNOWN_LISTENER_LABEL });
          throw refused(listener, UNKNOWN_LISTENER_LABEL, error);
        }
        counters.received.inc({ subscription: listener });
        const retryAfter = limiter?.take(listener) ?? 0;
        if (retryAfter > 0) {
          options.metrics.rateLimited.inc({ limit: 'ingress' });
          throw new Problem(
            'TOO_MANY_REQUESTS',
            `Too many deliveries to this listener (GATEWAY_INGRESS_RATE_LIMIT_PER_MIN); retry in ${retryAfter} s`,
            { headers: { 'retry-after': String(retryAfter) } },
          );
        }
        configs.set(request, config);
      },
      handler: async function deliver(request, reply) {
        const config = configs.get(request)!;
        const { listener } = request.params as { listener: string };
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        try {
          const dispatched = await service!.deliver(config, {
            headers: headerMap(request.raw.rawHeaders),
            body,
          });
          counters.dispatched.inc({ subscription: listener });
          logger.info(
            {
              listener,
              execution_id: dispatched.executionId,
              playbook: dispatched.playbook,
              pool: dispatched.executionPool ?? '(default)',
              message_id: dispatched.messageId,
              directives_applied: dispatched.applied,
            },
            'ingress: verified delivery dispatched',
          );
          const accepted: IngressAccepted = { status: 'accepted', execution_id: dispatched.executionId };
          return reply.code(202).type(JSON_TYPE).send(JSON.stringify(accepted));
        } catch (error) {
          throw refused(listener, listener, error);
        }
      },
    });
  });
}
