/**
 * `npm run fuzz`: schemathesis (PyPI) against the OpenAPI document of a live gateway in front of the
 * NoETL double — every REST operation, positive and negative cases, all checks (no 5xx, responses match
 * their schemas, invalid input rejected, valid input accepted). Needs `schemathesis` on PATH (.ci/run
 * installs it). Exits with schemathesis's code.
 */
import { spawn } from 'node:child_process';
import { startStack } from '../test/support/stack.ts';

const stack = await startStack({ GATEWAY_LOGIN_RATE_LIMIT_PER_MIN: '100000' });
const { url } = stack;
const token = await stack.login('fuzzer');

const examples = process.env.FUZZ_MAX_EXAMPLES ?? '50';
const args = [
  '--config-file',
  new URL('./schemathesis.toml', import.meta.url).pathname,
  'run',
  `${url}/openapi.json`,
  '--url',
  url,
  '--header',
  `Authorization: Bearer ${token}`,
  // /events is an endless stream: its frames are covered by the integration tests and the client's validation.
  '--exclude-path',
  '/events',
  '--checks',
  'all',
  '--max-examples',
  examples,
  // One worker: hypothesis describes its strategies with Python's `ast`, which is not thread-safe on the
  // Python 3.11 here (an "AST constructor recursion depth mismatch" runtime error with two).
  '--workers',
  '1',
  '--seed',
  process.env.FUZZ_SEED ?? '20261124',
  '--no-color',
];
const child = spawn('schemathesis', args, { stdio: 'inherit' });
const code: number = await new Promise((resolve) => {
  child.on('exit', (exitCode) => resolve(exitCode ?? 1));
  child.on('error', (error) => {
    console.error(`cannot run schemathesis: ${error.message} (pip install schemathesis)`);
    resolve(1);
  });
});
await stack.stop();
process.exit(code);
