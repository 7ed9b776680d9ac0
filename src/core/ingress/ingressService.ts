/**
 * @module core/ingress/ingressService
 * Push ingress, verify-and-forward (contract §12.7): a delivery to a listener is verified against the
 * listener's config (HMAC, bearer, or a Pub/Sub OIDC token); only then are its directives read, and one
 * execution is started on NoETL — `POST /api/execute {path, workload, resource_kind: "playbook",
 * execution_pool?, trace?, parent_execution_id?}` — and, when directives took effect, an audit event is
 * posted (best effort, not awaited). Every refusal is an IngressRejection with the reference's reason.
 */
import type { NoetlApi } from '../../adapters/ports.ts';
import type {
  IngressAuditEvent,
  IngressExecuteRequest,
  IngressListenerConfig,
} from '../../contract/ingress.ts';
import { NoetlExecuteResponse } from '../../contract/noetl.ts';
import { deliveryEnvelope, deliveryWorkload } from './deliveryEnvelope.ts';
import type { HeaderMap } from './deliveryHeaders.ts';
import { type DispatchPlan, parseDirectiveSpec, resolveDirectives } from './directives.ts';
import { IngressRejection, rejectWithDetail } from './ingressRejection.ts';
import type { ListenerConfigs } from './listenerConfigs.ts';
import type { PubsubOidc } from './pubsubOidc.ts';
import { verifyBearer, verifyHmac } from './signatures.ts';

export interface IngressServiceOptions {
  configs: ListenerConfigs;
  oidc: PubsubOidc;
  noetl: NoetlApi;
  /** Deadline of the execute call and of the audit event. */
  timeoutMs: number;
  /** Deepest JSON nesting of a body taken as JSON (deeper: passed on as text). */
  maxJsonDepth: number;
  /** Throws for the gateway's own auth playbooks: no delivery may start one. */
  refuseAuthPlaybook: (path: string) => void;
  onDispatchFailed?: (listener: string, problem: string, error?: unknown) => void;
  onDirectivesIgnored?: (listener: string, problem: string) => void;
  onAuditFailed?: (listener: string, error: unknown) => void;
}

export interface Delivery {
  headers: HeaderMap;
  body: Buffer;
}

export interface Dispatched {
  executionId: string;
  playbook: string;
  executionPool: string | undefined;
  messageId: string;
  /** How many directives took effect. */
  applied: number;
}

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;

/** The subscription id as a JSON integer, exactly as written, when it is a 64-bit integer. */
function parentExecutionId(subscriptionId: string): unknown {
  if (!/^[+-]?\d{1,20}$/.test(subscriptionId)) return undefined;
  const value = BigInt(subscriptionId);
  if (value < I64_MIN || value > I64_MAX) return undefined;
  return (JSON as JSON & { rawJSON(text: string): unknown }).rawJSON(value.toString());
}

export class IngressService {
  readonly #options: IngressServiceOptions;

  constructor(options: IngressServiceOptions) {
    this.#options = options;
  }

  /** The listener's config (404 `unknown_listener`, 502 `config_error`). */
  listener(name: string): Promise<IngressListenerConfig> {
    return this.#options.configs.get(name);
  }

  /** Verifies a delivery to a listener and starts its execution. */
  async deliver(config: IngressListenerConfig, delivery: Delivery): Promise<Dispatched> {
    await this.#verify(config, delivery);
    // ---- verified: from here on the delivery may steer (RFC §7.5) ----
    const { envelope, channel, messageId } = deliveryEnvelope(
      config,
      delivery.headers,
      delivery.body,
      this.#options.maxJsonDepth,
    );
    const { spec, error } = parseDirectiveSpec(config.directives);
    if (error) this.#options.onDirectivesIgnored?.(config.listener, error);
    const plan = resolveDirectives(spec, channel);
    const playbook = plan.playbook ?? config.dispatch.playbook;
    try {
      this.#options.refuseAuthPlaybook(playbook);
    } catch (refused) {
      throw new IngressRejection('misconfigured', 'The listener dispatches to an auth playbook', undefined, {
        cause: refused,
      });
    }
    const executionPool = plan.executionPool ?? config.dispatch.execution_pool ?? undefined;
    const parent = parentExecutionId(config.subscription_id);
    const request: IngressExecuteRequest = {
      ...(executionPool !== undefined ? { execution_pool: executionPool } : {}),
      ...(parent !== undefined ? { parent_execution_id: parent } : {}),
      path: playbook,
      resource_kind: 'playbook',
      ...(plan.trace ? { trace: plan.trace } : {}),
      workload: deliveryWorkload(config, envelope, plan),
    };
    const executionId = await this.#execute(config.listener, request);
    if (plan.applied.length > 0 || plan.trace)
      void this.#audit(config.listener, executionId, messageId, plan);
    return { executionId, playbook, executionPool, messageId, applied: plan.applied.length };
  }

  async #verify(config: IngressListenerConfig, delivery: Delivery): Promise<void> {
    const { verify } = config;
    switch (verify.type) {
      case 'hmac_sha256':
        return verifyHmac(verify, delivery.headers, delivery.body);
      case 'bearer':
        return verifyBearer(verify, delivery.headers);
      case 'pubsub_oidc':
        return this.#options.oidc.verify(verify, delivery.headers);
      default:
        throw new IngressRejection('unsupported', `Unsupported verify.type '${verify.type}'`);
    }
  }

  async #execute(listener: string, request: IngressExecuteRequest): Promise<string> {
    const failed = (problem: string, error?: unknown) => {
      this.#options.onDispatchFailed?.(listener, problem, error);
      return rejectWithDetail('dispatch_error', 'verified but could not dispatch execution', error);
    };
    let response: Awaited<ReturnType<NoetlApi['execute']>>;
    try {
      response = await this.#options.noetl.execute(request, AbortSignal.timeout(this.#options.timeoutMs));
    } catch (error) {
      throw failed('NoETL did not answer the execute call', error);
    }
    if (response.status < 200 || response.status >= 300)
      throw failed(`NoETL answered the execute call with ${response.status}`);
    const started = NoetlExecuteResponse.safeParse(response.body);
    if (!started.success) throw failed('NoETL’s execute answer has no execution_id');
    return started.data.execution_id;
  }

  async #audit(listener: string, executionId: string, messageId: string, plan: DispatchPlan): Promise<void> {
    const event: IngressAuditEvent = {
      context: {
        applied: plan.applied,
        message_id: messageId,
        route_override: { playbook: plan.playbook ?? null, pool: plan.executionPool ?? null },
        trace: plan.trace ?? null,
      },
      event_type: 'subscription.message.directives_applied',
      execution_id: executionId,
      meta: { emitter: 'gateway_ingress' },
      status: 'APPLIED',
      step: 'ingress',
      worker_id: 'gateway',
    };
    try {
      await this.#options.noetl.post('/api/events', event, AbortSignal.timeout(this.#options.timeoutMs));
    } catch (error) {
      this.#options.onAuditFailed?.(listener, error);
    }
  }
}
