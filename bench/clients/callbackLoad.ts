/**
 * @module bench/clients/callbackLoad
 * Load generator of the execute → callback → `playbook/result` scenario, in its own process:
 *   1. open STREAMS `/events` streams, each with its own client id (and, on the gateway, its own session);
 *   2. execute RATE × SECS playbooks spread over the streams' client ids (closed loop, 32 in flight);
 *   3. post their async callbacks open-loop at RATE per second (as workers would), each carrying a
 *      sequence number, and time each from the moment its request is written to the moment its
 *      `playbook/result` frame is read on the stream — both clocks in this process.
 * Argument: one JSON object (see `Config`). Prints `RESULT {json}`.
 */
import { Pool } from 'undici';
import { summarize } from '../lib/report.ts';
import { openMany, openSse, type SseStream } from '../lib/sseStream.ts';

interface Config {
  /** `gateway` logs in and authenticates; `bare` does not. */
  mode: 'gateway' | 'bare';
  /** Where streams are opened (and the login done). */
  streamUrl: string;
  /** Where playbooks are executed (several, comma-separated: in turn, as behind a load balancer). */
  executeUrl: string;
  /** Where callbacks are posted (several, comma-separated: in turn). */
  callbackUrl: string;
  streams: number;
  rate: number;
  seconds: number;
  tag: string;
}

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const total = Math.round(config.rate * config.seconds);

async function json<T>(pool: Pool, path: string, body: unknown, headers: Record<string, string> = {}) {
  const started = performance.now();
  const response = await pool.request({
    path,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    body: text ? (JSON.parse(text) as T) : (undefined as T),
    ms: performance.now() - started,
  };
}

const streamPool = new Pool(config.streamUrl, { connections: 4 });
/** One session per stream (the gateway caps executions waiting per session, and counts them per execute). */
const tokens: string[] = [];
if (config.mode === 'gateway') {
  for (let i = 0; i < config.streams; i++) {
    const login = await json<{ session_token: string }>(streamPool, '/api/auth/login', {
      auth0_token: `valid-bench-${config.tag}-${i}`,
    });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
    tokens.push(login.body.session_token);
  }
}
const authOf = (i: number): Record<string, string> =>
  tokens.length ? { authorization: `Bearer ${tokens[i % tokens.length]}` } : {};

// ---- streams ----
const frameAt = new Float64Array(total).fill(Number.NaN);
let frames = 0;
const clientIds = Array.from({ length: config.streams }, (_, i) => `bench-${config.tag}-${i}`);
const streams: SseStream[] = await openMany(config.streams, 16, (i) => {
  const query = `client_id=${clientIds[i]}${tokens.length ? `&session_token=${tokens[i]}` : ''}`;
  return openSse(`${config.streamUrl}/events?${query}`, (event) => {
    if (event.event !== 'playbook/result') return;
    const seq = (JSON.parse(event.data) as { params: { data: { seq: number } } }).params.data.seq;
    if (Number.isNaN(frameAt[seq])) {
      frameAt[seq] = event.at;
      frames++;
    }
  });
});

// ---- executes (closed loop) ----
const executePools = config.executeUrl
  .split(',')
  .map((url) => new Pool(url, { connections: 32, pipelining: 1 }));
const requestIds: string[] = new Array(total);
const executionIds: string[] = new Array(total);
const executeMs: number[] = [];
let executeErrors = 0;
let nextExecute = 0;
const executeStart = performance.now();
await Promise.all(
  Array.from({ length: 32 }, async () => {
    while (nextExecute < total) {
      const i = nextExecute++;
      const answer = await json<{ request_id: string; execution_id: string }>(
        executePools[i % executePools.length]!,
        '/api/playbooks/execute',
        { path: 'bench/e2e', workload: { n: i }, client_id: clientIds[i % clientIds.length] },
        authOf(i),
      );
      if (answer.status !== 200) {
        executeErrors++;
        if (executeErrors === 1) console.error(`execute: ${answer.status} ${JSON.stringify(answer.body)}`);
        continue;
      }
      requestIds[i] = answer.body.request_id;
      executionIds[i] = answer.body.execution_id;
      executeMs.push(answer.ms);
    }
  }),
);
const executeSecs = (performance.now() - executeStart) / 1000;

// ---- callbacks (open loop at RATE) ----
const callbackPools = config.callbackUrl
  .split(',')
  .map((url) => new Pool(url, { connections: 64, pipelining: 1 }));
const sentAt = new Float64Array(total).fill(Number.NaN);
const callbackMs: number[] = [];
let callbackErrors = 0;
let sent = 0;
let inFlight = 0;
let lagged = 0;
const MAX_IN_FLIGHT = 2000;
// The scenario reads the servers' CPU counters here and at RESULT: CPU per callback, executes excluded.
console.log('PHASE callbacks');
const callbackStart = performance.now();
await new Promise<void>((done) => {
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - callbackStart) / 1000) * config.rate));
    while (sent < due) {
      if (inFlight >= MAX_IN_FLIGHT) {
        lagged++;
        break;
      }
      const i = sent++;
      if (requestIds[i] === undefined) continue;
      inFlight++;
      sentAt[i] = performance.now();
      json(callbackPools[i % callbackPools.length]!, '/api/internal/callback/async', {
        request_id: requestIds[i],
        execution_id: executionIds[i],
        status: 'COMPLETED',
        data: { seq: i },
      }).then(
        (answer) => {
          inFlight--;
          if (answer.status === 200) callbackMs.push(answer.ms);
          else callbackErrors++;
        },
        () => {
          inFlight--;
          callbackErrors++;
        },
      );
    }
    if (sent >= total) return done();
    setTimeout(tick, 1);
  };
  tick();
});
const sendSecs = (performance.now() - callbackStart) / 1000;
const expected = requestIds.filter((id) => id !== undefined).length;
const waitUntil = performance.now() + 5000;
while ((frames < expected || inFlight > 0) && performance.now() < waitUntil)
  await new Promise((resolve) => setTimeout(resolve, 20));

const toFrame: number[] = [];
for (let i = 0; i < total; i++) {
  const at = frameAt[i]!;
  const start = sentAt[i]!;
  if (!Number.isNaN(at) && !Number.isNaN(start)) toFrame.push(at - start);
}
const frame = summarize(toFrame);
const callback = summarize(callbackMs);
const execute = summarize(executeMs);
console.log(
  `RESULT ${JSON.stringify({
    executeRps: executeMs.length / executeSecs,
    executeP50: execute.p50,
    executeP99: execute.p99,
    executeErrors,
    callbackRate: sent / sendSecs,
    callbacksSent: sent,
    callbackP50: callback.p50,
    callbackP99: callback.p99,
    callbackErrors,
    lagged,
    expected,
    frames,
    frameP50: frame.p50,
    frameP99: frame.p99,
    frameMax: frame.max,
  })}`,
);
for (const stream of streams) stream.close();
await Promise.all([streamPool, ...executePools, ...callbackPools].map((pool) => pool.close()));
process.exit(0);
