/**
 * @module bench/clients/executeLoad
 * Load generator of the execute-throughput scenario, in its own process: COUNT executions with a
 * `client_id`, all on ONE session (the per-session pending limit is checked on every one), closed loop
 * with CONCURRENCY in flight. Timestamps every completion, so the scenario can compare the time of the
 * first and the last quarter (linear work per execute → equal quarters).
 * `gateway` mode logs in first (sync login at the NoETL double); `bare` sends the same body unauthenticated;
 * `reference` (the Rust reference v2.11.x, which has no REST execute) logs in at the double (`loginUrl`)
 * and sends the GraphQL `executePlaybook` mutation with the same path, workload and client id.
 * Argument: JSON `{mode, url, loginUrl?, count, concurrency, tag}`. Prints `READY {}` once logged in, starts on a
 * line on stdin (so the caller reads CPU counters right before), then prints `RESULT {json}`.
 */
import { createInterface } from 'node:readline';
import { Pool } from 'undici';
import { summarize } from '../lib/report.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as {
  mode: 'gateway' | 'bare' | 'reference';
  url: string;
  loginUrl?: string;
  count: number;
  concurrency: number;
  tag: string;
};

const pool = new Pool(config.url, { connections: config.concurrency, pipelining: 1 });

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await pool.request({
    path,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  return { status: response.statusCode, text };
}

const headers: Record<string, string> = {};
if (config.mode === 'gateway') {
  const login = await post('/api/auth/login', { auth0_token: `valid-bench-exec-${config.tag}` });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${login.text}`);
  headers.authorization = `Bearer ${(JSON.parse(login.text) as { session_token: string }).session_token}`;
}
if (config.mode === 'reference') {
  const login = await fetch(`${config.loginUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth0_token: `valid-bench-exec-${config.tag}` }),
  });
  const text = await login.text();
  if (login.status !== 200) throw new Error(`login at the double: ${login.status} ${text}`);
  headers.authorization = `Bearer ${(JSON.parse(text) as { data: { session_token: string } }).data.session_token}`;
}
const clientId = `bench-exec-${config.tag}`;
const MUTATION =
  'mutation($name: String!, $variables: JSON, $clientId: String) { executePlaybook(name: $name, variables: $variables, clientId: $clientId) { executionId requestId } }';

/** One execute; ok when the answer carries a request id. */
async function executeOnce(i: number): Promise<{ ok: boolean; detail: string }> {
  const workload = { n: i };
  const answer =
    config.mode === 'reference'
      ? await post(
          '/graphql',
          { query: MUTATION, variables: { name: 'bench/execute', variables: workload, clientId } },
          headers,
        )
      : await post(
          '/api/playbooks/execute',
          { path: 'bench/execute', workload, client_id: clientId },
          headers,
        );
  const ok =
    answer.status === 200 &&
    (config.mode === 'reference'
      ? /"requestId":"[^"]+"/.test(answer.text)
      : answer.text.includes('"request_id":"'));
  return { ok, detail: `${answer.status} ${answer.text.slice(0, 200)}` };
}

console.log('READY {}');
await new Promise<void>((go) => createInterface({ input: process.stdin }).once('line', () => go()));

const doneAt: number[] = [];
const latencies: number[] = [];
let errors = 0;
let firstError = '';
let next = 0;
const start = performance.now();
await Promise.all(
  Array.from({ length: config.concurrency }, async () => {
    while (next < config.count) {
      const i = next++;
      const sent = performance.now();
      const answer = await executeOnce(i).catch((error: Error) => ({ ok: false, detail: error.message }));
      const now = performance.now();
      doneAt.push(now - start);
      if (answer.ok) latencies.push(now - sent);
      else {
        errors++;
        firstError ||= answer.detail;
      }
    }
  }),
);
const totalMs = performance.now() - start;
const quarter = Math.floor(config.count / 4);
const quartersMs = [0, 1, 2, 3].map(
  (q) => doneAt[(q + 1) * quarter - 1]! - (q === 0 ? 0 : doneAt[q * quarter - 1]!),
);
const latency = summarize(latencies);
console.log(
  `RESULT ${JSON.stringify({ totalMs, quartersMs, quarter, ok: latencies.length, errors, firstError, p50: latency.p50, p99: latency.p99 })}`,
);
await pool.close();
process.exit(0);
