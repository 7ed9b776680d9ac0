/**
 * @module contract/system
 * Public informational routes.
 */
import { z } from 'zod';

/** Which backend does what on this gateway (chosen by the settings; the same on every replica). */
export const Backends = z
  .object({
    store: z.enum(['embedded', 'nats', 'ehdb']).meta({
      description:
        'Where sessions and pending requests live: `ehdb` (`NOETL_KV_ADDR`, as v3.x), `nats` (`NATS_URL` K/V, as v2.11.x), `embedded` (memory)',
    }),
    lifecycle: z.enum(['none', 'nats', 'ehdb_feed']).meta({
      description:
        'Where NoETL lifecycle events (`playbook/state`) come from: `ehdb_feed` (`NOETL_EVENT_FEED_ADDR`), `nats` (subjects under `NATS_UPDATES_SUBJECT_PREFIX`), `none`',
    }),
    bus: z.enum(['embedded', 'nats']).meta({
      description:
        'What carries frames, SSE client ownership and auth callbacks between replicas: `nats` (any number of replicas) or `embedded` (one replica)',
    }),
  })
  .meta({ id: 'Backends' });
export type Backends = z.infer<typeof Backends>;

export const RuntimeContract = z
  .object({
    agent_contract: z.record(z.string(), z.string()),
    auth0: z
      .object({
        audience: z.string().optional(),
        client_id: z.string().optional(),
        domain: z.string(),
        redirect_uri: z.string().optional(),
      })
      .optional(),
    backends: Backends,
    cli_operation_mapping: z.record(z.string(), z.string()),
    contract_version: z.string(),
    execution_contract: z.record(z.string(), z.record(z.string(), z.string())),
    gateway_version: z.string(),
    proxy_contract: z.record(z.string(), z.unknown()),
    routes: z.object({ protected: z.array(z.string()), public: z.array(z.string()) }),
    summary: z.string(),
  })
  .meta({ id: 'RuntimeContract' });
export type RuntimeContract = z.infer<typeof RuntimeContract>;

const DependencyCheck = z.object({ ok: z.boolean(), detail: z.string() });

/** `GET /ready`: whether this replica can serve, dependency by dependency. */
export const ReadyResponse = z
  .object({
    ready: z.boolean(),
    reason: z.string().optional().meta({
      description:
        'When not ready: what is down and why, in one line, naming the setting that points at it (e.g. `noetl (NOETL_BASE_URL): unreachable (connection refused)`); addresses are in the log only',
    }),
    backends: Backends,
    checks: z.object({
      nats: DependencyCheck,
      noetl: DependencyCheck,
      kv: DependencyCheck.optional().meta({
        description:
          'EHDB KV (`NOETL_KV_ADDR`), when sessions and requests live there: connected and answering',
      }),
      event_feed: DependencyCheck.optional().meta({
        description:
          'EHDB event feed (`NOETL_EVENT_FEED_ADDR`): connected, and the last id handled. Informational: a feed outage delays lifecycle frames (they resume from the cursor) and does not make the gateway unready',
      }),
    }),
  })
  .meta({ id: 'ReadyResponse' });
export type ReadyResponse = z.infer<typeof ReadyResponse>;

/** `GET /`: what this is and where to go next. */
export const GatewayIndex = z
  .object({
    name: z.string(),
    version: z.string(),
    links: z.object({
      docs: z.string(),
      openapi: z.string(),
      health: z.string(),
      ready: z.string(),
      events: z.string(),
    }),
  })
  .meta({ id: 'GatewayIndex' });
export type GatewayIndex = z.infer<typeof GatewayIndex>;
