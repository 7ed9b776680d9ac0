/**
 * Issue 13, item 6: a newcomer's first minute. `/` answers a JSON index; the start log says where the API
 * reference is; a busy port is one line on stderr naming the variable to change, and a non-zero exit (no
 * `EADDRINUSE` stack); `/ready` says in one line what is down and why, without an address; the version is
 * reported in the reference's line everywhere a client reads it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { ListenError } from '../../src/http/listenError.ts';
import { startGateway } from '../../src/main.ts';
import { freePort } from '../support/ports.ts';
import { type Stack, startStack } from '../support/stack.ts';

const root = new URL('../../', import.meta.url);
const packageVersion = (
  JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string }
).version;

/** The gateway as `node src/main.ts` runs it (tsx as a loader), with `env` over a quiet default. */
function gatewayProcess(env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: root,
    env: { ...process.env, GATEWAY_BIND: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the gateway until it exits by itself; its exit code and what it wrote. */
async function runToExit(env: Record<string, string>) {
  const child = gatewayProcess(env);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stdout, stderr };
}

async function occupy(): Promise<{ server: Server; port: number }> {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { server, port };
}

describe('a busy port', () => {
  let busy: { server: Server; port: number };
  beforeAll(async () => {
    busy = await occupy();
  });
  afterAll(() => new Promise<void>((resolve) => busy.server.close(() => resolve())));

  test('ROUTER_PORT taken: one line naming ROUTER_PORT on stderr, exit 1, no stack', async () => {
    const { code, stderr } = await runToExit({ ROUTER_PORT: String(busy.port) });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n'), stderr).toEqual([
      `noetl-gateway: port ${busy.port} on 127.0.0.1 is already in use: set ROUTER_PORT to a free port (or stop what listens there)`,
    ]);
    expect(stderr).not.toMatch(/EADDRINUSE|\n\s+at /);
  }, 30_000);

  test('GATEWAY_INTERNAL_PORT taken: the line names GATEWAY_INTERNAL_PORT', async () => {
    const publicPort = await freePort();
    const { code, stderr } = await runToExit({
      ROUTER_PORT: String(publicPort),
      GATEWAY_INTERNAL_PORT: String(busy.port),
    });
    expect(code).toBe(1);
    expect(stderr.trim().split('\n'), stderr).toEqual([
      `noetl-gateway: port ${busy.port} on 127.0.0.1 is already in use: set GATEWAY_INTERNAL_PORT to a free port (or stop what listens there)`,
    ]);
  }, 30_000);

  test('in process: startGateway rejects with a ListenError and releases what it opened', async () => {
    const config = loadConfig({
      ROUTER_PORT: String(busy.port),
      GATEWAY_BIND: '127.0.0.1',
      LOG_LEVEL: 'silent',
    });
    const started = startGateway(config);
    await expect(started).rejects.toBeInstanceOf(ListenError);
    await expect(started).rejects.toThrow(/set ROUTER_PORT to a free port/);
    // Nothing was left listening: the same port is still the other server's, and a second attempt fails alike.
    await expect(startGateway(config)).rejects.toBeInstanceOf(ListenError);
  });
});

test('the start log says where the API reference is', async () => {
  const port = await freePort();
  const child = gatewayProcess({ ROUTER_PORT: String(port), LOG_LEVEL: 'info' });
  try {
    let listening: { msg: string; url: string; docs: string } | undefined;
    for await (const line of createInterface({ input: child.stdout! })) {
      if (!line.includes('NoETL gateway listening')) continue;
      listening = JSON.parse(line) as typeof listening;
      break;
    }
    const url = `http://127.0.0.1:${port}`;
    expect(listening).toMatchObject({ url, docs: `${url}/docs` });
    expect(listening?.msg).toContain(`API reference: ${url}/docs`);
    const docs = await fetch(listening!.docs);
    expect(docs.status).toBe(200);
    expect(docs.headers.get('content-type')).toMatch(/^text\/html/);
  } finally {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
}, 30_000);

describe('with NoETL running', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());

  test('`/` is a JSON index: name, version, where to go', async () => {
    const response = await fetch(`${stack.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const index = (await response.json()) as { name: string; version: string; links: Record<string, string> };
    expect(index).toMatchObject({
      name: 'NoETL Gateway',
      version: packageVersion,
      links: { docs: '/docs', openapi: '/openapi.json', health: '/health', ready: '/ready' },
    });
    for (const link of Object.values(index.links).filter((path) => path !== '/events')) {
      expect((await fetch(`${stack.url}${link}`)).status, link).toBe(200);
    }
  });

  test("one version, in the reference's line, wherever a client reads it", async () => {
    expect(packageVersion).toMatch(/^3\.1[3-9]\.\d+$/);
    const contract = (await (await fetch(`${stack.url}/api/runtime/contract`)).json()) as {
      gateway_version: string;
    };
    expect(contract.gateway_version).toBe(packageVersion);
    const openapi = (await (await fetch(`${stack.url}/openapi.json`)).json()) as {
      info: { version: string };
    };
    expect(openapi.info.version).toBe(packageVersion);
    const committed = JSON.parse(readFileSync(new URL('openapi/openapi.json', root), 'utf8')) as {
      info: { version: string };
    };
    expect(committed.info.version).toBe(packageVersion);
    const metrics = await (await fetch(`${stack.url}/metrics`)).text();
    expect(metrics).toContain(`noetl_gateway_build_info{version="${packageVersion}"} 1`);
    const token = await stack.login();
    const graphql = await stack.post(
      '/graphql',
      { query: '{ version }' },
      { authorization: `Bearer ${token}` },
    );
    expect(await graphql.json()).toEqual({ data: { version: packageVersion } });
  });

  test('/ready: ready, no reason', async () => {
    const ready = await fetch(`${stack.url}/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { ready: boolean; reason?: string };
    expect(body.ready).toBe(true);
    expect(body.reason).toBeUndefined();
  });
});

test('/ready with NoETL not running: one line naming what is down, why, and the setting; no address', async () => {
  const downPort = await freePort(); // nothing listens there
  const stack = await startStack({ NOETL_BASE_URL: `http://127.0.0.1:${downPort}` });
  try {
    const response = await fetch(`${stack.url}/ready`);
    expect(response.status).toBe(503);
    const text = await response.text();
    expect(JSON.parse(text)).toMatchObject({
      ready: false,
      reason: 'noetl (NOETL_BASE_URL): unreachable (connection refused)',
      checks: {
        nats: { ok: true, detail: 'embedded mode (no NATS)' },
        noetl: { ok: false, detail: 'unreachable (connection refused)' },
      },
    });
    expect(text).not.toMatch(new RegExp(`127\\.0\\.0\\.1|:${downPort}\\b`));
  } finally {
    await stack.stop();
  }
});
