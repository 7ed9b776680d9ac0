/**
 * @module bench/scenarios/replicas
 * The execute → callback → frame scenario across two gateway replicas on one nats-server: streams are
 * held by replica A; executions and callbacks go to replica B, so every frame crosses NATS (request
 * store, frame log, presence). Baseline: the single-process figure (embedded stores) in the same run;
 * one replica on NATS is measured too, to tell NATS's cost from the cross-replica hop.
 * Target: callback→frame p99 ≤ 10 ms.
 */
import { NatsServer } from '../../test/support/natsServer.ts';
import { type Child, startGatewayProcess } from '../lib/proc.ts';
import { fmtInt, fmtMs, fmtRatio, median, printTable, progress } from '../lib/report.ts';
import {
  CALLBACK_COLUMNS,
  callbackRow,
  e2eGatewayEnv,
  RATE,
  ROUNDS,
  type RoundResult,
  runCallbackRound,
  SECONDS,
  STREAMS,
  startDouble,
  type Target,
} from './callback.ts';

const SINGLE = 'one process (embedded)';
const ONE_NATS = '1 replica on NATS';
const TWO_NATS = '2 replicas on NATS (A streams, B callbacks)';
const NATS_SECONDS = 2;
const LOW_RATE = 250;
const LOW_SECONDS = 4;

export async function replicasScenario(): Promise<void> {
  const children: Child[] = [];
  let nats: NatsServer | undefined;
  try {
    const double = await startDouble();
    children.push(double);
    nats = await NatsServer.start();
    const natsEnv = { ...e2eGatewayEnv(double.url), NATS_URL: nats.url };
    const single = await startGatewayProcess('gateway (embedded)', e2eGatewayEnv(double.url));
    children.push(single);
    const a = await startGatewayProcess('replica A', natsEnv);
    children.push(a);
    const b = await startGatewayProcess('replica B', natsEnv);
    children.push(b);
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
        label: ONE_NATS,
        mode: 'gateway',
        streamUrl: a.url,
        executeUrl: a.url,
        callbackUrl: a.url,
        pids: [a.pid],
        metricsUrl: a.url,
      },
      {
        label: TWO_NATS,
        mode: 'gateway',
        streamUrl: a.url,
        executeUrl: b.url,
        callbackUrl: b.url,
        pids: [a.pid, b.pid],
        metricsUrl: a.url,
      },
    ];
    const byLabel = new Map(targets.map((target) => [target.label, target]));
    // At the target rate: one process and the two replicas. NATS executes run at a few hundred per second
    // here, so their runs are shorter; at LOW_RATE every setup keeps up and the hop itself shows.
    const runs: { label: string; rate: number; seconds: number }[] = [
      { label: SINGLE, rate: RATE, seconds: SECONDS },
      { label: TWO_NATS, rate: RATE, seconds: NATS_SECONDS },
      { label: SINGLE, rate: LOW_RATE, seconds: LOW_SECONDS },
      { label: ONE_NATS, rate: LOW_RATE, seconds: LOW_SECONDS },
      { label: TWO_NATS, rate: LOW_RATE, seconds: LOW_SECONDS },
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
        const result = await runCallbackRound(byLabel.get(run.label)!, round, run.seconds, run.rate);
        results.push({ ...result, target: `${run.label} @ ${fmtInt(run.rate)}/s`, rate: run.rate });
      }
    }
    results.sort(
      (x, y) =>
        y.rate - x.rate ||
        runs.findIndex((r) => x.target.startsWith(r.label)) -
          runs.findIndex((r) => y.target.startsWith(r.label)) ||
        x.round - y.round,
    );
    const of = (label: string, rate: number) =>
      results.filter((r) => r.target === `${label} @ ${fmtInt(rate)}/s`);
    const p99Of = (label: string, rate: number) => median(of(label, rate).map((r) => r.frameP99));
    const ratioRow = (label: string, rate: number) => [
      `${label} ÷ one process @ ${fmtInt(rate)}/s`,
      'median',
      fmtRatio(
        median(of(label, rate).map((r) => r.executeRps)) / median(of(SINGLE, rate).map((r) => r.executeRps)),
      ),
      '',
      fmtRatio(
        median(of(label, rate).map((r) => r.callbackRate)) /
          median(of(SINGLE, rate).map((r) => r.callbackRate)),
      ),
      '',
      '',
      fmtRatio(
        median(of(label, rate).map((r) => r.frameP50)) / median(of(SINGLE, rate).map((r) => r.frameP50)),
      ),
      fmtRatio(p99Of(label, rate) / p99Of(SINGLE, rate)),
      '',
      '',
      '',
    ];
    const twoP99 = p99Of(TWO_NATS, RATE);
    const delivered = of(TWO_NATS, RATE).every((r) => r.frames === r.expected);
    const lowP99 = p99Of(TWO_NATS, LOW_RATE);
    printTable({
      title: `execute → callback → frame across 2 replicas with NATS (${STREAMS} streams)`,
      columns: CALLBACK_COLUMNS,
      rows: [
        ...results.map(callbackRow),
        ratioRow(TWO_NATS, RATE),
        ratioRow(ONE_NATS, LOW_RATE),
        ratioRow(TWO_NATS, LOW_RATE),
      ],
      notes: [
        `target: callback→frame p99 ≤ 10 ms across 2 replicas — ${twoP99 <= 10 && delivered ? 'met' : 'MISSED'} at ${fmtInt(RATE)} callbacks/s offered (${fmtMs(twoP99)} ms, median of rounds; one process ${fmtMs(p99Of(SINGLE, RATE))} ms; all frames delivered: ${delivered ? 'yes' : 'no'}); at ${fmtInt(LOW_RATE)}/s: ${fmtMs(lowP99)} ms (${lowP99 <= 10 ? 'met' : 'MISSED'}), one process ${fmtMs(p99Of(SINGLE, LOW_RATE))} ms`,
        '"callbacks/s": the rate callbacks were sent at (open loop, at most 2,000 in flight); where the gateway cannot keep up, callback→frame is mostly queueing',
        'RSS of the 2-replica rows is A + B; nats-server runs beside them (not counted); "server hist." is replica A\'s (the one writing the frames)',
        'one session per stream; the NoETL double, nats-server, both replicas, the idle embedded gateway and the load process share the 2 cores',
      ],
    });
  } finally {
    for (const child of children.reverse()) await child.stop();
    await nats?.close();
  }
}
