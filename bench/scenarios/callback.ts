/**
 * @module bench/scenarios/callback
 * execute → callback → `playbook/result` frame, end to end, at a fixed callback rate. Baseline: a bare
 * node:http handler + raw SSE write doing the same hops (bench/servers/bareSse.ts). Both sit in front of
 * the same NoETL double process; the load (bench/clients/callbackLoad.ts) is its own process.
 * Target: callback→frame p99 ≤ 2 ms at 2,000 callbacks/s (reference: 1.7 / 1.6 / 3.3 ms over three rounds).
 * Also reports the server's CPU µs per callback (/proc, over the callback phase only).
 */
import { describeLaunch } from '../lib/gateway.ts';
import { bucketQuantile, scrapeHistogram } from '../lib/metrics.ts';
import {
  type Child,
  cpuSeconds,
  type GatewayProcess,
  rssBytes,
  spawnTs,
  startGatewayProcess,
} from '../lib/proc.ts';
import { REFERENCE, TARGETS } from '../lib/reference.ts';
import { fmtInt, fmtMiB, fmtMs, fmtRatio, median, printTable, progress } from '../lib/report.ts';

export const RATE = 2000;
export const SECONDS = 3;
export const STREAMS = 200;
export const ROUNDS = 3;

export interface LoadReport {
  executeRps: number;
  executeP50: number;
  executeP99: number;
  executeErrors: number;
  callbackRate: number;
  callbacksSent: number;
  callbackP50: number;
  callbackP99: number;
  callbackErrors: number;
  lagged: number;
  expected: number;
  frames: number;
  frameP50: number;
  frameP99: number;
  frameMax: number;
}

export interface RoundResult extends LoadReport {
  target: string;
  round: number;
  rss: number;
  cpu: number;
  /** Server CPU (all `pids`) over the callback phase ÷ callbacks sent, µs. */
  cpuUsPerCallback: number;
  /** The same per group of `Target.pidGroups`. */
  cpuUsPerCallbackBy: Record<string, number>;
  serverP99: number;
}

export interface Target {
  label: string;
  mode: 'gateway' | 'bare';
  streamUrl: string;
  executeUrl: string;
  callbackUrl: string;
  /** Processes whose RSS and CPU are reported (the server side of this target). */
  pids: number[];
  /** Named subsets of `pids` whose CPU per callback is also reported on its own. */
  pidGroups?: Record<string, number[]>;
  /** Gateways whose callback→frame histogram is read (the ones holding the streams). */
  metricsUrl?: string;
}

const CALLBACK_TO_FRAME = 'noetl_gateway_callback_to_frame_seconds';

export async function runCallbackRound(
  target: Target,
  round: number,
  seconds = SECONDS,
  rate = RATE,
): Promise<RoundResult> {
  const before = target.metricsUrl ? await scrapeHistogram(target.metricsUrl, CALLBACK_TO_FRAME) : undefined;
  const cpuOf = (pids: number[]) => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
  const cpuNow = () => cpuOf(target.pids);
  const groups = Object.entries(target.pidGroups ?? {});
  const cpuBefore = cpuNow();
  const started = performance.now();
  const client = await spawnTs(
    'callback load',
    'bench/clients/callbackLoad.ts',
    [
      JSON.stringify({
        mode: target.mode,
        streamUrl: target.streamUrl,
        executeUrl: target.executeUrl,
        callbackUrl: target.callbackUrl,
        streams: STREAMS,
        rate,
        seconds,
        tag: `${target.mode}${round}${Math.floor(Math.random() * 1e6)}`,
      }),
    ],
    { waitReady: false },
  );
  await client.line('PHASE callbacks', 120_000);
  const cpuCallbacks = cpuNow();
  const groupsBefore = groups.map(([, pids]) => cpuOf(pids));
  const report = JSON.parse(await client.line('RESULT', 120_000)) as LoadReport;
  const cpuEnd = cpuNow();
  const cpuUsPerCallbackBy = Object.fromEntries(
    groups.map(([name, pids], i) => [
      name,
      ((cpuOf(pids) - groupsBefore[i]!) / Math.max(1, report.callbacksSent)) * 1e6,
    ]),
  );
  await client.exited;
  const elapsed = (performance.now() - started) / 1000;
  const cpu = (cpuNow() - cpuBefore) / elapsed;
  const cpuUsPerCallback = ((cpuEnd - cpuCallbacks) / Math.max(1, report.callbacksSent)) * 1e6;
  let serverP99 = Number.NaN;
  if (target.metricsUrl && before) {
    const after = await scrapeHistogram(target.metricsUrl, CALLBACK_TO_FRAME);
    serverP99 = bucketQuantile(before, after, 0.99).bound * 1000;
  }
  return {
    ...report,
    target: target.label,
    round,
    rss: target.pids.reduce((sum, pid) => sum + rssBytes(pid), 0),
    cpu,
    cpuUsPerCallback,
    cpuUsPerCallbackBy,
    serverP99,
  };
}

export const CALLBACK_COLUMNS = [
  'target',
  'round',
  'executes/s',
  'execute p50/p99 ms',
  'callbacks/s',
  'callback HTTP p50/p99 ms',
  'frames',
  'callback→frame p50 ms',
  'callback→frame p99 ms',
  'max ms',
  'server hist. p99 ≤ ms',
  'CPU µs/callback',
  'RSS MiB',
];

export function callbackRow(result: RoundResult): string[] {
  return [
    result.target,
    String(result.round),
    fmtInt(result.executeRps),
    `${fmtMs(result.executeP50)} / ${fmtMs(result.executeP99)}`,
    fmtInt(result.callbackRate),
    `${fmtMs(result.callbackP50)} / ${fmtMs(result.callbackP99)}`,
    `${result.frames}/${result.expected}`,
    fmtMs(result.frameP50),
    fmtMs(result.frameP99),
    fmtMs(result.frameMax),
    Number.isFinite(result.serverP99) ? fmtMs(result.serverP99) : '—',
    result.cpuUsPerCallback.toFixed(0),
    fmtMiB(result.rss),
  ];
}

export async function startDouble(): Promise<Child & { url: string }> {
  const double = await spawnTs('noetl double', 'bench/servers/double.ts');
  return Object.assign(double, { url: String(double.ready.url) });
}

/** The gateway env for these scenarios: sync login at the double, session validation by endpoint. */
export function e2eGatewayEnv(noetlUrl: string): Record<string, string> {
  return {
    NOETL_BASE_URL: noetlUrl,
    NOETL_AUTH_SYNC: 'true',
    GATEWAY_SESSION_VALIDATE_VIA_PLAYBOOK: 'false',
  };
}

export async function callbackScenario(): Promise<void> {
  const double = await startDouble();
  const children: Child[] = [double];
  try {
    const gateway: GatewayProcess = await startGatewayProcess('gateway', e2eGatewayEnv(double.url));
    children.push(gateway);
    const bare = await spawnTs('bare node:http', 'bench/servers/bareSse.ts', [], {
      env: { NOETL_BASE_URL: double.url },
    });
    children.push(bare);
    const bareUrl = `http://127.0.0.1:${bare.ready.port}`;
    const targets: Target[] = [
      {
        label: 'bare node:http + raw SSE',
        mode: 'bare',
        streamUrl: bareUrl,
        executeUrl: bareUrl,
        callbackUrl: bareUrl,
        pids: [bare.pid],
      },
      {
        label: 'gateway',
        mode: 'gateway',
        streamUrl: gateway.url,
        executeUrl: gateway.url,
        callbackUrl: gateway.url,
        pids: [gateway.pid],
        metricsUrl: gateway.url,
      },
    ];
    for (const target of targets) {
      progress(`callback: warm-up ${target.label}`);
      await runCallbackRound(target, 0, 2);
    }
    const results: RoundResult[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 === 1 ? targets : [...targets].reverse();
      for (const target of order) {
        progress(`callback: ${target.label}, round ${round}`);
        results.push(await runCallbackRound(target, round));
      }
    }
    const of = (label: string) => results.filter((result) => result.target === label);
    const gatewayP99 = median(of('gateway').map((result) => result.frameP99));
    const bareP99 = median(of('bare node:http + raw SSE').map((result) => result.frameP99));
    const delivered = of('gateway').every((result) => result.frames === result.expected);
    const met = gatewayP99 <= TARGETS.callbackP99Ms && delivered;
    const gatewayCpu = median(of('gateway').map((r) => r.cpuUsPerCallback));
    const bareCpu = median(of('bare node:http + raw SSE').map((r) => r.cpuUsPerCallback));
    printTable({
      title: `execute → callback → playbook/result frame (${fmtInt(RATE)} callbacks/s for ${SECONDS} s, ${STREAMS} streams)`,
      columns: CALLBACK_COLUMNS,
      rows: [
        ...results.map(callbackRow),
        [
          'gateway ÷ baseline',
          'median',
          fmtRatio(
            median(of('gateway').map((r) => r.executeRps)) /
              median(of('bare node:http + raw SSE').map((r) => r.executeRps)),
          ),
          '',
          '',
          '',
          '',
          fmtRatio(
            median(of('gateway').map((r) => r.frameP50)) /
              median(of('bare node:http + raw SSE').map((r) => r.frameP50)),
          ),
          fmtRatio(gatewayP99 / bareP99),
          '',
          '',
          fmtRatio(gatewayCpu / bareCpu),
          fmtRatio(
            median(of('gateway').map((r) => r.rss)) /
              median(of('bare node:http + raw SSE').map((r) => r.rss)),
          ),
        ],
      ],
      notes: [
        `target: callback→frame p99 ≤ ${TARGETS.callbackP99Ms} ms at ${fmtInt(RATE)} callbacks/s — ${met ? 'met' : 'MISSED'} (gateway p99 ${fmtMs(gatewayP99)} ms, median of ${ROUNDS} rounds; baseline ${fmtMs(bareP99)} ms; all frames delivered: ${delivered ? 'yes' : 'no'}); Rust reference p99 ${REFERENCE.callbackP99Ms.join(' / ')} ms (issue, not measured here)`,
        `CPU per callback (callback phase only, server process): gateway ${gatewayCpu.toFixed(0)} µs, baseline ${bareCpu.toFixed(0)} µs (medians)`,
        describeLaunch(),
        'callback→frame: from writing the callback request to reading its frame on the stream, both in the load process; "server hist." is the gateway\'s own noetl_gateway_callback_to_frame_seconds (routing → write), bucket upper bound',
        'executes are closed-loop (32 in flight) before the callbacks; the gateway also sends a playbook/state frame per callback',
      ],
    });
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}
