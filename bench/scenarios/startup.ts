/**
 * @module bench/scenarios/startup
 * Cold start (spawn → first `/health` 200, polled every 5 ms over fresh connections) and idle RSS (VmRSS
 * of the process 3 s after it answered, no request served but the probes) of the gateway started the
 * production way (bench/lib/gateway.ts), in embedded mode. Baseline in the same run: the least a Node
 * server is — bench/servers/minimalHttp.mjs (plain JavaScript, no loader). Optional: the
 * Rust reference (BENCH_REFERENCE_BIN), otherwise its figures from the issue. Target: idle RSS ≤ 80 MiB.
 */
import { describeLaunch } from '../lib/gateway.ts';
import {
  BENCH,
  type Child,
  freePort,
  type GatewayProcess,
  rssBytes,
  sleep,
  spawnCommand,
  spawnTs,
  startGatewayProcess,
  waitHealthy,
} from '../lib/proc.ts';
import { REFERENCE, referenceBinary, startReference, TARGETS } from '../lib/reference.ts';
import { fmtMiB, median, printTable, progress } from '../lib/report.ts';

const STARTS = 5;
const IDLE_MS = 3000;

interface Sample {
  server: string;
  how: string;
  round: number;
  startMs: number;
  rss: number;
}

type Started = Pick<GatewayProcess, 'pid' | 'startMs' | 'how' | 'stop'>;

async function startBaseline(): Promise<Started> {
  const port = await freePort();
  const spawned = performance.now();
  const child = await spawnCommand(
    'minimal node:http',
    process.execPath,
    [`${BENCH}/servers/minimalHttp.mjs`],
    {
      env: { PORT: String(port) },
      waitReady: false,
    },
  );
  const startMs = (await waitHealthy(`http://127.0.0.1:${port}/health`, 30_000, child)) - spawned;
  return Object.assign(child, { startMs, how: 'node bench/servers/minimalHttp.mjs' });
}

export async function startupScenario(): Promise<void> {
  const children: Child[] = [];
  try {
    const upstream = await spawnTs('upstream', 'bench/servers/upstream.ts');
    children.push(upstream);
    const upstreamUrl = `http://127.0.0.1:${upstream.ready.port}`;
    const servers: { label: string; start: () => Promise<Started> }[] = [
      { label: 'minimal node:http (baseline)', start: startBaseline },
      {
        label: 'gateway',
        start: () =>
          startGatewayProcess('gateway', {
            NOETL_BASE_URL: upstreamUrl,
            GATEWAY_SESSION_VALIDATE_VIA_PLAYBOOK: 'false',
          }),
      },
    ];
    if (referenceBinary())
      servers.push({ label: 'Rust reference', start: () => startReference('reference', upstreamUrl) });

    const samples: Sample[] = [];
    // One start of each first, not recorded: the first spawn of a round pays for cold disk caches.
    for (const server of servers) await (await server.start()).stop();
    for (let round = 1; round <= STARTS; round++) {
      for (const server of round % 2 === 1 ? servers : [...servers].reverse()) {
        progress(`startup: ${server.label}, start ${round}`);
        const started = await server.start();
        try {
          await sleep(IDLE_MS);
          samples.push({
            server: server.label,
            how: started.how,
            round,
            startMs: started.startMs,
            rss: rssBytes(started.pid),
          });
        } finally {
          await started.stop();
        }
      }
    }

    const of = (label: string) => samples.filter((sample) => sample.server === label);
    const rows = samples.map((sample) => [
      sample.server,
      sample.how,
      String(sample.round),
      sample.startMs.toFixed(0),
      fmtMiB(sample.rss),
    ]);
    for (const server of servers)
      rows.push([
        server.label,
        'median',
        '—',
        median(of(server.label).map((s) => s.startMs)).toFixed(0),
        fmtMiB(median(of(server.label).map((s) => s.rss))),
      ]);
    rows.push([
      'Rust reference v3.12.1 (issue)',
      '—',
      '—',
      String(REFERENCE.coldStartMs),
      String(REFERENCE.idleRssMiB),
    ]);
    const rss = median(of('gateway').map((s) => s.rss)) / 1024 / 1024;
    const startMs = median(of('gateway').map((s) => s.startMs));
    printTable({
      title: `cold start and idle RSS (${STARTS} starts each, embedded mode)`,
      columns: [
        'server',
        'started as',
        'start',
        'spawn → /health 200 ms',
        `idle RSS MiB (after ${IDLE_MS / 1000} s)`,
      ],
      rows,
      notes: [
        `target idle RSS ≤ ${TARGETS.idleRssMiB} MiB: ${rss <= TARGETS.idleRssMiB ? 'met' : 'MISSED'} — gateway ${rss.toFixed(1)} MiB, cold start ${startMs.toFixed(0)} ms (medians); reference (issue) ${REFERENCE.idleRssMiB} MB, ${REFERENCE.coldStartMs} ms`,
        describeLaunch(),
        'RSS of the server process alone (`npm start` adds npm and a shell around it); cold start from spawn() in the bench process to the first 200 of GET /health',
      ],
    });
  } finally {
    for (const child of children.reverse()) await child.stop();
  }
}
