/**
 * @module bench/lib/gateway
 * How the benchmarks start the gateway: the production way. `npm start` runs compiled JavaScript
 * (`node dist/main.js`, built by `npm run build`); until dist/ exists — or when it is older than src/ —
 * the gateway runs from source (`node --import tsx src/main.ts`: one process, as tsx's CLI would run it
 * minus its wrapper process). Every scenario prints which one it used.
 *
 * BENCH_GATEWAY_ROOT=<dir> runs the gateway of another checkout (e.g. `git archive <commit>` unpacked with
 * a node_modules link), to compare two versions with the same bench code.
 * BENCH_GATEWAY_START=dist|tsx forces one way.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from './proc.ts';

export interface GatewayLaunch {
  /** e.g. `node dist/main.js`. */
  how: string;
  command: string;
  args: string[];
  cwd: string;
  /** Why the other way was not taken, when that matters (stale dist/). */
  note?: string;
}

export function gatewayRoot(): string {
  return resolve(process.env.BENCH_GATEWAY_ROOT ?? ROOT);
}

/** Newest modification time (ms) of the .ts files under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The command that starts the gateway of `gatewayRoot()` the production way. */
export function gatewayLaunch(nodeFlags: string[] = []): GatewayLaunch {
  const cwd = gatewayRoot();
  const forced = process.env.BENCH_GATEWAY_START;
  const dist = join(cwd, 'dist/main.js');
  const fromSource: GatewayLaunch = {
    how: 'node --import tsx src/main.ts',
    command: process.execPath,
    args: [...nodeFlags, '--import', 'tsx', join(cwd, 'src/main.ts')],
    cwd,
  };
  if (forced === 'tsx') return { ...fromSource, note: 'BENCH_GATEWAY_START=tsx' };
  if (!existsSync(dist)) {
    if (forced === 'dist')
      throw new Error(`BENCH_GATEWAY_START=dist but ${dist} does not exist (npm run build)`);
    return { ...fromSource, note: 'no dist/main.js' };
  }
  const compiled: GatewayLaunch = {
    how: 'node dist/main.js',
    command: process.execPath,
    args: [...nodeFlags, dist],
    cwd,
  };
  if (forced === 'dist') return compiled;
  if (newestSource(join(cwd, 'src')) > statSync(dist).mtimeMs)
    return { ...fromSource, note: 'dist/main.js is older than src/ (run npm run build)' };
  return compiled;
}

/** One line for a table's notes: which gateway ran, and how it was started. */
export function describeLaunch(launch: GatewayLaunch = gatewayLaunch()): string {
  const where = launch.cwd === ROOT ? '' : ` in ${launch.cwd}`;
  return `gateway started as \`${launch.how}\`${where}${launch.note ? ` (${launch.note})` : ''}`;
}
