/**
 * @module bench/scenarios/proxy
 * `GET /noetl/echo` (a 731-byte JSON) through the gateway, against (a) the upstream directly, (b) nginx
 * `proxy_pass` to the same upstream — stack.md's "Proxy speed" setup: autocannon -c 50, a `node:http`
 * upstream, keep-alive everywhere, alternating rounds — and (c) the floor of the gateway's design: a bare
 * `node:http` server forwarding through the same undici `Pool.dispatch` with no gateway logic
 * (bench/servers/bareProxy.ts). A second pass sends a fixed 2,000 requests/s (well under every path's
 * capacity) to compare the latency each hop adds. Targets: ≥ 0.8× nginx requests/s; p99 ≤ direct + 1 ms.
 * CPU per request is measured from /proc over each autocannon run (the process tree: nginx's master and
 * worker). `BENCH_PROXY_ROUNDS` (default 3), `BENCH_PROXY_SECONDS` (default 5).
 */

import { autocannon } from '../lib/autocannon.ts';
import { describeLaunch } from '../lib/gateway.ts';
import { findNginx, NGINX_MISSING, startNginx } from '../lib/nginx.ts';
import { type Child, cpuSeconds, spawnTs, startGatewayProcess, treeRssBytes } from '../lib/proc.ts';
import { fmtInt, fmtMiB, fmtMs, fmtRatio, median, printTable, progress } from '../lib/report.ts';

const CONNECTIONS = 50;
const SECONDS = Number(process.env.BENCH_PROXY_SECONDS ?? 5);
const ROUNDS = Math.max(1, Number(process.env.BENCH_PROXY_ROUNDS ?? 3));
const PROBE_RATE = 2000;
const PROBE_SECONDS = 3;
const TOKEN = 'bench-proxy-session';
const GATEWAY = 'gateway /noetl/echo';
const BARE = 'bare node:http + undici (floor)';

interface ProxyTarget {
  label: string;
  url: string;
  path: string;
  headers: Record<string, string>;
  pid: number;
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  probeP50: number;
  probeP99: number;
  rss: number;
  cpu: number;
  /** CPU time per request during the autocannon run, µs. */
  cpuUs: number;
}

export async function probe(target: ProxyTarget, rate: number, seconds: number) {
  const client = await spawnTs(
    'latency probe',
    'bench/clients/latency.ts',
    [
      JSON.stringify({
        url: target.url,
        path: target.path,
        rate,
        seconds,
        connections: CONNECTIONS,
        headers: target.headers,
      }),
    ],
    { waitReady: false },
  );
  const result = JSON.parse(await client.line('RESULT', (seconds + 30) * 1000)) as {
    rps: number;
    p50: number;
    p99: number;
    errors: number;
  };
  await client.exited;
  return result;
}

export async function load(target: ProxyTarget, seconds: number) {
  const cpuBefore = cpuSeconds(target.pid);
  const started = performance.now();
  const result = await autocannon({
    url: `${target.url}${target.path}`,
    connections: CONNECTIONS,
    durationSecs: seconds,
    headers: target.headers,
  });
  const cpuSecs = cpuSeconds(target.pid) - cpuBefore;
  const cpu = cpuSecs / ((performance.now() - started) / 1000);
  const cpuUs = result.total > 0 ? (cpuSecs * 1e6) / result.total : Number.NaN;
  return { ...result, cpu, cpuUs, rss: treeRssBytes(target.pid) };
}

/** Is `/noetl/echo` proxied yet? (The proxy may still be in the works.) */
async function proxyWorks(url: string): Promise<string | undefined> {
  try {
    const response = await fetch(`${url}/noetl/echo`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const body = await response.arrayBuffer();
    if (response.status === 200 && body.byteLength === 731) return undefined;
    return `GET /noetl/echo answered ${response.status} (${body.byteLength} bytes)`;
  } catch (error) {
    return `GET /noetl/echo failed: ${(error as Error).message}`;
  }
}

export async function proxyScenario(): Promise<void> {
  const children: Child[] = [];
  try {
    const upstream = await spawnTs('upstream', 'bench/servers/upstream.ts');
    children.push(upstream);
    const upstreamUrl = `http://127.0.0.1:${upstream.ready.port}`;
    const targets: ProxyTarget[] = [
      { label: 'upstream directly', url: upstreamUrl, path: '/api/echo', headers: {}, pid: upstream.pid },
    ];
    const skipped: string[][] = [];

    const nginxBinary = findNginx();
    if (nginxBinary) {
      const nginx = await startNginx(nginxBinary, Number(upstream.ready.port));
      children.push(nginx);
      targets.push({
        label: 'nginx proxy_pass (1 worker)',
        url: nginx.url,
        path: '/noetl/echo',
        headers: {},
        pid: nginx.pid,
      });
    } else {
      progress(`proxy: ${NGINX_MISSING}`);
      skipped.push(['nginx proxy_pass', `skipped: ${NGINX_MISSING}`]);
    }

    const bare = await spawnTs('bare proxy', 'bench/servers/bareProxy.ts', [], {
      env: { UPSTREAM_URL: upstreamUrl },
    });
    children.push(bare);
    targets.push({
      label: BARE,
      url: `http://127.0.0.1:${bare.ready.port}`,
      path: '/noetl/echo',
      headers: {},
      pid: bare.pid,
    });

    const gateway = await startGatewayProcess('gateway', {
      NOETL_BASE_URL: upstreamUrl,
      GATEWAY_SESSION_VALIDATE_VIA_PLAYBOOK: 'false',
    });
    children.push(gateway);
    const unavailable = await proxyWorks(gateway.url);
    if (unavailable) skipped.push([GATEWAY, `proxy not available: ${unavailable}`]);
    else
      targets.push({
        label: GATEWAY,
        url: gateway.url,
        path: '/noetl/echo',
        headers: { authorization: `Bearer ${TOKEN}` },
        pid: gateway.pid,
      });

    for (const target of targets) {
      progress(`proxy: warm-up ${target.label}`);
      await autocannon({
        url: `${target.url}${target.path}`,
        connections: CONNECTIONS,
        durationSecs: 2,
        headers: target.headers,
      });
    }
    const results = new Map<string, Measured[]>(targets.map((target) => [target.label, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      const order = round % 2 === 1 ? targets : [...targets].reverse();
      for (const target of order) {
        progress(`proxy: ${target.label}, round ${round}: autocannon -c ${CONNECTIONS} -d ${SECONDS}`);
        const loaded = await load(target, SECONDS);
        progress(`proxy: ${target.label}, round ${round}: ${PROBE_RATE} req/s fixed`);
        const probed = await probe(target, PROBE_RATE, PROBE_SECONDS);
        results.get(target.label)!.push({
          rps: loaded.rps,
          p50: loaded.p50,
          p99: loaded.p99,
          errors: loaded.errors + loaded.non2xx + probed.errors,
          probeP50: probed.p50,
          probeP99: probed.p99,
          rss: loaded.rss,
          cpu: loaded.cpu,
          cpuUs: loaded.cpuUs,
        });
      }
    }

    const med = (label: string, pick: (m: Measured) => number) =>
      median((results.get(label) ?? []).map(pick));
    const direct = targets[0]!.label;
    const nginxLabel = targets.find((target) => target.label.startsWith('nginx'))?.label;
    const rows: string[][] = [];
    for (const target of targets) {
      const runs = results.get(target.label)!;
      runs.forEach((m, i) => {
        rows.push([
          target.label,
          String(i + 1),
          fmtInt(m.rps),
          fmtMs(m.p50),
          fmtMs(m.p99),
          `${fmtMs(m.probeP50)} / ${fmtMs(m.probeP99)}`,
          fmtMiB(m.rss),
          m.cpu.toFixed(2),
          m.cpuUs.toFixed(1),
          String(m.errors),
          nginxLabel ? fmtRatio(m.rps / med(nginxLabel, (x) => x.rps)) : '—',
          fmtRatio(m.rps / med(direct, (x) => x.rps)),
        ]);
      });
    }
    for (const [label, reason] of skipped)
      rows.push([label!, '—', reason!, '', '', '', '', '', '', '', '', '']);

    const notes: string[] = [];
    const gatewayRuns = results.get(GATEWAY);
    if (gatewayRuns && nginxLabel) {
      const ratio = med(GATEWAY, (m) => m.rps) / med(nginxLabel, (m) => m.rps);
      notes.push(
        `target ≥ 0.8× nginx requests/s: ${ratio >= 0.8 ? 'met' : 'MISSED'} — ${fmtRatio(ratio)} (medians of ${ROUNDS} rounds: ${fmtInt(med(GATEWAY, (m) => m.rps))} vs ${fmtInt(med(nginxLabel, (m) => m.rps))} req/s)`,
      );
    } else
      notes.push(
        `target ≥ 0.8× nginx requests/s: NOT MEASURED — ${gatewayRuns ? NGINX_MISSING : 'the gateway did not proxy'}`,
      );
    if (gatewayRuns) {
      const gatewayP99 = med(GATEWAY, (m) => m.probeP99);
      const directP99 = med(direct, (m) => m.probeP99);
      notes.push(
        `target p99 ≤ direct + 1 ms (at ${fmtInt(PROBE_RATE)} req/s fixed): ${gatewayP99 <= directP99 + 1 ? 'met' : 'MISSED'} — gateway ${fmtMs(gatewayP99)} ms vs direct ${fmtMs(directP99)} ms (+${fmtMs(gatewayP99 - directP99)} ms, medians of rounds); others at that rate: ${[
          nginxLabel,
          BARE,
        ]
          .filter((label): label is string => label !== undefined)
          .map((label) => `${label} +${fmtMs(med(label, (m) => m.probeP99) - directP99)} ms`)
          .join(
            ', ',
          )}; at -c ${CONNECTIONS} (saturated, p99 ≈ queueing) gateway ${fmtMs(med(GATEWAY, (m) => m.p99))} ms vs direct ${fmtMs(med(direct, (m) => m.p99))} ms`,
      );
      const cpuUs = (label: string) => med(label, (m) => m.cpuUs);
      const parts = [`gateway ${cpuUs(GATEWAY).toFixed(1)}`];
      if (nginxLabel) parts.push(`nginx ${cpuUs(nginxLabel).toFixed(1)}`);
      parts.push(`bare node:http + undici ${cpuUs(BARE).toFixed(1)}`, `upstream ${cpuUs(direct).toFixed(1)}`);
      notes.push(
        `CPU µs per request (medians): ${parts.join(', ')}; the gateway's own work (session, identity headers, routing, request id, log, metric, CORS) is what it costs above the bare floor: ${(cpuUs(GATEWAY) - cpuUs(BARE)).toFixed(1)} µs`,
      );
    }
    notes.push(
      `req/s, p50, p99: autocannon -c ${CONNECTIONS} -d ${SECONDS} (whole-ms latencies); fixed-rate p50/p99: ${fmtInt(PROBE_RATE)} req/s for ${PROBE_SECONDS} s over ${CONNECTIONS} keep-alive connections, timed from the scheduled send (bench/clients/latency.ts)`,
      'RSS: the process under test after its run (nginx: master + worker); CPU cores: what it used during the autocannon run, CPU µs/req: its CPU time (user + system, /proc) over the requests of that run; the load generator and the upstream share the 2 cores',
      'the gateway request carries a session token validated once at the upstream, then served from the session cache',
      describeLaunch(),
    );
    printTable({
      title: `proxy: GET /noetl/echo, 731-byte JSON, ${CONNECTIONS} connections, ${ROUNDS} rounds`,
      columns: [
        'path',
        'round',
        'req/s',
        'p50 ms',
        'p99 ms',
        'fixed-rate p50 / p99 ms',
        'RSS MiB',
        'CPU cores',
        'CPU µs/req',
        'errors',
        'vs nginx',
        'vs direct',
      ],
      rows,
      notes,
    });
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}
