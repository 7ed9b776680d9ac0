/**
 * @module bench/scenarios/routes
 * The request pipeline's cost on two JSON routes, driven over HTTP only (autocannon, 50 connections):
 *   POST /api/auth/validate  with a warm session (validated once at the upstream, then from memory);
 *   POST /graphql {health}   with a session (Authorization: Bearer).
 * Baseline in the same run: bare `node:http` doing the same work (bench/servers/bareRoutes.ts). Optional:
 * the Rust reference (BENCH_REFERENCE_BIN), otherwise its figures from the issue.
 * Reports req/s and the gateway process's CPU µs per request (/proc utime + stime over the round ÷ the
 * requests answered). Target: ≤ 35 µs CPU per request.
 */
import { autocannon } from '../lib/autocannon.ts';
import { describeLaunch } from '../lib/gateway.ts';
import { type Child, cpuSeconds, rssBytes, spawnTs, startGatewayProcess } from '../lib/proc.ts';
import { REFERENCE, referenceBinary, startReference, TARGETS } from '../lib/reference.ts';
import { fmtInt, fmtMiB, fmtMs, fmtRatio, median, printTable, progress } from '../lib/report.ts';

const CONNECTIONS = 50;
const SECONDS = 5;
const WARMUP_SECONDS = 2;
const ROUNDS = 3;
const TOKEN = 'bench-routes-session';

interface Route {
  label: string;
  path: string;
  body: string;
  headers: Record<string, string>;
  reference: { rps: number; cpuUs: number };
  /** Checks one answer before the load. */
  check(status: number, body: string): boolean;
}

const ROUTES: Route[] = [
  {
    label: 'POST /api/auth/validate (warm session)',
    path: '/api/auth/validate',
    body: JSON.stringify({ session_token: TOKEN }),
    headers: { 'content-type': 'application/json' },
    reference: REFERENCE.validate,
    check: (status, body) => status === 200 && (JSON.parse(body) as { valid?: boolean }).valid === true,
  },
  {
    label: 'POST /graphql {health} (session)',
    path: '/graphql',
    body: JSON.stringify({ query: '{ health }' }),
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
    reference: REFERENCE.graphqlHealth,
    check: (status, body) =>
      status === 200 &&
      typeof (JSON.parse(body) as { data?: { health?: unknown } }).data?.health === 'string',
  },
];

interface Target {
  label: string;
  url: string;
  pid: number;
}

interface Run {
  route: string;
  target: string;
  round: number;
  rps: number;
  p50: number;
  p99: number;
  cpuUs: number;
  rss: number;
  errors: number;
}

async function measure(target: Target, route: Route, seconds: number) {
  const cpuBefore = cpuSeconds(target.pid);
  const result = await autocannon({
    url: `${target.url}${route.path}`,
    connections: CONNECTIONS,
    durationSecs: seconds,
    method: 'POST',
    headers: route.headers,
    body: route.body,
  });
  const cpu = cpuSeconds(target.pid) - cpuBefore;
  return { ...result, cpuUs: (cpu / Math.max(1, result.total)) * 1e6, rss: rssBytes(target.pid) };
}

export async function routesScenario(): Promise<void> {
  const children: Child[] = [];
  try {
    const upstream = await spawnTs('upstream', 'bench/servers/upstream.ts');
    children.push(upstream);
    const upstreamUrl = `http://127.0.0.1:${upstream.ready.port}`;
    const gateway = await startGatewayProcess('gateway', {
      NOETL_BASE_URL: upstreamUrl,
      GATEWAY_SESSION_VALIDATE_VIA_PLAYBOOK: 'false',
    });
    children.push(gateway);
    const bare = await spawnTs('bare node:http', 'bench/servers/bareRoutes.ts');
    children.push(bare);
    const targets: Target[] = [
      { label: 'bare node:http (baseline)', url: `http://127.0.0.1:${bare.ready.port}`, pid: bare.pid },
      { label: 'gateway', url: gateway.url, pid: gateway.pid },
    ];
    if (referenceBinary()) {
      const reference = await startReference('reference', upstreamUrl);
      children.push(reference);
      targets.push({ label: 'Rust reference', url: reference.url, pid: reference.pid });
    }

    for (const route of ROUTES)
      for (const target of targets) {
        const response = await fetch(`${target.url}${route.path}`, {
          method: 'POST',
          headers: route.headers,
          body: route.body,
        });
        const text = await response.text();
        if (!route.check(response.status, text))
          throw new Error(`${target.label} ${route.label}: ${response.status} ${text.slice(0, 300)}`);
      }

    const runs: Run[] = [];
    for (const route of ROUTES) {
      for (const target of targets) {
        progress(`routes: warm-up ${target.label} ${route.label}`);
        await measure(target, route, WARMUP_SECONDS);
      }
      for (let round = 1; round <= ROUNDS; round++) {
        const order = round % 2 === 1 ? targets : [...targets].reverse();
        for (const target of order) {
          progress(`routes: ${target.label} ${route.label}, round ${round}`);
          const result = await measure(target, route, SECONDS);
          runs.push({
            route: route.label,
            target: target.label,
            round,
            rps: result.rps,
            p50: result.p50,
            p99: result.p99,
            cpuUs: result.cpuUs,
            rss: result.rss,
            errors: result.errors + result.non2xx,
          });
        }
      }
    }

    const med = (route: string, target: string, pick: (run: Run) => number) =>
      median(runs.filter((run) => run.route === route && run.target === target).map(pick));
    const baseline = targets[0]!.label;
    const rows = runs.map((run) => [
      run.route,
      run.target,
      String(run.round),
      fmtInt(run.rps),
      run.cpuUs.toFixed(1),
      fmtMs(run.p50),
      fmtMs(run.p99),
      fmtMiB(run.rss),
      String(run.errors),
      fmtRatio(run.rps / med(run.route, baseline, (r) => r.rps)),
      fmtRatio(run.cpuUs / med(run.route, baseline, (r) => r.cpuUs)),
    ]);
    const notes: string[] = [];
    for (const route of ROUTES) {
      for (const target of targets) {
        const rps = med(route.label, target.label, (r) => r.rps);
        const cpuUs = med(route.label, target.label, (r) => r.cpuUs);
        rows.push([
          route.label,
          `${target.label}, median`,
          '—',
          fmtInt(rps),
          cpuUs.toFixed(1),
          '',
          '',
          '',
          '',
          fmtRatio(rps / med(route.label, baseline, (r) => r.rps)),
          fmtRatio(cpuUs / med(route.label, baseline, (r) => r.cpuUs)),
        ]);
      }
      rows.push([
        route.label,
        'Rust reference v3.12.1 (issue)',
        '—',
        fmtInt(route.reference.rps),
        route.reference.cpuUs.toFixed(1),
        '',
        '',
        '',
        '',
        '',
        '',
      ]);
      const rps = med(route.label, 'gateway', (r) => r.rps);
      const cpuUs = med(route.label, 'gateway', (r) => r.cpuUs);
      const measured = referenceBinary()
        ? `; reference measured here ${med(route.label, 'Rust reference', (r) => r.cpuUs).toFixed(1)} µs, ${fmtInt(med(route.label, 'Rust reference', (r) => r.rps))} req/s`
        : '';
      notes.push(
        `target ≤ ${TARGETS.jsonCpuUs} µs CPU/request (${route.label}): ${cpuUs <= TARGETS.jsonCpuUs ? 'met' : 'MISSED'} — gateway ${cpuUs.toFixed(1)} µs, ${fmtInt(rps)} req/s (medians of ${ROUNDS} rounds); reference (issue) ${route.reference.cpuUs} µs, ${fmtInt(route.reference.rps)} req/s${measured}`,
      );
    }
    notes.push(
      describeLaunch(),
      `autocannon -c ${CONNECTIONS} -d ${SECONDS}, ${ROUNDS} rounds alternating order after a ${WARMUP_SECONDS} s warm-up each; CPU µs/request = the server process's utime + stime over the round ÷ requests answered; autocannon runs in its own process on the same cores`,
      referenceBinary()
        ? `Rust reference measured: ${referenceBinary()} (v2.11.x with its own nats-server; sessions from its NATS K/V cache after one validation at the upstream); issue rows: ${REFERENCE.source}`
        : `Rust reference: ${REFERENCE.source}`,
    );
    printTable({
      title: `JSON routes: ${ROUTES.map((route) => route.label).join(', ')} (${CONNECTIONS} connections)`,
      columns: [
        'route',
        'server',
        'round',
        'req/s',
        'CPU µs/req',
        'p50 ms',
        'p99 ms',
        'RSS MiB',
        'errors',
        'req/s vs bare',
        'CPU vs bare',
      ],
      rows,
      notes,
    });
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}
