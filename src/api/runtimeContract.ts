/**
 * @module api/runtimeContract
 * The document of `GET /api/runtime/contract`: what the proxy forwards and where, for the CLI and agents.
 */
import type { RuntimeContract } from '../contract/index.ts';

export interface RuntimeContractOptions {
  version: string;
  auth0: {
    domain?: string | undefined;
    clientId?: string | undefined;
    redirectUri?: string | undefined;
    audience?: string | undefined;
  };
}

export function runtimeContract(options: RuntimeContractOptions): RuntimeContract {
  const { domain, clientId, redirectUri, audience } = options.auth0;
  return {
    agent_contract: {
      discovery: '/noetl/catalog/agents/list',
      invocation: '/noetl/execute',
      mcp: 'MCP servers are reached by NoETL worker tool execution, so activity is captured in NoETL command/event/execution state.',
      model: 'agent-as-playbook',
      state: '/noetl/executions/{id}',
    },
    ...(domain
      ? {
          auth0: {
            ...(audience ? { audience } : {}),
            ...(clientId ? { client_id: clientId } : {}),
            domain,
            ...(redirectUri ? { redirect_uri: redirectUri } : {}),
          },
        }
      : {}),
    cli_operation_mapping: {
      agent_catalog_list: '/noetl/catalog/agents/list',
      cancel: '/noetl/executions/{id}/cancel',
      catalog_list: '/noetl/catalog/list',
      catalog_register: '/noetl/catalog/register',
      detail: '/noetl/executions/{id}',
      events: '/noetl/executions/{id}/events',
      exec: '/noetl/execute',
      query: '/noetl/postgres/execute',
      status: '/noetl/executions/{id}/status',
    },
    contract_version: '2026-04-26',
    execution_contract: {
      cancel: { method: 'POST', path: '/noetl/executions/{id}/cancel' },
      detail: { method: 'GET', path: '/noetl/executions/{id}' },
      events: { method: 'GET', path: '/noetl/executions/{id}/events' },
      start: {
        body: '{ path|catalog_id, workload, resource_kind: "playbook"|"agent" }',
        method: 'POST',
        path: '/noetl/execute',
      },
      status: { method: 'GET', path: '/noetl/executions/{id}/status' },
    },
    gateway_version: options.version,
    proxy_contract: {
      authentication: {
        accepted_headers: [
          'Authorization: Bearer <session_token>',
          'x-session-token: <session_token>',
          'Cookie: session_token=<session_token>',
        ],
        middleware: 'auth_middleware',
        required: true,
      },
      forwarded_request_headers: ['Content-Type', 'Accept', 'x-* custom headers'],
      forwarded_response_headers: ['Content-Type', 'Content-Length', 'x-* custom headers'],
      incoming_prefix: '/noetl/',
      supported_methods: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
      upstream_prefix: '/api/',
    },
    routes: {
      protected: [
        'ANY /noetl/{*path}',
        'POST /graphql',
        'GET /graphql',
        'POST /api/playbooks/execute',
        'POST /api/playbooks/rerun',
      ],
      public: [
        'GET /health',
        'GET /api/runtime/contract',
        'POST /api/auth/login',
        'POST /api/auth/validate',
        'POST /api/auth/check-access',
        'POST /api/internal/callback',
        'POST /api/internal/callback/async',
        'POST /api/internal/progress',
        'GET /events?session_token=...',
        'GET /openapi.json',
        'GET /docs',
      ],
    },
    summary:
      'Gateway authenticates clients and forwards canonical NoETL API calls. Agent and MCP activity is executed by NoETL playbooks/workers, not by Gateway.',
  };
}
