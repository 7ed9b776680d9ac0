/**
 * @module bench/scenarios/tracing
 * What tracing costs: the same gateway started twice, tracing off (no OTLP endpoint: the default) and on
 * (OTEL_EXPORTER_OTLP_ENDPOINT → bench/servers/otlpSink.ts, default sampler: every request recorded),
 * measured alternately in the same run on
 *   POST /api/auth/validate (warm session): a server span only;
 *   GET /noetl/echo (session): a server span and the proxy's client span, whose traceparent goes upstream;
 * each with and without a caller's `traceparent` (off + traceparent = the relay path: the header is
 * checked and the request runs in an AsyncLocalStorage scope). Reports req/s, the gateway's CPU µs per
 * request (/proc utime + stime over the round ÷ requests answered), and the cold start and idle RSS of
 * both gateways (the SDK is imported only when the endpoint is set). Few short rounds: a cost, not a
 * capacity figure.
 */
import { autocannon } from '../lib/autocannon.ts';
import { describeLaunch } from '../lib/gateway.ts';
import {
  type Child,
  cpuSeconds,
  type GatewayProcess,
  rssBytes,
  spawnTs,
  startGatewayProcess,
} from '../lib/proc.ts';
import { fmtInt, fmtMiB, fmtMs, median, printTable, progress } from '../lib/report.ts';

const CONNECTIONS = 50;
const SECONDS = 4;
const WARMUP_SECONDS = 2;
const ROUNDS = 3;
const TOKEN = 'bench-tracing-session';
/** A caller's context (sampled), the same on every request of a round: what a traced client sends. */
const CALLER = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

interface Load {
  label: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
  headers: Record<string, string>;
}

const LOADS: Load[] = [
  {
    label: 'POST /api/auth/validate',
    method: 'POST',
    path: '/api/auth/validate',
    body: JSON.stringify({ session_token: TOKEN }),
    headers: { 'content-type': 'application/json' },
  },
  {
    label: 'GET /noetl/echo',
    method: 'GET',
    path: '/noetl/echo',
    headers: { authorization: `Bearer ${TOKEN}` },
  },
];

interface Run {
  load: string;
  tracing: 'off' | 'on';
  caller: boolean;
  round: number;
  rps: number;
  p99: number;
  cpuUs: number;
  errors: number;
  spans: number;
}

async function sinkCount(sinkUrl: string): Promise<number> {
  return ((await (await fetch(`${sinkUrl}/count`)).json()) as { spans: number }).spans;
}

export async function tracingScenario(): Promise<void> {
  const children: Child[] = [];
  try {
    const upstream = await spawnTs('upstream', 'bench/servers/upstream.ts');
    children.push(upstream);
    const sink = await spawnTs('otlp sink', 'bench/servers/otlpSink.ts');
    children.push(sink);
    const sinkUrl = `http://127.0.0.1:${sink.ready.port}`;
    const env = {
      NOETL_BASE_URL: `http://127.0.0.1:${upstream.ready.port}`,
      GATEWAY_SESSION_VALIDATE_VIA_PLAYBOOK: 'false',
    };
    const gateways: Record<'off' | 'on', GatewayProcess> = {
      off: await startGatewayProcess('gateway (tracing off)', env),
      on: await startGatewayProcess('gateway (tracing on)', { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl }),
    };
    children.push(gateways.off, gateways.on);
    const idle = { off: rssBytes(gateways.off.pid), on: rssBytes(gateways.on.pid) };

    for (const gateway of Object.values(gateways))
      for (const load of LOADS) {
        const response = await fetch(`${gateway.url}${load.path}`, {
          method: load.method,
          headers: load.headers,
          ...(load.body ? { body: load.body } : {}),
        });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${gateway.name} ${load.label}: ${response.status}`);
      }

    const measure = async (tracing: 'off' | 'on', load: Load, caller: boolean, seconds: number) => {
      const gateway = gateways[tracing];
      const spansBefore = await sinkCount(sinkUrl);
      const cpuBefore = cpuSeconds(gateway.pid);
      const result = await autocannon({
        url: `${gateway.url}${load.path}`,
        connections: CONNECTIONS,
        durationSecs: seconds,
        method: load.method,
        headers: caller ? { ...load.headers, traceparent: CALLER } : load.headers,
        ...(load.body ? { body: load.body } : {}),
      });
      const cpu = cpuSeconds(gateway.pid) - cpuBefore;
      return {
        ...result,
        cpuUs: (cpu / Math.max(1, result.total)) * 1e6,
        spans: (await sinkCount(sinkUrl)) - spansBefore,
      };
    };

    const variants: { tracing: 'off' | 'on'; caller: boolean }[] = [
      { tracing: 'off', caller: false },
      { tracing: 'off', caller: true },
      { tracing: 'on', caller: false },
      { tracing: 'on', caller: true },
    ];
    const runs: Run[] = [];
    for (const load of LOADS) {
      for (const tracing of ['off', 'on'] as const) {
        progress(`tracing: warm-up ${tracing} ${load.label}`);
        await measure(tracing, load, false, WARMUP_SECONDS);
      }
      for (let round = 1; round <= ROUNDS; round++) {
        const order = round % 2 === 1 ? variants : [...variants].reverse();
        for (const { tracing, caller } of order) {
          progress(`tracing: ${tracing}${caller ? ' + traceparent' : ''} ${load.label}, round ${round}`);
          const result = await measure(tracing, load, caller, SECONDS);
          runs.push({
            load: load.label,
            tracing,
            caller,
            round,
            rps: result.rps,
            p99: result.p99,
            cpuUs: result.cpuUs,
            errors: result.errors + result.non2xx,
            spans: result.spans,
          });
        }
      }
    }
    // Spans still in the batch queue when the last round ended arrive within the export delay.
    const rssAfter = { off: rssBytes(gateways.off.pid), on: rssBytes(gateways.on.pid) };

    const pick = (load: string, tracing: string, caller: boolean) =>
      runs.filter((run) => run.load === load && run.tracing === tracing && run.caller === caller);
    const rows: string[][] = [];
    const notes: string[] = [];
    for (const load of LOADS) {
      const baseline = median(pick(load.label, 'off', false).map((run) => run.cpuUs));
      for (const { tracing, caller } of variants) {
        const chosen = pick(load.label, tracing, caller);
        const cpuUs = median(chosen.map((run) => run.cpuUs));
        const requests = chosen.reduce((sum, run) => sum + run.rps * SECONDS, 0);
        const spans = chosen.reduce((sum, run) => sum + run.spans, 0);
        rows.push([
          load.label,
          `tracing ${tracing}${caller ? ', caller traceparent' : ''}`,
          chosen.map((run) => run.cpuUs.toFixed(1)).join(' / '),
          cpuUs.toFixed(1),
          `${cpuUs - baseline >= 0 ? '+' : ''}${(cpuUs - baseline).toFixed(1)}`,
          fmtInt(median(chosen.map((run) => run.rps))),
          fmtMs(median(chosen.map((run) => run.p99))),
          tracing === 'on' ? (spans / Math.max(1, requests)).toFixed(2) : '0',
          String(chosen.reduce((sum, run) => sum + run.errors, 0)),
        ]);
      }
    }
    notes.push(
      `cold start (spawn → /health 200): off ${Math.round(gateways.off.startMs)} ms, on ${Math.round(gateways.on.startMs)} ms; idle RSS after start: off ${fmtMiB(idle.off)} MiB, on ${fmtMiB(idle.on)} MiB; after the load: off ${fmtMiB(rssAfter.off)} MiB, on ${fmtMiB(rssAfter.on)} MiB`,
      'spans/request: spans the OTLP sink counted during the rounds ÷ requests answered (≈ 1 per validate, 2 per proxied request; less when the batch queue, OTEL_BSP_MAX_QUEUE_SIZE, overflowed and spans were dropped)',
      describeLaunch(),
      `autocannon -c ${CONNECTIONS} -d ${SECONDS}, ${ROUNDS} rounds alternating order after a ${WARMUP_SECONDS} s warm-up per gateway; CPU µs/request = the gateway process's utime + stime over the round ÷ requests answered (the exporter's work included: it runs in the gateway process)`,
    );
    printTable({
      title: `Tracing off vs on (${CONNECTIONS} connections)`,
      columns: [
        'route',
        'gateway',
        'CPU µs/req by round',
        'CPU µs/req (median)',
        'vs off',
        'req/s',
        'p99 ms',
        'spans/req',
        'errors',
      ],
      rows,
      notes,
    });
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}
