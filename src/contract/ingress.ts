/**
 * @module contract/ingress
 * Push ingress (`POST /ingress/{listener}`, contract §12.7): what NoETL's internal API says about a listener,
 * the answers the route gives (202 accepted; rejections in the reference's `{"status": "rejected", "reason"}`
 * shape, which is also an ErrorBody), and what the gateway sends NoETL for a verified delivery.
 */
import { z } from 'zod';
import { FlexibleId, JsonValue } from './common.ts';
import { ErrorBody } from './errors.ts';
import { NoetlExecuteRequest } from './noetl.ts';

const optionalText = z.string().nullish();

/** `verify` of a listener's config: how a delivery proves where it comes from. */
export const IngressVerifyConfig = z.object({
  /** `hmac_sha256`, `bearer` or `pubsub_oidc`; anything else is refused (403 `unsupported`). */
  type: z.string(),
  /** Signature header (`hmac_sha256`, default `x-signature`) or token header (`bearer`, default `authorization`). */
  header: optionalText,
  /** The HMAC key or the expected bearer token (NoETL resolves it from its wallet). */
  secret: optionalText,
  /** `pubsub_oidc`: the token's expected `aud`. */
  audience: optionalText,
  /** `pubsub_oidc`: the token's expected `email` (the push subscription's service account). */
  service_account: optionalText,
});
export type IngressVerifyConfig = z.infer<typeof IngressVerifyConfig>;

/** Where a verified delivery goes: the playbook, what its workload is made of, the execution pool. */
export const IngressDispatchConfig = z.object({
  playbook: z.string().min(1),
  /** `message.json` (default: the data's fields at the top level), `message.body`, `message.attributes`. */
  payload_from: z
    .string()
    .nullish()
    .transform((value) => value ?? 'message.json'),
  execution_pool: optionalText,
});

/** `GET {NOETL_BASE_URL}/api/internal/ingress/{listener}` → 200 (404: no such listener). */
export const IngressListenerConfig = z.object({
  listener: z.string(),
  catalog_path: z.string(),
  /** `webhook` (default) or `pubsub` (the body is a Pub/Sub push envelope to unwrap). */
  source: z
    .string()
    .nullish()
    .transform((value) => value ?? 'webhook'),
  /** The subscription's registration: the parent execution of every delivery's execution. */
  subscription_id: FlexibleId,
  verify: IngressVerifyConfig,
  dispatch: IngressDispatchConfig,
  /** The header directive allowlist (IngressDirectiveSpec), applied only after verification. */
  directives: JsonValue.optional(),
});
export type IngressListenerConfig = z.infer<typeof IngressListenerConfig>;

/** What a directive header may control. */
export const IngressDirectiveControl = z.enum([
  'dispatch.playbook',
  'dispatch.execution_pool',
  'priority',
  'idempotency_key',
  'content_type',
  'schema_hint',
]);
export type IngressDirectiveControl = z.infer<typeof IngressDirectiveControl>;

const DirectiveRule = z
  .object({
    header: z.string().transform((name) => name.toLowerCase()),
    controls: IngressDirectiveControl,
    allowed: z.array(z.string()).nullish(),
    map: z.record(z.string(), z.string()).nullish(),
  })
  .superRefine((rule, ctx) => {
    // A routing directive must constrain its targets: an unlisted value never routes anywhere.
    if (
      (rule.controls === 'dispatch.playbook' || rule.controls === 'dispatch.execution_pool') &&
      !rule.allowed?.length
    )
      ctx.addIssue({ code: 'custom', message: `${rule.header} controls ${rule.controls} without 'allowed'` });
    if (rule.controls === 'priority' && Object.keys(rule.map ?? {}).length === 0)
      ctx.addIssue({ code: 'custom', message: `${rule.header} controls priority without 'map'` });
  });

/** The listener's `directives` (the subscription's `headers:` block): which headers may steer a delivery. */
export const IngressDirectiveSpec = z.object({
  normalize: z.boolean().optional(),
  directives: z.array(DirectiveRule).default([]),
  trace: z
    .object({
      propagate: z.enum(['none', 'w3c']).default('none'),
      baggage_allowlist: z.array(z.string()).default([]),
    })
    .default({ propagate: 'none', baggage_allowlist: [] }),
  passthrough: z.string().optional(),
});
export type IngressDirectiveSpec = z.infer<typeof IngressDirectiveSpec>;

/** W3C trace context taken from a delivery whose listener propagates it. */
export const IngressTrace = z.object({
  traceparent: z.string().optional(),
  tracestate: z.string().optional(),
  baggage: z.record(z.string(), z.string()).optional(),
});
export type IngressTrace = z.infer<typeof IngressTrace>;

/** `POST {NOETL_BASE_URL}/api/execute` for a verified delivery: one execution per delivery. */
export const IngressExecuteRequest = NoetlExecuteRequest.extend({
  execution_pool: z.string().optional(),
  trace: IngressTrace.optional(),
  /** The subscription id as a JSON integer (when it is one). */
  parent_execution_id: JsonValue.optional(),
});
export type IngressExecuteRequest = z.infer<typeof IngressExecuteRequest>;

/** One directive that took effect, as the audit event lists it. */
export const IngressAppliedDirective = z.object({
  header: z.string(),
  controls: z.string(),
  effective_value: z.string(),
});
export type IngressAppliedDirective = z.infer<typeof IngressAppliedDirective>;

/** `POST {NOETL_BASE_URL}/api/events` after a delivery whose directives took effect (best effort). */
export const IngressAuditEvent = z.object({
  context: z.object({
    applied: z.array(IngressAppliedDirective),
    message_id: z.string(),
    route_override: z.object({ playbook: z.string().nullable(), pool: z.string().nullable() }),
    trace: IngressTrace.nullable(),
  }),
  event_type: z.literal('subscription.message.directives_applied'),
  execution_id: z.string(),
  meta: z.object({ emitter: z.literal('gateway_ingress') }),
  status: z.literal('APPLIED'),
  step: z.literal('ingress'),
  worker_id: z.literal('gateway'),
});
export type IngressAuditEvent = z.infer<typeof IngressAuditEvent>;

export const IngressListenerParams = z.object({
  listener: z
    .string()
    .meta({ description: 'The listener (the trailing segment of the subscription’s `gateway_path`)' }),
});

/** 202: the delivery is verified and its execution started. */
export const IngressAccepted = z
  .object({ status: z.literal('accepted'), execution_id: z.string() })
  .meta({ id: 'IngressAccepted', example: { status: 'accepted', execution_id: '635758340626186455' } });
export type IngressAccepted = z.infer<typeof IngressAccepted>;

/** Every reason a delivery is refused, with the status it is answered with (the reference's). */
export const INGRESS_REJECTION_STATUS = {
  missing_signature: 401,
  bad_signature: 401,
  missing_token: 401,
  bad_token: 401,
  oidc_malformed: 401,
  oidc_unknown_kid: 401,
  oidc_expired: 401,
  oidc_bad_signature: 401,
  oidc_invalid: 401,
  oidc_bad_key: 403,
  oidc_wrong_audience: 403,
  oidc_wrong_issuer: 403,
  oidc_wrong_sa: 403,
  oidc_unverified_email: 403,
  misconfigured: 403,
  unsupported: 403,
  unknown_listener: 404,
  config_error: 502,
  jwks_error: 502,
  dispatch_error: 502,
} as const;
export type IngressRejectionReason = keyof typeof INGRESS_REJECTION_STATUS;
export const IngressRejectionReason = z
  .enum(Object.keys(INGRESS_REJECTION_STATUS) as [IngressRejectionReason, ...IngressRejectionReason[]])
  .meta({ id: 'IngressRejectionReason', description: 'Why the delivery was refused (a metric label too)' });

/**
 * A refused delivery: the reference gateway's body (`status`, `reason`, and `detail` for the 404/502 ones)
 * with the gateway's ErrorBody fields, so both kinds of client read it.
 */
export const IngressRejection = ErrorBody.extend({
  status: z.literal('rejected'),
  reason: IngressRejectionReason,
  detail: z.string().optional(),
}).meta({
  id: 'IngressRejection',
  example: {
    error: 'HMAC signature mismatch',
    code: 'UNAUTHORIZED',
    status: 'rejected',
    reason: 'bad_signature',
  },
});
export type IngressRejection = z.infer<typeof IngressRejection>;
