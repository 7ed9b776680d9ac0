/**
 * @module core/ingress/directives
 * Header directives (the shared `noetl-directives` semantics): a listener may let allowlisted headers — for
 * Pub/Sub, message attributes — steer a verified delivery: another playbook or execution pool (only to a
 * value its `allowed` list names; `priority` maps values to pools), an idempotency key, a content type, a
 * schema hint, and W3C trace context. Applied only after verification: an unverified caller never steers.
 * A spec NoETL sends that does not parse is ignored as a whole (nothing steers), as in the reference.
 */
import {
  type IngressAppliedDirective,
  IngressDirectiveSpec,
  type IngressTrace,
} from '../../contract/ingress.ts';
import { isRawJson } from '../../lib/losslessJson.ts';

/** The values a delivery's directive channel holds (headers, or Pub/Sub attributes), by lowercased name. */
export type DirectiveChannel = ReadonlyMap<string, unknown>;

export interface DispatchPlan {
  playbook?: string;
  executionPool?: string;
  idempotencyKey?: string;
  contentType?: string;
  schemaHint?: string;
  trace?: IngressTrace;
  applied: IngressAppliedDirective[];
}

/** The spec a listener declares; `undefined` with `error` when it does not parse (then nothing applies). */
export function parseDirectiveSpec(raw: unknown): { spec?: IngressDirectiveSpec; error?: string } {
  if (raw === undefined || raw === null) return {};
  const parsed = IngressDirectiveSpec.safeParse(raw);
  return parsed.success
    ? { spec: parsed.data }
    : { error: parsed.error.issues.map((issue) => issue.message).join('; ') };
}

/** The last value of a channel entry, as text (a repeated header's last one wins). */
function lastValue(raw: unknown): string | undefined {
  if (typeof raw === 'string') return raw;
  if (Array.isArray(raw)) {
    for (let i = raw.length - 1; i >= 0; i--) if (typeof raw[i] === 'string') return raw[i] as string;
    return undefined;
  }
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (isRawJson(raw)) return raw.rawJSON;
  return undefined;
}

export function resolveDirectives(
  spec: IngressDirectiveSpec | undefined,
  channel: DirectiveChannel,
): DispatchPlan {
  const plan: DispatchPlan = { applied: [] };
  if (!spec) return plan;
  const channelValue = (header: string) => lastValue(channel.get(header));
  const apply = (header: string, controls: string, value: string) =>
    plan.applied.push({ header, controls, effective_value: value });
  for (const rule of spec.directives) {
    const value = channelValue(rule.header);
    if (value === undefined) continue;
    switch (rule.controls) {
      case 'dispatch.playbook':
        if (rule.allowed?.includes(value)) {
          plan.playbook = value;
          apply(rule.header, rule.controls, value);
        }
        break;
      case 'dispatch.execution_pool':
        if (rule.allowed?.includes(value)) {
          plan.executionPool = value;
          apply(rule.header, rule.controls, value);
        }
        break;
      case 'priority': {
        const pool = rule.map && Object.hasOwn(rule.map, value) ? rule.map[value] : undefined;
        if (pool !== undefined) {
          plan.executionPool ??= pool;
          apply(rule.header, rule.controls, pool);
        }
        break;
      }
      case 'idempotency_key':
        plan.idempotencyKey = value;
        apply(rule.header, rule.controls, value);
        break;
      case 'content_type':
        plan.contentType = value;
        apply(rule.header, rule.controls, value);
        break;
      case 'schema_hint':
        plan.schemaHint = value;
        apply(rule.header, rule.controls, value);
        break;
    }
  }
  // An explicit pool directive wins over a priority mapping, whichever was declared first.
  for (const rule of spec.directives) {
    if (rule.controls !== 'dispatch.execution_pool') continue;
    const value = channelValue(rule.header);
    if (value !== undefined && rule.allowed?.includes(value)) plan.executionPool = value;
  }
  if (spec.trace.propagate === 'w3c') {
    const trace = w3cTrace(channelValue, spec.trace.baggage_allowlist);
    if (trace) plan.trace = trace;
  }
  return plan;
}

const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/i;

function w3cTrace(
  channelValue: (header: string) => string | undefined,
  baggageAllowlist: readonly string[],
): IngressTrace | undefined {
  const trace: IngressTrace = {};
  const traceparent = channelValue('traceparent');
  if (traceparent !== undefined && TRACEPARENT.test(traceparent)) trace.traceparent = traceparent;
  const tracestate = channelValue('tracestate');
  if (tracestate !== undefined) trace.tracestate = tracestate;
  const baggage = channelValue('baggage');
  if (baggage !== undefined && baggageAllowlist.length > 0) {
    const kept: [string, string][] = [];
    for (const item of baggage.split(',')) {
      const separator = item.indexOf('=');
      if (separator < 0) continue;
      const key = item.slice(0, separator).trim();
      if (baggageAllowlist.includes(key))
        kept.push([
          key,
          item
            .slice(separator + 1)
            .split(';')[0]!
            .trim(),
        ]);
    }
    if (kept.length > 0) trace.baggage = Object.fromEntries(kept.sort(([a], [b]) => (a < b ? -1 : 1)));
  }
  return Object.keys(trace).length > 0 ? trace : undefined;
}
