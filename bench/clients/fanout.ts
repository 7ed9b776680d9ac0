/**
 * @module bench/clients/fanout
 * Lifecycle fan-out load, in its own process: logs in, opens CLIENTS `/events` streams, subscribes each
 * to one execution (`POST /api/executions/subscribe`), then publishes EVENTS NATS lifecycle events
 * (`noetl.events.t.o.<execution_id>.0`, `{"event_type":"step.exit", "step_name":"bench-<k>"}`) one
 * after the other and times each `playbook/state` frame from the publish.
 * Argument: JSON `{url, natsUrl, clients, events, executionId}`. Prints `RESULT {json}`.
 */
import { connect } from '@nats-io/transport-node';
import { Pool } from 'undici';
import { summarize } from '../lib/report.ts';
import { openMany, openSse } from '../lib/sseStream.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  natsUrl: string;
  clients: number;
  events: number;
  executionId: string;
};
const WAIT_MS = 5000;

const pool = new Pool(config.url, { connections: 16 });
async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await pool.request({
    path,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  if (response.statusCode !== 200) throw new Error(`${path}: ${response.statusCode} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

const login = await post('/api/auth/login', { auth0_token: `valid-bench-fanout-${Date.now()}` });
const token = String(login.session_token);
const auth = { authorization: `Bearer ${token}` };

const publishedAt = new Float64Array(config.events).fill(Number.NaN);
const arrivals: number[][] = Array.from({ length: config.events }, () => []);
const clientIds = Array.from({ length: config.clients }, (_, i) => `fan-${Date.now() % 100000}-${i}`);
const streams = await openMany(config.clients, 50, (i) =>
  openSse(`${config.url}/events?client_id=${clientIds[i]}&session_token=${token}`, (event) => {
    if (event.event !== 'playbook/state') return;
    const step = (JSON.parse(event.data) as { params: { step_name?: string } }).params.step_name ?? '';
    const match = /^bench-(\d+)$/.exec(step);
    const k = match ? Number(match[1]) : -1;
    if (k >= 0 && k < config.events) arrivals[k]!.push(event.at - publishedAt[k]!);
  }),
);

const subscribeStart = performance.now();
let nextSubscribe = 0;
await Promise.all(
  Array.from({ length: 16 }, async () => {
    while (nextSubscribe < config.clients) {
      const i = nextSubscribe++;
      await post(
        '/api/executions/subscribe',
        { execution_id: config.executionId, client_id: clientIds[i] },
        auth,
      );
    }
  }),
);
const subscribeSecs = (performance.now() - subscribeStart) / 1000;

const nc = await connect({ servers: config.natsUrl });
const subject = `noetl.events.t.o.${config.executionId}.0`;
for (let k = 0; k < config.events; k++) {
  publishedAt[k] = performance.now();
  // The execution id as a JSON number, as NoETL sends it (a snowflake beyond 2^53: written as text).
  nc.publish(
    subject,
    `{"event_type":"step.exit","execution_id":${config.executionId},"step_name":"bench-${k}"}`,
  );
  await nc.flush();
  const deadline = performance.now() + WAIT_MS;
  while (arrivals[k]!.length < config.clients && performance.now() < deadline)
    await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, 200));
}
await nc.close();

const perEvent = arrivals.map((times) => {
  const summary = summarize(times);
  return { delivered: times.length, p50: summary.p50, p99: summary.p99, max: summary.max };
});
const all = summarize(arrivals.flat());
console.log(
  `RESULT ${JSON.stringify({ subscribeSecs, perEvent, all: { delivered: all.count, p50: all.p50, p99: all.p99, max: all.max } })}`,
);
for (const stream of streams) stream.close();
await pool.close();
process.exit(0);
