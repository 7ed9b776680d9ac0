/**
 * Issue 13, item 5: `/metrics` exports the process and Node.js series under their standard names (what the
 * usual Node.js dashboards and `process_*` alerts query) and the gateway's own under `noetl_gateway_*`, the
 * reference gateway's names. Nothing is doubled (`noetl_gateway_process_process_cpu_seconds_total` was).
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Stack, startStack } from '../support/stack.ts';

let stack: Stack;
let families: Map<string, string>;
let text: string;
beforeAll(async () => {
  stack = await startStack();
  const response = await fetch(`${stack.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  text = await response.text();
  // `# TYPE <name> <type>` once per metric family.
  families = new Map(
    [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((match) => [match[1] ?? '', match[2] ?? '']),
  );
});
afterAll(() => stack.stop());

test('process and Node.js series under their standard names, no prefix', () => {
  for (const [name, type] of [
    ['process_cpu_user_seconds_total', 'counter'],
    ['process_cpu_system_seconds_total', 'counter'],
    ['process_cpu_seconds_total', 'counter'],
    ['process_start_time_seconds', 'gauge'],
    ['process_resident_memory_bytes', 'gauge'],
    ['process_open_fds', 'gauge'],
    ['nodejs_eventloop_lag_seconds', 'gauge'],
    ['nodejs_eventloop_lag_p99_seconds', 'gauge'],
    ['nodejs_active_handles_total', 'gauge'],
    ['nodejs_heap_size_used_bytes', 'gauge'],
    ['nodejs_gc_duration_seconds', 'histogram'],
    ['nodejs_version_info', 'gauge'],
  ] as const) {
    expect(families.get(name), name).toBe(type);
  }
  expect(text).toMatch(/^process_cpu_seconds_total [0-9.e-]+$/m);
  expect(text).toContain(`nodejs_version_info{version="${process.version}"`);
});

test("the gateway's own series keep the reference's noetl_gateway_* names", () => {
  for (const name of [
    'noetl_gateway_build_info',
    'noetl_gateway_auth_bypass_enabled',
    'noetl_gateway_login_total',
    'noetl_gateway_session_check_total',
    'noetl_gateway_authz_total',
    'noetl_gateway_auth_cancel_failed_total',
    'noetl_gateway_session_cache_failed_total',
    'noetl_gateway_callback_undelivered_total',
    'noetl_gateway_http_request_seconds',
  ]) {
    expect(families.has(name), name).toBe(true);
  }
});

test('every family is standard, the gateway’s own, or the reference’s ingress counters; none doubled', () => {
  expect(families.size).toBeGreaterThan(30);
  for (const name of families.keys()) {
    expect(name).toMatch(/^(process_|nodejs_|noetl_gateway_|noetl_ingress_)/);
    expect(name).not.toMatch(/^noetl_gateway_(process|nodejs)_|process_process_/);
  }
});
