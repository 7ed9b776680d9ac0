/**
 * `npm start` (scripts/start.mjs): builds dist/ when it is missing or stale, runs the compiled gateway in one
 * Node process under npm, and a SIGTERM sent to npm (what a process manager does) stops that process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, expect, test } from 'vitest';
import { freePort } from '../support/ports.ts';

let npm: ChildProcess | undefined;
let gatewayPid: number | undefined;
afterAll(() => {
  for (const pid of [gatewayPid, npm?.pid]) {
    try {
      if (pid) process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('npm start runs the compiled gateway; SIGTERM to npm stops it and frees the port', async () => {
  const port = await freePort();
  npm = spawn('npm', ['start'], {
    cwd: new URL('../../', import.meta.url),
    env: { ...process.env, ROUTER_PORT: String(port), GATEWAY_BIND: '127.0.0.1', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = once(npm, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  let output = '';
  npm.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const lines = createInterface({ input: npm.stdout! });
  let listening: { pid: number; port: number } | undefined;
  for await (const line of lines) {
    output += `${line}\n`;
    if (!line.includes('NoETL gateway listening')) continue;
    listening = JSON.parse(line) as { pid: number; port: number };
    break;
  }
  expect(listening, output).toBeDefined();
  gatewayPid = listening!.pid;
  expect(listening!.port).toBe(port);
  expect(gatewayPid).not.toBe(npm.pid);
  expect(existsSync(new URL('../../dist/main.js', import.meta.url))).toBe(true);
  // Keep reading, so the gateway never blocks on a full pipe.
  lines.on('line', (line) => {
    output += `${line}\n`;
  });

  const health = await fetch(`http://127.0.0.1:${port}/health`);
  expect(health.status).toBe(200);
  expect(await health.text()).toBe('ok');

  npm.kill('SIGTERM');
  const [code] = await exited;
  expect(code, output).toBe(0);
  // npm exits after its child: the gateway process is gone, not orphaned.
  expect(alive(gatewayPid), output).toBe(false);
  expect(output).toContain('"msg":"stopped"');
  const socket = connect(port, '127.0.0.1');
  const [error] = (await once(socket, 'error')) as [NodeJS.ErrnoException];
  expect(error.code).toBe('ECONNREFUSED');
}, 120_000);
