/**
 * Issue 13, item 1: the production install stays lean and runs. As the Dockerfile does: the lockfile, the
 * package files and `.npmrc` in an empty directory, `npm ci --omit=dev` (from npm's cache when it has the
 * packages: `.ci/run` has just run `npm ci`), then its size on disk; then the built gateway (`scripts/build.mjs`
 * into the same directory, plus `vendor/`) started on that install alone with NATS and NoETL behind it: the
 * bundle's lazily loaded parts (NATS, GraphQL, the docs page) load and work — `/health`, `/ready`, `/docs` and
 * its script, a login and a GraphQL query — and SIGTERM stops it cleanly.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { NatsServer } from '../support/natsServer.ts';
import { NoetlDouble } from '../support/noetlDouble.ts';
import { freePort } from '../support/ports.ts';

/** The budget, in MiB of disk (`du`), the README quotes. */
const BUDGET_MIB = 120;

const root = fileURLToPath(new URL('../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gateway-production-'));
let gateway: ChildProcess | undefined;
let nats: NatsServer | undefined;
let noetl: NoetlDouble | undefined;

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 240_000 });
  return { ...result, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

beforeAll(() => {
  const { workspaces = [] } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    workspaces?: string[];
  };
  for (const file of [
    'package.json',
    'package-lock.json',
    '.npmrc',
    ...workspaces.map((w) => `${w}/package.json`),
  ]) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(root, file), join(dir, file));
  }
});

afterAll(async () => {
  if (gateway && gateway.exitCode === null) {
    gateway.kill('SIGKILL');
    await once(gateway, 'exit');
  }
  await noetl?.stop();
  await nats?.close();
  rmSync(dir, { recursive: true, force: true });
});

test(`npm ci --omit=dev: at most ${BUDGET_MIB} MiB, only what runs, npm ls clean`, () => {
  const install = run(
    'npm',
    ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'],
    dir,
  );
  expect(install.status, install.output).toBe(0);
  const du = run('du', ['-sk', 'node_modules'], dir);
  const mib = Number(du.stdout.split('\t')[0]) / 1024;
  console.info(`production install: ${mib.toFixed(1)} MiB`);
  expect(mib).toBeGreaterThan(20); // it did install
  expect(mib).toBeLessThanOrEqual(BUDGET_MIB);
  // Build and test tools, and the documentation UI's package, are not there.
  for (const name of ['typescript', 'tsx', 'vitest', 'vite', '@scalar/api-reference', 'playwright-core']) {
    expect(existsSync(join(dir, 'node_modules', name)), name).toBe(false);
  }
  const ls = run('npm', ['ls', '--omit=dev'], dir);
  expect(ls.status, ls.output).toBe(0);
  expect(ls.output).not.toMatch(/invalid|missing|extraneous|UNMET/i);
}, 300_000);

test('the built gateway runs on that install alone', async () => {
  const build = run(process.execPath, [join(root, 'scripts/build.mjs'), join(dir, 'dist')], root);
  expect(build.status, build.output).toBe(0);
  cpSync(join(root, 'vendor'), join(dir, 'vendor'), { recursive: true });

  nats = await NatsServer.start();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  noetl = await new NoetlDouble({ gatewayUrl: url }).start();
  gateway = spawn(process.execPath, ['dist/main.js'], {
    cwd: dir,
    env: {
      PATH: process.env.PATH,
      ROUTER_PORT: String(port),
      GATEWAY_BIND: '127.0.0.1',
      GATEWAY_PUBLIC_URL: url,
      LOG_LEVEL: 'info',
      NATS_URL: nats.url,
      NOETL_BASE_URL: noetl.url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  gateway.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  let listening = false;
  for await (const line of createInterface({ input: gateway.stdout! })) {
    if (line.includes('NoETL gateway listening')) {
      listening = true;
      break;
    }
  }
  expect(listening, stderr).toBe(true);
  gateway.stdout?.resume();

  expect(await (await fetch(`${url}/health`)).text()).toBe('ok');
  const ready = await fetch(`${url}/ready`);
  expect(ready.status, await ready.clone().text()).toBe(200);
  expect(((await ready.json()) as { backends: { store: string } }).backends.store).toBe('nats');
  expect((await fetch(`${url}/docs`)).status).toBe(200);
  const script = await fetch(`${url}/docs/scalar.js`);
  expect(script.status).toBe(200);
  expect(await script.text()).toContain('@scalar/api-reference');
  expect((await fetch(`${url}/openapi.json`)).status).toBe(200);
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth0_token: 'valid-bundle' }),
  });
  expect(login.status).toBe(200);
  const { session_token: token } = (await login.json()) as { session_token: string };
  const graphql = await fetch(`${url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ health }' }),
  });
  expect(await graphql.json()).toEqual({ data: { health: expect.any(String) } });

  gateway.kill('SIGTERM');
  const [code] = (await once(gateway, 'exit')) as [number | null];
  expect(code, stderr).toBe(0);
}, 120_000);
