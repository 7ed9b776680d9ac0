/**
 * @module bench/scenarios/sseCapacity
 * N idle `/events` streams with heartbeats (N = 1k, 5k, 20k), held by separate client processes,
 * against a minimal Node SSE server holding the same N (bench/servers/minimalSse.ts). For each N and
 * server a fresh process: RSS before (after a 100-stream warm-up) and with N open, RSS per stream, and
 * CPU while idle. Heartbeats every 5 s on both (GATEWAY_HEARTBEAT_INTERVAL_SECS=5; default 30) so the
 * CPU window sees two of them. Target: ≤ 15 KB RSS per connection.
 *
 * Open files: a process holds at most RLIMIT_NOFILE sockets. Children get their soft limit raised to
 * what they need (up to the hard limit); an N beyond the hard limit gets a row saying so and the largest
 * N that fits is measured instead.
 */
import { join } from 'node:path';
import {
  BENCH,
  type Child,
  cpuShare,
  type GatewayProcess,
  hardNofile,
  rssBytes,
  sleep,
  spawnTs,
  startGatewayProcess,
} from '../lib/proc.ts';
import { fmtInt, fmtPct, fmtRatio, printTable, progress } from '../lib/report.ts';

const COUNTS = [1000, 5000, 20_000];
const HEARTBEAT_SECS = 5;
const CPU_WINDOW_MS = 10_000;
const SETTLE_MS = 2000;
const WARMUP_STREAMS = 100;
/** Sockets per holder process. */
const PER_HOLDER = 5000;
/** Streams per session on the gateway (it allows at most 10,000 per session). */
const PER_SESSION = 5000;
/** Files a server needs besides its sockets (listening socket, stdio, epoll, libuv, …). */
const SERVER_FD_MARGIN = 256;

interface Measurement {
  n: number;
  server: string;
  openSecs: number;
  opened: number;
  rssBefore: number;
  rssOpen: number;
  heapBefore: number;
  heapOpen: number;
  cpu: number;
  eventsPerSec: number;
}

async function holdStreams(
  urls: string[],
  count: number,
): Promise<{ holders: Child[]; opened: number; secs: number }> {
  const holders: Child[] = [];
  const started = performance.now();
  let opened = 0;
  const jobs: Promise<void>[] = [];
  for (let offset = 0; offset < count; offset += PER_HOLDER) {
    const share = Math.min(PER_HOLDER, count - offset);
    jobs.push(
      (async () => {
        const holder = await spawnTs(
          'sse holder',
          'bench/clients/sseHolder.ts',
          [JSON.stringify({ urls, count: share, parallel: 50 })],
          {
            waitReady: false,
            nofile: share + SERVER_FD_MARGIN,
          },
        );
        holders.push(holder);
        const report = JSON.parse(await holder.line('OPEN', 180_000)) as { opened: number; failed: number };
        opened += report.opened;
      })(),
    );
  }
  await Promise.all(jobs);
  return { holders, opened, secs: (performance.now() - started) / 1000 };
}

async function countEvents(holders: Child[]): Promise<number> {
  let events = 0;
  for (const holder of holders) {
    holder.send('COUNT');
    events += (JSON.parse(await holder.line('COUNT', 10_000)) as { events: number }).events;
  }
  return events;
}

async function release(holders: Child[]): Promise<void> {
  for (const holder of holders) holder.send('CLOSE');
  await Promise.all(holders.map((holder) => Promise.race([holder.exited, sleep(5000)])));
  for (const holder of holders) await holder.stop();
}

const GC_FLAGS = ['--expose-gc', '--import', join(BENCH, 'lib/gcOnSignal.ts')];

/** Live JS heap (+ external memory) of the child after a full GC (the preload answers SIGUSR2). */
async function liveHeap(child: Child): Promise<number> {
  child.process.kill('SIGUSR2');
  const { heapUsed, external } = JSON.parse(await child.line('GC', 10_000)) as {
    heapUsed: number;
    external: number;
  };
  return heapUsed + external;
}

async function measure(
  n: number,
  server: 'gateway' | 'minimal Node SSE',
  upstreamUrl: string,
): Promise<Measurement> {
  let child: Child | GatewayProcess;
  let urls: string[];
  const nofile = n + SERVER_FD_MARGIN;
  if (server === 'gateway') {
    const gateway = await startGatewayProcess(
      'gateway (sse)',
      {
        NOETL_BASE_URL: upstreamUrl,
        GATEWAY_SESSION_VALIDATE_VIA_PLAYBOOK: 'false',
        GATEWAY_HEARTBEAT_INTERVAL_SECS: String(HEARTBEAT_SECS),
        GATEWAY_MAX_SSE_CONNECTIONS: String(n + WARMUP_STREAMS + 100),
      },
      { nofile, nodeFlags: GC_FLAGS },
    );
    child = gateway;
    const sessions = Math.ceil((n + WARMUP_STREAMS) / PER_SESSION);
    urls = Array.from({ length: sessions }, (_, i) => `${gateway.url}/events?session_token=bench-sse-${i}`);
  } else {
    child = await spawnTs('minimal sse', 'bench/servers/minimalSse.ts', [], {
      env: { HEARTBEAT_MS: String(HEARTBEAT_SECS * 1000) },
      nofile,
      nodeFlags: GC_FLAGS,
    });
    urls = [`http://127.0.0.1:${child.ready.port}/events`];
  }
  try {
    // Warm-up: the first streams load and compile the code paths; that is not per-connection memory.
    const warm = await holdStreams(urls, WARMUP_STREAMS);
    await release(warm.holders);
    const heapBefore = await liveHeap(child);
    await sleep(SETTLE_MS);
    const rssBefore = rssBytes(child.pid);
    progress(`sse: ${server}, opening ${fmtInt(n)} streams`);
    const held = await holdStreams(urls, n);
    try {
      await sleep(SETTLE_MS);
      const rssOpen = rssBytes(child.pid);
      await countEvents(held.holders);
      const cpu = await cpuShare(child.pid, CPU_WINDOW_MS);
      const events = await countEvents(held.holders);
      const heapOpen = await liveHeap(child);
      return {
        n,
        server,
        openSecs: held.secs,
        opened: held.opened,
        rssBefore,
        rssOpen,
        heapBefore,
        heapOpen,
        cpu,
        eventsPerSec: events / (CPU_WINDOW_MS / 1000),
      };
    } finally {
      await release(held.holders);
    }
  } finally {
    await child.stop();
  }
}

export async function sseCapacityScenario(): Promise<void> {
  const hard = hardNofile();
  const upstream = await spawnTs('upstream', 'bench/servers/upstream.ts');
  const upstreamUrl = `http://127.0.0.1:${upstream.ready.port}`;
  const rows: string[][] = [];
  const notes: string[] = [];
  let worstPerConn = 0;
  let worstPerConnGc = 0;
  try {
    const counts: { n: number; label: string }[] = [];
    for (const n of COUNTS) {
      if (n + SERVER_FD_MARGIN <= hard) {
        counts.push({ n, label: fmtInt(n) });
        continue;
      }
      const fits = Math.floor((hard - SERVER_FD_MARGIN) / 500) * 500;
      rows.push([
        fmtInt(n),
        'both',
        `not measured: RLIMIT_NOFILE hard limit is ${fmtInt(hard)} here (a process cannot raise it), a server holding ${fmtInt(n)} streams needs ≥ ${fmtInt(n + SERVER_FD_MARGIN)}`,
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        '',
      ]);
      if (fits > (counts[counts.length - 1]?.n ?? 0))
        counts.push({ n: fits, label: `${fmtInt(fits)} (largest under the limit)` });
    }
    for (const [index, { n, label }] of counts.entries()) {
      const servers = (
        index % 2 === 0 ? ['gateway', 'minimal Node SSE'] : ['minimal Node SSE', 'gateway']
      ) as ('gateway' | 'minimal Node SSE')[];
      const measured = new Map<string, Measurement>();
      for (const server of servers) {
        progress(`sse: ${server}, N = ${fmtInt(n)}`);
        measured.set(server, await measure(n, server, upstreamUrl));
      }
      const perConn = (m: Measurement) => (m.rssOpen - m.rssBefore) / m.opened;
      const perConnGc = (m: Measurement) => (m.heapOpen - m.heapBefore) / m.opened;
      for (const server of ['gateway', 'minimal Node SSE']) {
        const m = measured.get(server)!;
        if (server === 'gateway') {
          worstPerConn = Math.max(worstPerConn, perConn(m));
          worstPerConnGc = Math.max(worstPerConnGc, perConnGc(m));
        }
        rows.push([
          label,
          server,
          `${fmtInt(m.opened)} in ${m.openSecs.toFixed(1)} s`,
          (m.rssBefore / 1024 / 1024).toFixed(1),
          (m.rssOpen / 1024 / 1024).toFixed(1),
          (perConn(m) / 1024).toFixed(1),
          (m.heapOpen / 1024 / 1024).toFixed(1),
          (perConnGc(m) / 1024).toFixed(1),
          fmtPct(m.cpu),
          fmtInt(m.eventsPerSec),
          '',
        ]);
      }
      const gateway = measured.get('gateway')!;
      const minimal = measured.get('minimal Node SSE')!;
      rows.push([
        label,
        'gateway ÷ minimal',
        '',
        '',
        fmtRatio(gateway.rssOpen / minimal.rssOpen),
        fmtRatio(perConn(gateway) / perConn(minimal)),
        fmtRatio(gateway.heapOpen / minimal.heapOpen),
        fmtRatio(perConnGc(gateway) / perConnGc(minimal)),
        fmtRatio(gateway.cpu / minimal.cpu),
        '',
        gateway.opened === n && minimal.opened === n
          ? 'all open'
          : `open: ${gateway.opened} / ${minimal.opened}`,
      ]);
    }
    notes.push(
      `target ≤ 15 KB RSS per connection: ${worstPerConn <= 15 * 1024 ? 'met' : 'MISSED'} — worst ${(worstPerConn / 1024).toFixed(1)} KB RSS (gateway, over the N measured; live JS heap ${(worstPerConnGc / 1024).toFixed(1)} KB of it)`,
      `RSS from /proc/<pid>/status after ${SETTLE_MS / 1000} s idle; per connection = (RSS with N − RSS after a ${WARMUP_STREAMS}-stream warm-up) ÷ N; live heap: V8 heapUsed + external right after a full GC (bench-only preload, --expose-gc), per stream likewise; CPU over ${CPU_WINDOW_MS / 1000} s idle, share of one core; heartbeats every ${HEARTBEAT_SECS} s on both`,
      `streams held by client processes of ${fmtInt(PER_HOLDER)} each; gateway streams use ${fmtInt(PER_SESSION)} per session (its cap is 10,000); a fresh server process per N`,
    );
    printTable({
      title: 'SSE capacity: N idle streams with heartbeats',
      columns: [
        'N',
        'server',
        'opened',
        'RSS before MiB',
        'RSS with N MiB',
        'KB per stream',
        'live heap with N MiB',
        'heap KB per stream',
        'CPU idle',
        'events/s',
        '',
      ],
      rows,
      notes,
    });
  } finally {
    await upstream.stop();
  }
}
