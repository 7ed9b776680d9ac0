/**
 * `tsx scripts/serve-for-tests.ts`: gateways in front of the NoETL test double, for test suites written
 * outside this TypeScript project (the Python client's pytest). Prints one JSON line on stdout once both
 * listen, then runs until SIGTERM/SIGINT or until stdin closes (so a killed test runner leaves nothing):
 *
 *   {"completing": {"url", "internalToken"}, "silent": {"url", "internalToken"}}
 *
 * - `completing`: the double plays the worker: every playbook started through the gateway posts a
 *   `playbook/progress` and then a `playbook/result` by itself (`COMPLETION_MS` later, default 200).
 * - `silent`: nothing completes; the test plays the worker and posts `/api/internal/progress` and
 *   `/api/internal/callback/async` with `Authorization: Bearer <internalToken>` when it wants frames.
 *
 * Both are single-listener, embedded-store gateways on free loopback ports whose `/api/internal/*` require
 * the internal bearer, with a short SSE `retry:` (100 ms) so clients reconnect quickly, a ping every second
 * (so a client notices a silent connection within seconds), and logs silenced (`LOG_LEVEL` overrides).
 */
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { loadConfig } from '../src/config.ts';
import { type RunningGateway, startGateway } from '../src/main.ts';
import { NoetlDouble } from '../test/support/noetlDouble.ts';
import { freePort } from '../test/support/ports.ts';

interface Stack {
  gateway: RunningGateway;
  noetl: NoetlDouble;
  internalToken: string;
}

const logLevel = process.env.LOG_LEVEL ?? 'silent';

async function startStack(autoCompleteMs: number | undefined): Promise<Stack> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const internalToken = randomBytes(16).toString('hex');
  const noetl = await new NoetlDouble({
    gatewayUrl: url,
    internalToken,
    ...(autoCompleteMs === undefined ? {} : { autoCompleteMs }),
  }).start();
  const gateway = await startGateway(
    loadConfig({
      ROUTER_PORT: String(port),
      GATEWAY_BIND: '127.0.0.1',
      GATEWAY_PUBLIC_URL: url,
      NOETL_BASE_URL: noetl.url,
      NOETL_INTERNAL_API_TOKEN: internalToken,
      GATEWAY_REQUIRE_INTERNAL_TOKEN: 'true',
      GATEWAY_SSE_RETRY_MS: '100',
      GATEWAY_HEARTBEAT_INTERVAL_SECS: '1',
      GATEWAY_LOGIN_RATE_LIMIT_PER_MIN: '100000',
      LOG_LEVEL: logLevel,
    }),
    pino({ level: logLevel }),
  );
  return { gateway, noetl, internalToken };
}

const completionMs = Number(process.env.COMPLETION_MS ?? 200);
const stacks = { completing: await startStack(completionMs), silent: await startStack(undefined) };

console.log(
  JSON.stringify(
    Object.fromEntries(
      Object.entries(stacks).map(([name, stack]) => [
        name,
        { url: stack.gateway.url, internalToken: stack.internalToken },
      ]),
    ),
  ),
);

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  for (const { gateway, noetl } of Object.values(stacks)) {
    await gateway.stop(0);
    await noetl.stop();
  }
  process.exit(0);
}
process.once('SIGINT', () => void stop());
process.once('SIGTERM', () => void stop());
// The parent holds our stdin open; its end means the parent is gone.
process.stdin.on('end', () => void stop());
process.stdin.resume();
