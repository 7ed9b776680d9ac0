/**
 * @module bench/scenarios/executes
 * Execute throughput: 20,000 `POST /api/playbooks/execute` with a `client_id`, all on one session, against
 * the NoETL double (its own process), 32 in flight (bench/clients/executeLoad.ts). Every execute checks the
 * session's pending limit; the work per execute must not grow with the executions already pending.
 * Baseline in the same run: the bare node:http handler of bench/servers/bareSse.ts (forward to NoETL, remember
 * request id → client id in a Map). Reports total time, executes/s, the time of the first and the last
 * 5,000, and the gateway's CPU µs per execute. Targets: linear (last quarter ≤ 1.5× the first) and
 * ≥ 5,000 executes/s. Reference: 3.4 s for 20,000.
 */
import { describeLaunch } from '../lib/gateway.ts';
import { type Child, cpuSeconds, rssBytes, spawnTs, startGatewayProcess } from '../lib/proc.ts';
import { REFERENCE, referenceBinary, startReference, TARGETS } from '../lib/reference.ts';
import { fmtInt, fmtMiB, fmtMs, fmtRatio, median, printTable, progress } from '../lib/report.ts';
import { e2eGatewayEnv, startDouble } from './callback.ts';

const COUNT = Number(process.env.BENCH_EXECUTES ?? 20_000);
const WARMUP = 2_000;
const CONCURRENCY = 32;
const ROUNDS = 3;
/** Linear: the last quarter may take at most this much longer than the first. */
const LINEAR_RATIO = 1.5;

interface Target {
  label: string;
  mode: 'gateway' | 'bare' | 'reference';
  url: string;
  pid: number;
}

interface LoadResult {
  totalMs: number;
  quartersMs: number[];
  quarter: number;
  ok: number;
  errors: number;
  firstError: string;
  p50: number;
  p99: number;
}

interface Run extends LoadResult {
  target: string;
  round: number;
  cpuUs: number;
  rss: number;
}

async function runLoad(target: Target, count: number, tag: string, loginUrl: string): Promise<Run> {
  const client = await spawnTs(
    'execute load',
    'bench/clients/executeLoad.ts',
    [JSON.stringify({ mode: target.mode, url: target.url, loginUrl, count, concurrency: CONCURRENCY, tag })],
    { readyTimeoutMs: 30_000 },
  );
  const cpuBefore = cpuSeconds(target.pid);
  client.send('go');
  const result = JSON.parse(await client.line('RESULT', 20 * 60_000)) as LoadResult;
  const cpu = cpuSeconds(target.pid) - cpuBefore;
  await client.exited;
  if (result.firstError)
    progress(`executes: ${target.label}: ${result.errors} errors, first: ${result.firstError}`);
  return {
    ...result,
    target: target.label,
    round: 0,
    cpuUs: (cpu / Math.max(1, count)) * 1e6,
    rss: rssBytes(target.pid),
  };
}

export async function executesScenario(): Promise<void> {
  const double = await startDouble();
  const children: Child[] = [double];
  try {
    const gateway = await startGatewayProcess('gateway', e2eGatewayEnv(double.url));
    children.push(gateway);
    const bare = await spawnTs('bare node:http', 'bench/servers/bareSse.ts', [], {
      env: { NOETL_BASE_URL: double.url },
    });
    children.push(bare);
    const targets: Target[] = [
      {
        label: 'bare node:http (baseline)',
        mode: 'bare',
        url: `http://127.0.0.1:${bare.ready.port}`,
        pid: bare.pid,
      },
      { label: 'gateway', mode: 'gateway', url: gateway.url, pid: gateway.pid },
    ];
    if (referenceBinary()) {
      const reference = await startReference('reference', double.url);
      children.push(reference);
      targets.push({ label: 'Rust reference', mode: 'reference', url: reference.url, pid: reference.pid });
    }
    const stamp = Date.now().toString(36);
    for (const target of targets) {
      progress(`executes: warm-up ${target.label} (${fmtInt(WARMUP)})`);
      await runLoad(target, WARMUP, `${stamp}-warm-${target.mode}`, double.url);
    }
    const runs: Run[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 === 1 ? targets : [...targets].reverse();
      for (const target of order) {
        progress(`executes: ${target.label}, ${fmtInt(COUNT)} on one session, round ${round}`);
        // A fresh session (and client id) per round: each round starts from no pending executions.
        runs.push({
          ...(await runLoad(target, COUNT, `${stamp}-${round}-${target.mode}`, double.url)),
          round,
        });
      }
    }

    const of = (label: string) => runs.filter((run) => run.target === label);
    const rate = (run: Run) => run.ok / (run.totalMs / 1000);
    const growth = (run: Run) => run.quartersMs[3]! / run.quartersMs[0]!;
    const baseline = targets[0]!.label;
    const rows = runs.map((run) => [
      run.target,
      String(run.round),
      `${fmtInt(run.ok)}/${fmtInt(COUNT)}`,
      (run.totalMs / 1000).toFixed(2),
      fmtInt(rate(run)),
      (run.quartersMs[0]! / 1000).toFixed(2),
      (run.quartersMs[3]! / 1000).toFixed(2),
      fmtRatio(growth(run)),
      `${fmtMs(run.p50)} / ${fmtMs(run.p99)}`,
      run.cpuUs.toFixed(0),
      fmtMiB(run.rss),
      fmtRatio(rate(run) / median(of(baseline).map(rate))),
    ]);
    const gatewayRate = median(of('gateway').map(rate));
    const gatewaySecs = median(of('gateway').map((run) => run.totalMs / 1000));
    const gatewayGrowth = median(of('gateway').map(growth));
    for (const target of targets) {
      const mine = of(target.label);
      rows.push([
        target.label,
        'median',
        '',
        median(mine.map((run) => run.totalMs / 1000)).toFixed(2),
        fmtInt(median(mine.map(rate))),
        '',
        '',
        fmtRatio(median(mine.map(growth))),
        '',
        median(mine.map((run) => run.cpuUs)).toFixed(0),
        '',
        fmtRatio(median(mine.map(rate)) / median(of(baseline).map(rate))),
      ]);
    }
    rows.push([
      'Rust reference (issue)',
      '—',
      fmtInt(REFERENCE.executes.count),
      REFERENCE.executes.secs.toFixed(2),
      fmtInt(REFERENCE.executes.count / REFERENCE.executes.secs),
      '',
      '',
      '',
      '',
      '',
      '',
      '',
    ]);
    const linear = gatewayGrowth <= LINEAR_RATIO;
    const fast = gatewayRate >= TARGETS.executesPerSec;
    printTable({
      title: `execute throughput: ${fmtInt(COUNT)} executions with a client_id on one session (${CONCURRENCY} in flight, NoETL double)`,
      columns: [
        'server',
        'round',
        'executes ok',
        'total s',
        'executes/s',
        `first ${fmtInt(COUNT / 4)} s`,
        `last ${fmtInt(COUNT / 4)} s`,
        'last ÷ first',
        'p50 / p99 ms',
        'CPU µs/execute',
        'RSS MiB',
        'vs baseline',
      ],
      rows,
      notes: [
        `target: linear (last quarter ≤ ${LINEAR_RATIO}× the first): ${linear ? 'met' : 'MISSED'} — ${fmtRatio(gatewayGrowth)}; ≥ ${fmtInt(TARGETS.executesPerSec)} executes/s: ${fast ? 'met' : 'MISSED'} — ${fmtInt(gatewayRate)}/s, ${gatewaySecs.toFixed(2)} s for ${fmtInt(COUNT)} (medians of ${ROUNDS} rounds); reference ${REFERENCE.executes.secs} s`,
        describeLaunch(),
        ...(referenceBinary()
          ? [
              `Rust reference: ${referenceBinary()} (its own nats-server; GraphQL executePlaybook, session validated at the double; it has no per-session pending limit)`,
            ]
          : []),
        `each round uses a fresh session and client id; a ${fmtInt(WARMUP)}-execute warm-up per server first; GATEWAY_MAX_PENDING_PER_SESSION=1,000,000 so the limit is checked but never reached; the double and the load client run on the same cores`,
      ],
    });
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}
