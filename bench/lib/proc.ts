/**
 * @module bench/lib/proc
 * Child processes of a benchmark: every server under test and every load generator runs in its own
 * process (never in the one that measures). TypeScript children run as `node --import tsx <file>`, so
 * the pid is the process doing the work (the tsx CLI would add a wrapper process). Children print one
 * `READY <json>` line on stdout once they serve; `/proc` gives their RSS and CPU time.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { get as httpGet } from 'node:http';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { gatewayLaunch } from './gateway.ts';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const BENCH = join(ROOT, 'bench');

const running = new Set<ChildProcess>();
function killAll(): void {
  for (const child of running) child.kill('SIGKILL');
}
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

export interface Child {
  name: string;
  pid: number;
  process: ChildProcess;
  /** The JSON after `READY ` (or `{}` when the child is only waited for on a port). */
  ready: Record<string, unknown>;
  /** Last lines of stderr, for a failure message. */
  stderrTail(): string;
  /** Resolves with the next stdout line that starts with `prefix` (the prefix removed). */
  line(prefix: string, timeoutMs: number): Promise<string>;
  /** Writes a line to the child's stdin. */
  send(line: string): void;
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  env?: Record<string, string | undefined>;
  /** Raise the soft RLIMIT_NOFILE of the child to this (capped by the hard limit). */
  nofile?: number;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeFlags?: string[];
  /** Wait for `READY <json>` on stdout (default) or not at all. */
  waitReady?: boolean;
  readyTimeoutMs?: number;
  cwd?: string;
}

/** The hard limit of open files this process (and so its children) can go up to. */
export function hardNofile(): number {
  const text = execFileSync('/bin/sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).trim();
  return text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text);
}

export function softNofile(): number {
  const text = execFileSync('/bin/sh', ['-c', 'ulimit -Sn'], { encoding: 'utf8' }).trim();
  return text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text);
}

/** Runs a command (node script, nginx, …) as a child and waits for it to be ready. */
export async function spawnCommand(
  name: string,
  command: string,
  args: string[],
  options: SpawnOptions = {},
): Promise<Child> {
  let file = command;
  let argv = args;
  if (options.nofile !== undefined) {
    const limit = Math.min(options.nofile, hardNofile());
    // `exec` keeps the pid: the shell becomes the command.
    file = '/bin/sh';
    argv = ['-c', `ulimit -n ${limit} 2>/dev/null; exec "$@"`, 'sh', command, ...args];
  }
  const child = spawn(file, argv, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  running.add(child);
  const exited = new Promise<number | null>((resolveExit) =>
    child.once('exit', (code) => {
      running.delete(child);
      resolveExit(code);
    }),
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const lines: string[] = [];
  const waiting = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (text) => {
    lines.push(text);
    if (lines.length > 200) lines.shift();
    for (const wake of waiting) wake();
  });
  const line = (prefix: string, timeoutMs: number) =>
    new Promise<string>((resolveLine, reject) => {
      const check = () => {
        const index = lines.findIndex((text) => text.startsWith(prefix));
        if (index < 0) return false;
        const [found] = lines.splice(index, 1);
        finish();
        resolveLine(found!.slice(prefix.length).trim());
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`${name}: no "${prefix}" line within ${timeoutMs} ms\n${stderr}`));
      }, timeoutMs);
      const onExit = () => {
        if (check()) return;
        finish();
        reject(new Error(`${name} exited before printing "${prefix}"\n${stderr}`));
      };
      const finish = () => {
        clearTimeout(timer);
        waiting.delete(wake);
        child.off('exit', onExit);
      };
      const wake = () => void check();
      if (check()) return;
      waiting.add(wake);
      child.once('exit', onExit);
    });
  const handle: Child = {
    name,
    pid: child.pid ?? -1,
    process: child,
    ready: {},
    stderrTail: () => stderr,
    line,
    send: (text) => void child.stdin?.write(`${text}\n`),
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
  if (options.waitReady !== false) {
    const text = await line('READY', options.readyTimeoutMs ?? 20_000);
    handle.ready = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  }
  return handle;
}

/** A TypeScript file of bench/ (or src/) run by Node 24 with the tsx loader. */
export function spawnTs(name: string, file: string, args: string[] = [], options: SpawnOptions = {}) {
  return spawnCommand(
    name,
    process.execPath,
    [...(options.nodeFlags ?? []), '--import', 'tsx', resolve(ROOT, file), ...args],
    options,
  );
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Polls `url` until it answers 2xx. */
export async function waitHttp(url: string, timeoutMs = 20_000, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not yet
    }
    if (child && child.process.exitCode !== null)
      throw new Error(`${child.name} exited while starting:\n${child.stderrTail()}`);
    if (Date.now() > deadline)
      throw new Error(`${url} not ready after ${timeoutMs} ms\n${child?.stderrTail() ?? ''}`);
    await sleep(100);
  }
}

export interface GatewayProcess extends Child {
  url: string;
  port: number;
  /** How it was started (bench/lib/gateway.ts), e.g. `node dist/main.js`. */
  how: string;
  /** From spawn to the first `/health` 200, in ms (polled every few ms). */
  startMs: number;
}

/** Settings every benchmark gateway gets: quiet logs, no login rate limit, no per-session caps. */
export const BENCH_GATEWAY_ENV: Record<string, string> = {
  LOG_LEVEL: 'warn',
  GATEWAY_BIND: '127.0.0.1',
  GATEWAY_LOGIN_RATE_LIMIT_PER_MIN: '100000',
  GATEWAY_MAX_PENDING_PER_SESSION: '1000000',
  GATEWAY_MAX_SSE_PER_SESSION: '10000',
  GATEWAY_MAX_SSE_CONNECTIONS: '100000',
  NOETL_INTERNAL_API_TOKEN: '',
  NODE_ENV: 'production',
  GATEWAY_SHUTDOWN_GRACE_SECS: '2',
};

/** Polls `url` every `everyMs` over fresh connections until it answers 200; resolves with the time it did. */
export async function waitHealthy(
  url: string,
  timeoutMs: number,
  child: Child,
  everyMs = 5,
): Promise<number> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((done) => {
      const req = httpGet(url, { agent: false, timeout: 1000 }, (res) => {
        res.resume();
        res.once('end', () => done(res.statusCode === 200));
      });
      req.once('error', () => done(false));
      req.once('timeout', () => req.destroy());
    });
    if (ok) return performance.now();
    if (child.process.exitCode !== null || child.process.signalCode !== null)
      throw new Error(`${child.name} exited while starting:\n${child.stderrTail()}`);
    if (performance.now() > deadline)
      throw new Error(`${url} not ready after ${timeoutMs} ms\n${child.stderrTail()}`);
    await sleep(everyMs);
  }
}

/**
 * The gateway in its own process, started the production way (bench/lib/gateway.ts: `node dist/main.js`,
 * or from source until it is built), ready once `/health` answers 200. With BENCH_CPU_PROF=<dir> every
 * gateway writes a V8 CPU profile there when it stops (`--cpu-prof`).
 */
export async function startGatewayProcess(
  name: string,
  env: Record<string, string>,
  options: Omit<SpawnOptions, 'env' | 'waitReady'> = {},
): Promise<GatewayProcess> {
  const port = await freePort();
  const profileDir = process.env.BENCH_CPU_PROF;
  const launch = gatewayLaunch([
    ...(options.nodeFlags ?? []),
    ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${resolve(profileDir)}`] : []),
  ]);
  const spawned = performance.now();
  const child = await spawnCommand(name, launch.command, launch.args, {
    ...options,
    cwd: launch.cwd,
    env: { ...BENCH_GATEWAY_ENV, ...env, ROUTER_PORT: String(port) },
    waitReady: false,
  });
  const url = `http://127.0.0.1:${port}`;
  let startMs: number;
  try {
    startMs = (await waitHealthy(`${url}/health`, 30_000, child)) - spawned;
  } catch (error) {
    await child.stop();
    throw error;
  }
  return Object.assign(child, { url, port, how: launch.how, startMs });
}

// ---- /proc ---------------------------------------------------------------------------------------

/** Resident set size of one process in bytes (VmRSS), 0 when it is gone. */
export function rssBytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

function childrenOf(pid: number): number[] {
  const result: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const text = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
      if (text) result.push(...text.split(/\s+/).map(Number));
    }
  } catch {
    // gone
  }
  return result;
}

/** The process and all its descendants (nginx: master + workers). */
export function processTree(pid: number): number[] {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childrenOf(all[i]!));
  return all;
}

export function treeRssBytes(pid: number): number {
  return processTree(pid).reduce((sum, each) => sum + rssBytes(each), 0);
}

const CLOCK_TICKS = 100; // getconf CLK_TCK on Linux

/** CPU time (user + system) of a process and its descendants, in seconds. */
export function cpuSeconds(pid: number): number {
  let ticks = 0;
  for (const each of processTree(pid)) {
    try {
      const stat = readFileSync(`/proc/${each}/stat`, 'utf8');
      // Fields after the `(comm)`: state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return ticks / CLOCK_TICKS;
}

/** CPU use of `pid` over a window: share of one core (1.0 = one core busy). */
export async function cpuShare(pid: number, windowMs: number): Promise<number> {
  const before = cpuSeconds(pid);
  const start = performance.now();
  await sleep(windowMs);
  return (cpuSeconds(pid) - before) / ((performance.now() - start) / 1000);
}
