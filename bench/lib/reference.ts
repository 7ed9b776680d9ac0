/**
 * @module bench/lib/reference
 * The Rust reference gateway (public source: github.com/noetl/gateway) as an optional second baseline.
 * With BENCH_REFERENCE_BIN=<path to its release binary> (v2.11.x: it needs NATS, started here on a free
 * port), the route and startup scenarios start it the same way as ours and report it beside ours. Without
 * it they print the reference figures measured for the issue (v3.12.1 release build, same kind of machine).
 * Never built or downloaded by the bench.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NatsServer } from '../../test/support/natsServer.ts';
import { type Child, freePort, type GatewayProcess, spawnCommand, waitHealthy } from './proc.ts';

/** Measured for the issue: Rust reference v3.12.1, release build, 3 rounds, medians. */
export const REFERENCE = {
  validate: { rps: 35_900, cpuUs: 28 },
  graphqlHealth: { rps: 28_800, cpuUs: 35 },
  executes: { count: 20_000, secs: 3.4 },
  callbackP99Ms: [1.7, 1.6, 3.3],
  idleRssMiB: 16,
  coldStartMs: 82,
  source: 'Rust reference v3.12.1 (release build), figures from the issue — not measured in this run',
} as const;

/** The pipeline targets, printed next to the figures. */
export const TARGETS = {
  jsonCpuUs: 35,
  callbackP99Ms: 2,
  callbackRate: 2000,
  executesPerSec: 5000,
  idleRssMiB: 80,
} as const;

export function referenceBinary(): string | undefined {
  return process.env.BENCH_REFERENCE_BIN || undefined;
}

export interface ReferenceProcess extends GatewayProcess {
  nats: NatsServer;
}

/**
 * Starts the reference binary (v2.11.x environment names) against `noetlUrl`, with its own nats-server,
 * in an empty working directory (it reads `.env` from there). Ready once `/health` answers 200.
 */
export async function startReference(name: string, noetlUrl: string): Promise<ReferenceProcess> {
  const binary = referenceBinary();
  if (!binary) throw new Error('BENCH_REFERENCE_BIN is not set');
  const nats = await NatsServer.start();
  const port = await freePort();
  const cwd = await mkdtemp(join(tmpdir(), 'bench-reference-'));
  const spawned = performance.now();
  let child: Child | undefined;
  try {
    child = await spawnCommand(name, binary, [], {
      cwd,
      waitReady: false,
      env: {
        ROUTER_PORT: String(port),
        GATEWAY_BIND: '127.0.0.1',
        NOETL_BASE_URL: noetlUrl,
        NATS_URL: nats.url,
        RUST_LOG: 'warn',
        LOG_LEVEL: 'warn',
      },
    });
    const url = `http://127.0.0.1:${port}`;
    const startMs = (await waitHealthy(`${url}/health`, 30_000, child)) - spawned;
    const stop = child.stop;
    return Object.assign(child, {
      url,
      port,
      how: binary,
      startMs,
      nats,
      async stop() {
        await stop();
        await nats.close();
      },
    });
  } catch (error) {
    await child?.stop();
    await nats.close();
    throw error;
  }
}
