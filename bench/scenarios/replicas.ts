/**
 * @module bench/scenarios/replicas
 * The execute → callback → frame scenario across two gateway replicas on a three-node NATS JetStream
 * cluster (every stream and bucket with three replicas, as `GATEWAY_NATS_REPLICAS=auto` makes them there).
 * The streams are held by replica A; executions and callbacks go to A and B in turn, as behind a load
 * balancer, so half the callbacks land on the replica that did not save their request and every frame
 * published on B crosses NATS to A. Baseline: one process with the embedded stores, in the same run.
 * Target (issue 15): callback→frame p99 ≤ 10 ms at 1,000 callbacks/s, nothing lost; also reported: the
 * executions per second the two replicas sustain (closed loop, 32 in flight per replica), and a lower
 * callback rate, for when this machine cannot keep up at the target.
 *
 * `BENCH_REPLICAS_ROUNDS` (default 2) and `BENCH_REPLICAS_SECONDS` (default 2) shorten or lengthen it;
 * `BENCH_REPLICAS_LOW_RATE` (default 500) sets the lower rate.
 */
import { NatsCluster } from '../../test/support/natsCluster.ts';
import { type Child, startGatewayProcess } from '../lib/proc.ts';
import { fmtInt, fmtMs, fmtRatio, median, printTable, progress } from '../lib/report.ts';
import {
  CALLBACK_COLUMNS,
  callbackRow,
  e2eGatewayEnv,
  type RoundResult,
  runCallbackRound,
  STREAMS,
  startDouble,
  type Target,
} from './callback.ts';

const SINGLE = 'one process (embedded)';
const TWO = '2 replicas, 3-node NATS cluster (R3)';
const TARGET_RATE = 1000;
const LOW_RATE = Number(process.env.BENCH_REPLICAS_LOW_RATE ?? 500);
const TARGET_P99_MS = 10;
const ROUNDS = Number(process.env.BENCH_REPLICAS_ROUNDS ?? 2);
const SECONDS = Number(process.env.BENCH_REPLICAS_SECONDS ?? 2);

export async function replicasScenario(): Promise<void> {
  const children: Child[] = [];
  let cluster: NatsCluster | undefined;
  try {
    const double = await startDouble();
    children.push(double);
    progress('replicas: starting a three-node NATS cluster');
    cluster = await NatsCluster.start(3);
    const natsEnv = { ...e2eGatewayEnv(double.url), NATS_URL: cluster.url };
    const single = await startGatewayProcess('gateway (embedded)', e2eGatewayEnv(double.url));
    children.push(single);
    const a = await startGatewayProcess('replica A', natsEnv);
    children.push(a);
    const b = await startGatewayProcess('replica B', natsEnv);
    children.push(b);
    const placement = await cluster.placement('GATEWAY_FRAMES');
    const targets: Target[] = [
      {
        label: SINGLE,
        mode: 'gateway',
        streamUrl: single.url,
        executeUrl: single.url,
        callbackUrl: single.url,
        pids: [single.pid],
        metricsUrl: single.url,
      },
      {
        label: TWO,
        mode: 'gateway',
        streamUrl: a.url,
        executeUrl: `${a.url},${b.url}`,
        callbackUrl: `${b.url},${a.url}`,
        // The replicas and the three nats-servers: what the cluster costs, not only the gateway's share.
        pids: [a.pid, b.pid, ...cluster.nodes.map((node) => node.pid!)],
        pidGroups: { replicas: [a.pid, b.pid], nats: cluster.nodes.map((node) => node.pid!) },
        metricsUrl: a.url,
      },
    ];
    const byLabel = new Map(targets.map((target) => [target.label, target]));
    const runs: { label: string; rate: number }[] = [
      { label: SINGLE, rate: TARGET_RATE },
      { label: TWO, rate: TARGET_RATE },
      { label: TWO, rate: LOW_RATE },
    ];
    for (const target of targets) {
      progress(`replicas: warm-up ${target.label}`);
      await runCallbackRound(target, 0, 1, LOW_RATE);
    }
    const results: (RoundResult & { rate: number })[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 === 1 ? runs : [...runs].reverse();
      for (const run of order) {
        progress(`replicas: ${run.label} at ${run.rate}/s, round ${round}`);
        const result = await runCallbackRound(byLabel.get(run.label)!, round, SECONDS, run.rate);
        results.push({ ...result, target: `${run.label} @ ${fmtInt(run.rate)}/s`, rate: run.rate });
      }
    }
    results.sort((x, y) => y.rate - x.rate || x.target.localeCompare(y.target) || x.round - y.round);
    const of = (label: string, rate: number) =>
      results.filter((r) => r.target === `${label} @ ${fmtInt(rate)}/s`);
    const p99Of = (label: string, rate: number) => median(of(label, rate).map((r) => r.frameP99));
    const lost = (label: string, rate: number) =>
      of(label, rate).reduce((sum, r) => sum + (r.expected - r.frames), 0);
    const kept = (label: string, rate: number) =>
      of(label, rate).every((r) => r.callbackRate >= rate * 0.95 && r.lagged === 0);
    const twoP99 = p99Of(TWO, TARGET_RATE);
    const lowP99 = p99Of(TWO, LOW_RATE);
    const met = twoP99 <= TARGET_P99_MS && lost(TWO, TARGET_RATE) === 0 && kept(TWO, TARGET_RATE);
    const executes = median(of(TWO, TARGET_RATE).map((r) => r.executeRps));
    const split = (rate: number, group: string) =>
      median(of(TWO, rate).map((r) => r.cpuUsPerCallbackBy[group] ?? 0)).toFixed(0);
    printTable({
      title: `execute → callback → frame: 2 replicas on a 3-node NATS cluster vs one process (${STREAMS} streams, ${SECONDS} s of callbacks per round)`,
      columns: CALLBACK_COLUMNS,
      rows: [
        ...results.map(callbackRow),
        [
          `${TWO} ÷ one process @ ${fmtInt(TARGET_RATE)}/s`,
          'median',
          fmtRatio(executes / median(of(SINGLE, TARGET_RATE).map((r) => r.executeRps))),
          '',
          '',
          '',
          '',
          fmtRatio(
            median(of(TWO, TARGET_RATE).map((r) => r.frameP50)) /
              median(of(SINGLE, TARGET_RATE).map((r) => r.frameP50)),
          ),
          fmtRatio(twoP99 / p99Of(SINGLE, TARGET_RATE)),
          '',
          '',
          fmtRatio(
            median(of(TWO, TARGET_RATE).map((r) => r.cpuUsPerCallback)) /
              median(of(SINGLE, TARGET_RATE).map((r) => r.cpuUsPerCallback)),
          ),
          '',
        ],
      ],
      notes: [
        `target: callback→frame p99 ≤ ${TARGET_P99_MS} ms at ${fmtInt(TARGET_RATE)} callbacks/s across 2 replicas, nothing lost — ${met ? 'met' : 'MISSED'} (${fmtMs(twoP99)} ms, median of ${ROUNDS} rounds; frames lost: ${lost(TWO, TARGET_RATE)}; rate kept: ${kept(TWO, TARGET_RATE) ? 'yes' : 'no'}); one process in the same run ${fmtMs(p99Of(SINGLE, TARGET_RATE))} ms; at ${fmtInt(LOW_RATE)}/s: ${fmtMs(lowP99)} ms, lost ${lost(TWO, LOW_RATE)}`,
        `executions/s sustained by the 2 replicas (closed loop, 32 in flight on each, before the callbacks): ${fmtInt(executes)} (median); one process: ${fmtInt(median(of(SINGLE, TARGET_RATE).map((r) => r.executeRps)))}`,
        `NATS: 3 nodes, every stream and bucket R3 (frame stream leader ${placement.leader}, replicas ${placement.replicas.join(', ')}); streams on A; executes on A and B in turn; callbacks on B and A in turn (half land on the replica that did not save their request); "server hist." is A's`,
        '"callbacks/s": the rate callbacks were sent at (open loop, at most 2,000 in flight); where the replicas cannot keep up, callback→frame is mostly queueing',
        `CPU µs/callback and RSS of the 2-replica rows are A + B + the three nats-servers (one process: just itself); of it, the replicas and NATS: ${[TARGET_RATE, LOW_RATE].map((rate) => `${split(rate, 'replicas')} + ${split(rate, 'nats')} µs at ${fmtInt(rate)}/s`).join(', ')} (medians)`,
        'one session per stream; the NoETL double, three nats-servers, both replicas, the idle embedded gateway and the load process share the 2 cores (shared with other work: noisy)',
      ],
    });
  } finally {
    for (const child of children.reverse()) await child.stop();
    await cluster?.close();
  }
}
