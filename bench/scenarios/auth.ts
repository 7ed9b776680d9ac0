/**
 * @module bench/scenarios/auth
 * Authenticated requests with a warm session against the same routes with auth disabled
 * (`GATEWAY_AUTH_BYPASS=true`: the session guard accepts any token without a lookup). Two gateway
 * processes, same upstream (bench/servers/upstream.ts, which also validates the session once), load
 * from autocannon. Routes: `GET /graphql` (the cheapest guarded route: the guard is most of its work)
 * and `GET /noetl/echo` (the proxy, the hottest guarded route). Target: ≥ 0.8× the bypass requests/s.
 */
import { type Child, spawnTs, startGatewayProcess } from '../lib/proc.ts';
import { fmtInt, fmtMiB, fmtMs, fmtRatio, median, printTable, progress } from '../lib/report.ts';
import { load } from './proxy.ts';

const SECONDS = 5;
const ROUNDS = 2;
const TOKEN = 'bench-auth-session';
const ROUTES = ['/graphql', '/noetl/echo'];

export async function authScenario(): Promise<void> {
  const children: Child[] = [];
  try {
    const upstream = await spawnTs('upstream', 'bench/servers/upstream.ts');
    children.push(upstream);
    const upstreamUrl = `http://127.0.0.1:${upstream.ready.port}`;
    const warm = await startGatewayProcess('gateway (session)', {
      NOETL_BASE_URL: upstreamUrl,
      GATEWAY_SESSION_VALIDATE_VIA_PLAYBOOK: 'false',
    });
    children.push(warm);
    const bypass = await startGatewayProcess('gateway (bypass)', {
      NOETL_BASE_URL: upstreamUrl,
      GATEWAY_AUTH_BYPASS: 'true',
      GATEWAY_AUTH_BYPASS_FORCE: 'true', // the bench runs gateways with NODE_ENV=production
    });
    children.push(bypass);
    const variants = [
      { label: 'warm session', gateway: warm },
      { label: 'auth bypass', gateway: bypass },
    ];
    const headers = { authorization: `Bearer ${TOKEN}` };
    for (const route of ROUTES)
      for (const variant of variants) {
        const response = await fetch(`${variant.gateway.url}${route}`, { headers });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${variant.label} ${route}: ${response.status}`);
      }

    type Run = {
      route: string;
      variant: string;
      round: number;
      rps: number;
      p50: number;
      p99: number;
      rss: number;
      errors: number;
    };
    const runs: Run[] = [];
    for (const route of ROUTES) {
      for (const variant of variants) {
        progress(`auth: warm-up ${variant.label} ${route}`);
        await load(
          { label: variant.label, url: variant.gateway.url, path: route, headers, pid: variant.gateway.pid },
          2,
        );
      }
      for (let round = 1; round <= ROUNDS; round++) {
        const order = round % 2 === 1 ? variants : [...variants].reverse();
        for (const variant of order) {
          progress(`auth: ${variant.label} ${route}, round ${round}`);
          const result = await load(
            {
              label: variant.label,
              url: variant.gateway.url,
              path: route,
              headers,
              pid: variant.gateway.pid,
            },
            SECONDS,
          );
          runs.push({
            route,
            variant: variant.label,
            round,
            ...result,
            errors: result.errors + result.non2xx,
          });
        }
      }
    }
    const med = (route: string, variant: string) =>
      median(runs.filter((run) => run.route === route && run.variant === variant).map((run) => run.rps));
    const rows = runs.map((run) => [
      `GET ${run.route}`,
      run.variant,
      String(run.round),
      fmtInt(run.rps),
      fmtMs(run.p50),
      fmtMs(run.p99),
      fmtMiB(run.rss),
      String(run.errors),
      fmtRatio(run.rps / med(run.route, 'auth bypass')),
    ]);
    const notes = ROUTES.map((route) => {
      const ratio = med(route, 'warm session') / med(route, 'auth bypass');
      return `target ≥ 0.8× (GET ${route}): ${ratio >= 0.8 ? 'met' : 'MISSED'} — ${fmtRatio(ratio)} (medians of rounds)`;
    });
    notes.push(
      `autocannon -c 50 -d ${SECONDS}; the warm session is served from the in-process session cache (validated once at the upstream); both gateways run at the same time, one is loaded at a time`,
    );
    printTable({
      title: 'authenticated request, warm session vs auth bypass (50 connections)',
      columns: ['route', 'auth', 'round', 'req/s', 'p50 ms', 'p99 ms', 'RSS MiB', 'errors', 'vs bypass'],
      rows,
      notes,
    });
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}
