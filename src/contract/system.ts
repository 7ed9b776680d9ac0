/**
 * @module contract/system
 * Public informational routes.
 */
import { z } from 'zod';

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
    checks: z.object({ nats: DependencyCheck, noetl: DependencyCheck }),
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
