/**
 * @module api/runtimeContract
 * The document of `GET /api/runtime/contract`: what the proxy forwards and where, for the CLI and agents.
 */
import { type Backends, type RuntimeContract, routeLine, routeList } from '../contract/index.ts';

export interface RuntimeContractOptions {
  version: string;
  auth0: {
    domain?: string | undefined;
    clientId?: string | undefined;
    redirectUri?: string | undefined;
    audience?: string | undefined;
  };
  /** Which backends this gateway uses (the store, the lifecycle source, the bus between replicas). */
  backends: Backends;
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
    backends: options.backends,
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
      // What src/http/proxy/ does; test/integration/proxy.test.ts checks each rule.
      added_request_headers: [
        'x-user-id',
        'x-user-email',
        'x-user-roles',
        'x-request-id',
        'x-forwarded-for',
        'x-forwarded-proto',
        'x-forwarded-host',
      ],
      body: 'streamed both ways, never buffered (except events[/batch] when sharded); request body over GATEWAY_PROXY_MAX_BODY_BYTES → 413',
      errors: {
        '400': "path with '.'/'..' segments or an encoded '/' or '\\' (nothing is sent upstream)",
        '401': 'no valid session',
        '413': 'request body over GATEWAY_PROXY_MAX_BODY_BYTES',
        '502': 'NoETL unreachable or the connection failed',
        '504': 'no response headers within GATEWAY_PROXY_TIMEOUT_SECS',
      },
      forwarded_request_headers: [
        'every end-to-end header (Content-Type, Accept, Accept-Encoding, If-*, x-* custom headers, …)',
      ],
      forwarded_response_headers: [
        'every end-to-end header (Content-Type, Content-Length, Content-Encoding, Cache-Control, ETag, Location, Set-Cookie, x-*, …)',
      ],
      incoming_prefix: '/noetl/',
      redirects: 'passed to the client, never followed',
      removed_request_headers: [
        'hop-by-hop (Connection and the headers it names, Keep-Alive, TE, Trailer, Transfer-Encoding, Upgrade, Proxy-*)',
        'Authorization',
        'Cookie',
        'x-session-token',
        'x-user-* and x-noetl-* sent by the client',
      ],
      removed_response_headers: ['hop-by-hop', 'access-control-* (the gateway applies its own CORS)'],
      sharding: {
        config: 'noetl.shards / NOETL_SHARDS',
        preview: 'GET /sharding/preview?execution_id=&shard_count=',
        routed_by_body: ['events', 'events/batch'],
        routed_by_path: ['executions/{id}', 'vars/{id}'],
        shard_index: 'xxHash64(seed 0, execution_id as 8 little-endian bytes) mod shard count',
      },
      supported_methods: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'],
      upstream_prefix: '/api/',
    },
    // The route table itself: what a caller needs a session for, and what it does not.
    routes: {
      protected: routeList.filter((route) => route.caller === 'session').map(routeLine),
      public: routeList.filter((route) => route.caller !== 'session').map(routeLine),
    },
    summary:
      'Gateway authenticates clients and forwards canonical NoETL API calls. Agent and MCP activity is executed by NoETL playbooks/workers, not by Gateway.',
  };
}
