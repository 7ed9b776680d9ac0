/**
 * @module bench/run
 * `npm run bench` runs every scenario; `npm run bench -- proxy auth` runs those; `npm run bench -- pipeline`
 * runs the request-pipeline set (routes, executes, callback, startup). Each scenario starts
 * what it needs on loopback, measures the gateway and its baseline alternately in the same run, and
 * prints one Markdown table on stdout (progress goes to stderr).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { describeLaunch } from './lib/gateway.ts';
import { referenceBinary } from './lib/reference.ts';
import { authScenario } from './scenarios/auth.ts';
import { callbackScenario } from './scenarios/callback.ts';
import { executesScenario } from './scenarios/executes.ts';
import { fanoutScenario } from './scenarios/fanout.ts';
import { proxyScenario } from './scenarios/proxy.ts';
import { replicasScenario } from './scenarios/replicas.ts';
import { routesScenario } from './scenarios/routes.ts';
import { sseCapacityScenario } from './scenarios/sseCapacity.ts';
import { startupScenario } from './scenarios/startup.ts';
import { tracingScenario } from './scenarios/tracing.ts';

const SCENARIOS: Record<string, { about: string; run: () => Promise<void> }> = {
  proxy: { about: 'GET /noetl/echo vs the upstream directly and nginx proxy_pass', run: proxyScenario },
  auth: { about: 'authenticated requests, warm session vs auth bypass', run: authScenario },
  routes: {
    about: 'POST /api/auth/validate and /graphql {health}: req/s and CPU µs/request vs bare node:http',
    run: routesScenario,
  },
  executes: {
    about: '20,000 executes with a client_id on one session: throughput and linearity vs bare node:http',
    run: executesScenario,
  },
  callback: {
    about: 'execute → callback → playbook/result frame vs bare node:http + SSE',
    run: callbackScenario,
  },
  startup: {
    about: 'cold start (spawn → /health 200) and idle RSS vs a minimal node:http',
    run: startupScenario,
  },
  replicas: { about: 'the same across 2 replicas on NATS vs one process', run: replicasScenario },
  sse: { about: 'N idle SSE connections vs a minimal Node SSE server', run: sseCapacityScenario },
  fanout: { about: 'one NATS lifecycle event to 1k subscribed clients', run: fanoutScenario },
  tracing: {
    about:
      'CPU µs/request, start and RSS with tracing off vs on (OTLP export), with and without a caller traceparent',
    run: tracingScenario,
  },
};

function machine(): string {
  let model = cpus()[0]?.model ?? 'unknown';
  try {
    model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? model;
  } catch {
    // not Linux
  }
  const memGiB =
    Number(/^MemTotal:\s+(\d+)/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) / 1024 / 1024;
  return `${cpus().length} cores (${model}), ${memGiB.toFixed(0)} GiB, Node ${process.version}, ${process.platform} ${process.arch}`;
}

/** Names that stand for several scenarios. */
const GROUPS: Record<string, string[]> = {
  pipeline: ['routes', 'executes', 'callback', 'startup'],
};

const wanted = process.argv
  .slice(2)
  .filter((arg) => !arg.startsWith('-'))
  .flatMap((arg) => GROUPS[arg] ?? [arg]);
const unknown = wanted.filter((name) => !(name in SCENARIOS));
if (unknown.length) {
  console.error(`unknown scenario: ${unknown.join(', ')}\navailable:`);
  for (const [name, { about }] of Object.entries(SCENARIOS)) console.error(`  ${name.padEnd(9)} ${about}`);
  process.exit(2);
}
const names = wanted.length ? wanted : Object.keys(SCENARIOS);

console.log(
  `# NoETL Gateway benchmarks\n\nmachine: ${machine()}\nstarted: ${new Date().toISOString()}\n${describeLaunch()}${referenceBinary() ? `\nreference: ${referenceBinary()}` : ''}`,
);
const started = performance.now();
let failed = 0;
for (const name of names) {
  const scenarioStart = performance.now();
  process.stderr.write(`▶ ${name}: ${SCENARIOS[name]!.about}\n`);
  try {
    await SCENARIOS[name]!.run();
  } catch (error) {
    failed++;
    console.log(
      `\n### ${name}\n\nFAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.stderr.write(`  ${name} took ${((performance.now() - scenarioStart) / 1000).toFixed(0)} s\n`);
}
console.log(`\ntotal: ${((performance.now() - started) / 1000).toFixed(0)} s`);
process.exit(failed ? 1 : 0);
