/**
 * @module bench/lib/autocannon
 * autocannon 9 in its own process (`--json`), never in the process under test or the one that
 * measures. Its latencies are whole milliseconds (its histogram's resolution); the fixed-rate probe in
 * `bench/clients/latency.ts` measures to the microsecond.
 */
import { join } from 'node:path';
import { ROOT, spawnCommand } from './proc.ts';

export interface LoadOptions {
  url: string;
  connections: number;
  durationSecs: number;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
}

const AUTOCANNON = join(ROOT, 'node_modules/autocannon/autocannon.js');

export async function autocannon(options: LoadOptions): Promise<LoadResult> {
  const args = [
    AUTOCANNON,
    '--json',
    '--no-progress',
    '-c',
    String(options.connections),
    '-d',
    String(options.durationSecs),
    '-m',
    options.method ?? 'GET',
  ];
  for (const [key, value] of Object.entries(options.headers ?? {})) args.push('-H', `${key}=${value}`);
  if (options.body !== undefined) args.push('-b', options.body);
  args.push(options.url);
  const child = await spawnCommand('autocannon', process.execPath, args, { waitReady: false });
  // The report is one JSON line on stdout.
  const json = await child.line('{', (options.durationSecs + 30) * 1000);
  await child.exited;
  const parsed = JSON.parse(`{${json}`) as {
    requests: { average: number; total: number };
    latency: { p50: number; p99: number };
    non2xx: number;
    errors: number;
    timeouts: number;
  };
  return {
    rps: parsed.requests.average,
    p50: parsed.latency.p50,
    p99: parsed.latency.p99,
    total: parsed.requests.total,
    non2xx: parsed.non2xx,
    errors: parsed.errors + parsed.timeouts,
  };
}
