/**
 * @module contract/examples
 * The longer examples of the route table (answers of the system routes), kept apart so the table stays
 * readable. Each is what a gateway with default settings in front of a reachable NoETL answers, shortened
 * where a list is long; test/unit/routeExamples.test.ts parses every example with its route's schema.
 */
import type { GatewayIndex, ReadyResponse, RuntimeContract } from './system.ts';

export const EXAMPLE_INDEX: GatewayIndex = {
  name: 'NoETL Gateway',
  version: '3.13.0',
  links: { docs: '/docs', openapi: '/openapi.json', health: '/health', ready: '/ready', events: '/events' },
};

export const EXAMPLE_READY: ReadyResponse = {
  ready: true,
  backends: { store: 'nats', lifecycle: 'nats', bus: 'nats' },
  checks: {
    nats: { ok: true, detail: 'connected' },
    noetl: { ok: true, detail: 'HTTP 200' },
  },
};

export const EXAMPLE_NOT_READY: ReadyResponse = {
  ready: false,
  reason: 'noetl (NOETL_BASE_URL): unreachable (connection refused)',
  backends: { store: 'nats', lifecycle: 'nats', bus: 'nats' },
  checks: {
    nats: { ok: true, detail: 'connected' },
    noetl: { ok: false, detail: 'unreachable (connection refused)' },
  },
};

export const EXAMPLE_RUNTIME_CONTRACT: RuntimeContract = {
  agent_contract: {
    discovery: '/noetl/catalog/agents/list',
    invocation: '/noetl/execute',
    model: 'agent-as-playbook',
    state: '/noetl/executions/{id}',
  },
  backends: { store: 'nats', lifecycle: 'nats', bus: 'nats' },
  cli_operation_mapping: {
    catalog_list: '/noetl/catalog/list',
    exec: '/noetl/execute',
    status: '/noetl/executions/{id}/status',
    cancel: '/noetl/executions/{id}/cancel',
  },
  contract_version: '2026-04-26',
  execution_contract: {
    start: { method: 'POST', path: '/noetl/execute' },
    status: { method: 'GET', path: '/noetl/executions/{id}/status' },
    cancel: { method: 'POST', path: '/noetl/executions/{id}/cancel' },
  },
  gateway_version: '3.13.0',
  proxy_contract: {
    incoming_prefix: '/noetl/',
    upstream_prefix: '/api/',
    authentication: { required: true, middleware: 'auth_middleware' },
    added_request_headers: ['x-user-id', 'x-user-email', 'x-user-roles', 'x-request-id'],
    redirects: 'passed to the client, never followed',
  },
  routes: {
    public: ['POST /api/auth/login', 'POST /api/auth/validate', 'GET /health', 'GET /ready'],
    protected: ['POST /api/playbooks/execute', 'GET /events', 'ANY /noetl/{*path}'],
  },
  summary:
    'Gateway authenticates clients and forwards canonical NoETL API calls. Agent and MCP activity is executed by NoETL playbooks/workers, not by Gateway.',
};

/** The first lines of `/metrics`. */
export const EXAMPLE_METRICS = [
  '# HELP process_cpu_seconds_total Total user and system CPU time spent in seconds.',
  '# TYPE process_cpu_seconds_total counter',
  'process_cpu_seconds_total 0.190224',
  '',
].join('\n');

/** The head of `/docs`. */
export const EXAMPLE_DOCS_PAGE =
  '<!doctype html>\n<html lang="en">\n  <head>\n    <meta charset="utf-8" />\n    <title>NoETL Gateway API</title>\n  </head>\n  <body>\n    <div id="app"></div>\n    <script src="/docs/scalar.js"></script>\n  </body>\n</html>\n';
