/**
 * @module api/ingress/ingressMetrics
 * The reference's ingress counters (contract §12.8): deliveries received, rejected (by reason) and
 * dispatched, by `subscription` — the listener name for listeners NoETL knows, `(unknown)` for any other,
 * so a caller inventing names cannot grow the label set.
 */
import { Counter, type Registry } from 'prom-client';

export const UNKNOWN_LISTENER_LABEL = '(unknown)';

export interface IngressMetrics {
  received: Counter<'subscription'>;
  rejected: Counter<'subscription' | 'reason'>;
  dispatched: Counter<'subscription'>;
}

export function ingressMetrics(registry: Registry): IngressMetrics {
  const registers = [registry];
  return {
    received: new Counter({
      registers,
      name: 'noetl_ingress_received_total',
      help: 'Push/webhook deliveries received',
      labelNames: ['subscription'],
    }),
    rejected: new Counter({
      registers,
      name: 'noetl_ingress_rejected_total',
      help: 'Push/webhook deliveries rejected (no execution dispatched)',
      labelNames: ['subscription', 'reason'],
    }),
    dispatched: new Counter({
      registers,
      name: 'noetl_ingress_dispatched_total',
      help: 'Verified deliveries forwarded as one execution',
      labelNames: ['subscription'],
    }),
  };
}
