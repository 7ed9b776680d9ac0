import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, expect, test } from 'vitest';
import { NoetlDouble } from '../support/noetlDouble.ts';
import { freePort } from '../support/ports.ts';
import { SseTestClient } from '../support/sseClient.ts';

let child: ChildProcess | undefined;
let noetl: NoetlDouble | undefined;
afterAll(async () => {
  child?.kill('SIGKILL');
  await noetl?.stop();
});

test('SIGTERM: the in-flight request completes, the stream ends with a retry hint, the process exits 0 in time', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  noetl = await new NoetlDouble({ gatewayUrl: url }).start();
  child = spawn('node_modules/.bin/tsx', ['src/main.ts'], {
    env: {
      ...process.env,
      ROUTER_PORT: String(port),
      GATEWAY_BIND: '127.0.0.1',
      NOETL_BASE_URL: noetl.url,
      GATEWAY_SHUTDOWN_GRACE_SECS: '5',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  await expect
    .poll(
      () =>
        fetch(`${url}/health`)
          .then((r) => r.status)
          .catch(() => 0),
      { timeout: 15_000, interval: 100 },
    )
    .toBe(200);

  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{"auth0_token":"valid-zed"}',
  });
  const { session_token: token } = (await login.json()) as { session_token: string };
  const events = await SseTestClient.connect(`${url}/events?session_token=${token}`);
  await events.waitForEvent('message');

  noetl.executeDelayMs = 1500;
  const inFlight = fetch(`${url}/api/playbooks/execute`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: '{"path":"demo/slow"}',
  });
  await new Promise((resolve) => setTimeout(resolve, 300));
  const signalled = Date.now();
  child.kill('SIGTERM');

  const response = await inFlight;
  expect(response.status).toBe(200);
  await events.waitForEnd(5000);
  expect(events.retry).toBe(1000); // the hint written as the stream ends
  const [code] = (await once(child, 'exit')) as [number | null];
  expect(code, output).toBe(0);
  expect(Date.now() - signalled).toBeLessThan(5000);
  child = undefined;
}, 30_000);
