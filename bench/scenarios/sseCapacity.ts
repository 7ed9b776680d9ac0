/**
 * @module bench/scenarios/sseCapacity
 * N idle `/events` streams with heartbeats, held by separate client processes, on the gateway and on a
 * minimal `node:http` SSE server (bench/servers/minimalSse.ts) in the same run, for ROUNDS rounds (default
 * 3, the two servers alternating who goes first). Per round and server a fresh process: RSS after a
 * 100-stream warm-up, the time to open the first 10,000 streams, RSS per stream 2 s after opening and again
 * after 30 s idle, the live JS heap per stream (after a full GC), and CPU over those 30 s. Heartbeats every
 * 5 s on both (GATEWAY_HEARTBEAT_INTERVAL_SECS=5; default 30), so the idle window sees six of them.
 *
 * Why two RSS readings: 2 s after the opens a heap still holds what the opening burst left (the gateway's
 * handshakes allocate ~25 KB each: the young generation grows), while the heartbeats' garbage has not yet
 * grown the minimal server's; after 30 s of heartbeats both heaps have settled.
 * Target (issue 15, item 3): gateway RSS per idle stream ≤ 1.1× the minimal server's, at 20,000 streams.
 *
 * Open files: a process holds at most RLIMIT_NOFILE sockets. Children get their soft limit raised to what
 * they need, up to the hard limit; when 20,000 streams do not fit under the hard limit, the largest N that
 * does is measured and the table says so.
 *
 * Env: BENCH_SSE_N (streams; default 20,000 or the largest that fits), BENCH_SSE_ROUNDS (default 3).
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
import { fmtInt, fmtPct, fmtRatio, median, printTable, progress } from '../lib/report.ts';

const TARGET_N = 20_000;
const TARGET_RATIO = 1.1;
/** The first this many streams are opened (and timed) on their own. */
const TIMED_OPEN = 10_000;
const HEARTBEAT_SECS = 5;
/** The idle window: CPU is measured over it, and RSS read again at its end (the heartbeats' garbage settled). */
const CPU_WINDOW_MS = 30_000;
const SETTLE_MS = 2000;
const WARMUP_STREAMS = 100;
/** Sockets per holder process. */
const PER_HOLDER = 5000;
/** Streams per session on the gateway (it allows at most 10,000 per session). */
const PER_SESSION = 5000;
/** Files a server needs besides its sockets (listening socket, stdio, epoll, libuv, …). */
const SERVER_FD_MARGIN = 256;

type Server = 'gateway' | 'minimal node:http SSE';

interface Measurement {
  server: Server;
  opened: number;
  /** Seconds to open the first min(N, 10,000) streams. */
  timedOpenSecs: number;
  timedOpened: number;
  rssBefore: number;
  rssOpen: number;
  heapBefore: number;
  heapOpen: number;
  /** RSS at the end of the idle window (CPU_WINDOW_MS of heartbeats after `rssOpen`). */
  rssIdle: number;
  cpu: number;
  eventsPerSec: number;
}

const perStream = (m: Measurement) => (m.rssOpen - m.rssBefore) / m.opened;
const heapPerStream = (m: Measurement) => (m.heapOpen - m.heapBefore) / m.opened;
const idlePerStream = (m: Measurement) => (m.rssIdle - m.rssBefore) / m.opened;

/** Opens `count` streams over holder processes of PER_HOLDER each (all opening at once). */
async function holdStreams(
  urls: string[],
  count: number,
  offset = 0,
): Promise<{ holders: Child[]; opened: number; secs: number }> {
  const holders: Child[] = [];
  const started = performance.now();
  let opened = 0;
  const jobs: Promise<void>[] = [];
  for (let done = 0; done < count; done += PER_HOLDER) {
    const share = Math.min(PER_HOLDER, count - done);
    // Rotate the URLs so each batch spreads over the sessions as one big batch would.
    const rotated = urls.map((_, i) => urls[(i + offset + done) % urls.length]!);
    jobs.push(
      (async () => {
        const holder = await spawnTs(
          'sse holder',
          'bench/clients/sseHolder.ts',
          [JSON.stringify({ urls: rotated, count: share, parallel: 50 })],
          { waitReady: false, nofile: share + SERVER_FD_MARGIN },
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

async function measure(n: number, server: Server, upstreamUrl: string): Promise<Measurement> {
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
    const timed = Math.min(n, TIMED_OPEN);
    progress(`sse: ${server}, opening ${fmtInt(timed)} streams (timed), then ${fmtInt(n - timed)} more`);
    const first = await holdStreams(urls, timed);
    const rest = n > timed ? await holdStreams(urls, n - timed, timed) : { holders: [], opened: 0, secs: 0 };
    const holders = [...first.holders, ...rest.holders];
    try {
      await sleep(SETTLE_MS);
      const rssOpen = rssBytes(child.pid);
      await countEvents(holders);
      const cpu = await cpuShare(child.pid, CPU_WINDOW_MS);
      const rssIdle = rssBytes(child.pid);
      const events = await countEvents(holders);
      const heapOpen = await liveHeap(child);
      return {
        server,
        opened: first.opened + rest.opened,
        timedOpenSecs: first.secs,
        timedOpened: first.opened,
        rssBefore,
        rssOpen,
        heapBefore,
        heapOpen,
        rssIdle,
        cpu,
        eventsPerSec: events / (CPU_WINDOW_MS / 1000),
      };
    } finally {
      await release(holders);
    }
  } finally {
    await child.stop();
  }
}

/** The number of streams to measure, and why when it is not the target's. */
function streamCount(): { n: number; note?: string } {
  const forced = Number(process.env.BENCH_SSE_N);
  const hard = hardNofile();
  if (Number.isInteger(forced) && forced > 0) {
    if (forced + SERVER_FD_MARGIN > hard)
      throw new Error(
        `BENCH_SSE_N=${forced} needs ≥ ${forced + SERVER_FD_MARGIN} open files; the hard limit is ${hard}`,
      );
    return { n: forced, note: `N = ${fmtInt(forced)} (BENCH_SSE_N), target N = ${fmtInt(TARGET_N)}` };
  }
  if (TARGET_N + SERVER_FD_MARGIN <= hard) return { n: TARGET_N };
  const fits = Math.floor((hard - SERVER_FD_MARGIN) / 500) * 500;
  return {
    n: fits,
    note: `N = ${fmtInt(fits)}, not ${fmtInt(TARGET_N)}: RLIMIT_NOFILE hard limit is ${fmtInt(hard)} here (not raisable without CAP_SYS_RESOURCE), a server holding ${fmtInt(TARGET_N)} streams needs ≥ ${fmtInt(TARGET_N + SERVER_FD_MARGIN)} files`,
  };
}

export async function sseCapacityScenario(): Promise<void> {
  const { n, note } = streamCount();
  const rounds = Math.max(1, Number(process.env.BENCH_SSE_ROUNDS ?? 3));
  const upstream = await spawnTs('upstream', 'bench/servers/upstream.ts');
  const upstreamUrl = `http://127.0.0.1:${upstream.ready.port}`;
  const rows: string[][] = [];
  const byServer: Record<Server, Measurement[]> = { gateway: [], 'minimal node:http SSE': [] };
  const ratios: number[] = [];
  const idleRatios: number[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      const order: Server[] =
        round % 2 === 1 ? ['gateway', 'minimal node:http SSE'] : ['minimal node:http SSE', 'gateway'];
      const measured = new Map<Server, Measurement>();
      for (const server of order) {
        progress(`sse: round ${round}/${rounds}, ${server}, N = ${fmtInt(n)}`);
        const m = await measure(n, server, upstreamUrl);
        measured.set(server, m);
        byServer[server].push(m);
      }
      for (const server of ['gateway', 'minimal node:http SSE'] as const) {
        const m = measured.get(server)!;
        rows.push([
          String(round),
          server,
          m.opened === n ? fmtInt(m.opened) : `${fmtInt(m.opened)} of ${fmtInt(n)}`,
          `${m.timedOpenSecs.toFixed(2)}${m.timedOpened === Math.min(n, TIMED_OPEN) ? '' : ` (${fmtInt(m.timedOpened)} opened)`}`,
          (m.rssBefore / 1024 / 1024).toFixed(1),
          (m.rssOpen / 1024 / 1024).toFixed(1),
          (perStream(m) / 1024).toFixed(2),
          (idlePerStream(m) / 1024).toFixed(2),
          (heapPerStream(m) / 1024).toFixed(2),
          fmtPct(m.cpu),
          fmtInt(m.eventsPerSec),
        ]);
      }
      const gateway = measured.get('gateway')!;
      const minimal = measured.get('minimal node:http SSE')!;
      const ratio = perStream(gateway) / perStream(minimal);
      ratios.push(ratio);
      idleRatios.push(idlePerStream(gateway) / idlePerStream(minimal));
      rows.push([
        String(round),
        '**gateway ÷ minimal**',
        '',
        fmtRatio(gateway.timedOpenSecs / minimal.timedOpenSecs),
        '',
        fmtRatio(gateway.rssOpen / minimal.rssOpen),
        `**${fmtRatio(ratio)}**`,
        fmtRatio(idlePerStream(gateway) / idlePerStream(minimal)),
        fmtRatio(heapPerStream(gateway) / heapPerStream(minimal)),
        fmtRatio(gateway.cpu / minimal.cpu),
        '',
      ]);
    }
    const med = (server: Server, f: (m: Measurement) => number) => median(byServer[server].map(f));
    for (const server of ['gateway', 'minimal node:http SSE'] as const)
      rows.push([
        'median',
        server,
        '',
        med(server, (m) => m.timedOpenSecs).toFixed(2),
        (med(server, (m) => m.rssBefore) / 1024 / 1024).toFixed(1),
        (med(server, (m) => m.rssOpen) / 1024 / 1024).toFixed(1),
        (med(server, perStream) / 1024).toFixed(2),
        (med(server, idlePerStream) / 1024).toFixed(2),
        (med(server, heapPerStream) / 1024).toFixed(2),
        fmtPct(med(server, (m) => m.cpu)),
        '',
      ]);
    const medianRatio = median(ratios);
    rows.push([
      'median',
      '**gateway ÷ minimal**',
      '',
      '',
      '',
      '',
      `**${fmtRatio(medianRatio)}**`,
      `**${fmtRatio(median(idleRatios))}**`,
      '',
      '',
      '',
    ]);
    const notes = [
      `target: gateway RSS per idle stream ≤ ${TARGET_RATIO}× the minimal server's at ${fmtInt(TARGET_N)} streams — ${SETTLE_MS / 1000} s after opening: ${medianRatio <= TARGET_RATIO ? 'met' : 'MISSED'}, median ${fmtRatio(medianRatio)} over ${rounds} round(s) (each ${ratios.map(fmtRatio).join(', ')}); after ${CPU_WINDOW_MS / 1000} s idle: ${median(idleRatios) <= TARGET_RATIO ? 'met' : 'MISSED'}, median ${fmtRatio(median(idleRatios))} (each ${idleRatios.map(fmtRatio).join(', ')})`,
      ...(note ? [note] : []),
      `RSS from /proc/<pid>/status after ${SETTLE_MS / 1000} s idle; per stream = (RSS with N − RSS after a ${WARMUP_STREAMS}-stream warm-up) ÷ N (the figure of the issue's "today"); after ${CPU_WINDOW_MS / 1000} s idle: the same with RSS read at the end of ${CPU_WINDOW_MS / 1000} s of heartbeats (both heaps settled: the handshakes' garbage, and the heartbeats' on both servers); heap per stream: V8 heapUsed + external right after a full GC (bench-only preload, --expose-gc), likewise; CPU over ${CPU_WINDOW_MS / 1000} s idle, share of one core; heartbeats every ${HEARTBEAT_SECS} s on both; a fresh server process per round and server`,
      `open ${fmtInt(Math.min(n, TIMED_OPEN))}: wall time to open the first ${fmtInt(Math.min(n, TIMED_OPEN))} streams, from holder processes of ${fmtInt(PER_HOLDER)} opening 50 at a time each (process start included); the gateway validates each stream's session (${fmtInt(PER_SESSION)} streams per session) and claims a client id`,
    ];
    printTable({
      title: `SSE capacity: ${fmtInt(n)} idle streams with heartbeats, gateway vs a minimal node:http SSE server`,
      columns: [
        'round',
        'server',
        'opened',
        `open ${fmtInt(Math.min(n, TIMED_OPEN))} s`,
        'RSS before MiB',
        'RSS with N MiB',
        'KB per stream',
        `KB per stream after ${CPU_WINDOW_MS / 1000} s idle`,
        'heap KB per stream',
        'CPU idle',
        'events/s',
      ],
      rows,
      notes,
    });
  } finally {
    await upstream.stop();
  }
}
