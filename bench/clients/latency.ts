/**
 * @module bench/clients/latency
 * Fixed-rate latency probe, in its own process: RATE requests per second for SECS seconds over a
 * keep-alive pool of CONNECTIONS, each timed (microsecond clock) from its scheduled send time, so a
 * stall is not hidden by the requests it delays (no coordinated omission). autocannon's latencies are
 * whole milliseconds; this one tells 0.3 ms from 0.9 ms.
 * The first WARMUP_SECS (connections opening, JIT) are sent at the same rate but not recorded.
 * Argument: JSON `{url, path, rate, seconds, connections, headers}`. Prints `RESULT {json}`.
 */
import { Pool } from 'undici';
import { summarize } from '../lib/report.ts';

const config = JSON.parse(process.argv[2] ?? '{}') as {
  url: string;
  path: string;
  rate: number;
  seconds: number;
  connections: number;
  headers?: Record<string, string>;
};

const pool = new Pool(config.url, { connections: config.connections, pipelining: 1 });
const WARMUP_SECS = 1;
const warmup = Math.round(config.rate * WARMUP_SECS);
const total = warmup + Math.round(config.rate * config.seconds);
const latencies: number[] = [];
let errors = 0;
let sent = 0;
let done = 0;
const start = performance.now();

await new Promise<void>((finished) => {
  const fire = (scheduled: number, recorded: boolean) => {
    pool
      .request({ path: config.path, method: 'GET', headers: config.headers })
      .then(
        async (response) => {
          await response.body.dump();
          if (!recorded) return;
          if (response.statusCode === 200) latencies.push(performance.now() - scheduled);
          else errors++;
        },
        () => errors++,
      )
      .finally(() => {
        if (++done === total) finished();
      });
  };
  const tick = () => {
    const now = performance.now();
    const due = Math.min(total, Math.floor(((now - start) / 1000) * config.rate));
    while (sent < due) {
      fire(start + (sent / config.rate) * 1000, sent >= warmup);
      sent++;
    }
    if (sent < total) setTimeout(tick, 1);
  };
  tick();
});
const elapsed = (performance.now() - start) / 1000 - WARMUP_SECS;
const summary = summarize(latencies);
console.log(
  `RESULT ${JSON.stringify({ rps: latencies.length / elapsed, p50: summary.p50, p99: summary.p99, max: summary.max, errors })}`,
);
await pool.close();
process.exit(0);
