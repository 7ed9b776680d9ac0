/**
 * The console example in headless Chromium (Debian's `/usr/bin/chromium`, driven by playwright-core; no
 * browser download), run as the README says: `npm run dev` (the gateway in front of the NoETL double) and
 * `npm run console` (the page, served by Vite), each a process of its own, on ports picked here through
 * the variables the README names (ROUTER_PORT, NOETL_DOUBLE_PORT, CONSOLE_PORT). Cross-origin, with the
 * CORS the development gateway allows out of the box: log in with a test token, run a playbook, see its
 * progress, state and result. Then the same page against a gateway this test holds, which drops every
 * connection in the middle of a run: the result arrives anyway, after the client's automatic reconnect.
 *
 * The screenshot goes to test/e2e/artifacts/console.png. `UPDATE_SCREENSHOTS=1` writes the README's
 * picture, docs/console.png, instead, and runs on the README's default ports (8090, 8082, 5173), which
 * must then be free.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../support/ports.ts';
import { type Stack, startStack } from '../support/stack.ts';

const CHROMIUM = '/usr/bin/chromium';
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const forReadme = Boolean(process.env.UPDATE_SCREENSHOTS);
const screenshot = forReadme
  ? join(repoRoot, 'docs/console.png')
  : fileURLToPath(new URL('./artifacts/console.png', import.meta.url));

/** An npm script running in its own process group, its output kept (without colours: NO_COLOR). */
class NpmScript {
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  output = '';

  constructor(script: string, env: Record<string, string>) {
    // A shell-like environment: the test runner's own variables (NODE_ENV=test, VITEST_*) left out.
    const inherited = Object.fromEntries(
      Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')),
    );
    this.#child = spawn('npm', ['run', script], {
      cwd: repoRoot,
      env: { ...inherited, ...env, NO_COLOR: '1' },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (chunk: Buffer) => {
      this.output += chunk.toString();
    };
    this.#child.stdout?.on('data', collect);
    this.#child.stderr?.on('data', collect);
    this.#exited = new Promise((resolve) => this.#child.once('exit', () => resolve()));
  }

  /** Resolves with the first match of `pattern` in the output; rejects if the script exits first. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const match = this.output.match(pattern);
        if (!match) return;
        stop();
        resolve(match);
      };
      const exited = () => {
        stop();
        reject(new Error(`npm script exited before printing ${pattern}:\n${this.output}`));
      };
      const stop = () => {
        this.#child.stdout?.off('data', check);
        this.#child.stderr?.off('data', check);
        this.#child.off('exit', exited);
      };
      this.#child.stdout?.on('data', check);
      this.#child.stderr?.on('data', check);
      this.#child.once('exit', exited);
      check();
    });
  }

  /** SIGTERM to the whole group (npm, its shell, tsx or vite, node), then waits for npm to exit. */
  async stop(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.pid !== undefined) {
      try {
        process.kill(-this.#child.pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    await this.#exited;
  }
}

describe.skipIf(!existsSync(CHROMIUM))('console in Chromium, as the README runs it', () => {
  const ports = { gateway: 0, noetl: 0, console: 0 };
  let dev: NpmScript;
  let site: NpmScript;
  let consoleUrl: string;
  let gatewayUrl: string;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    ports.gateway = forReadme ? 8090 : await freePort();
    ports.noetl = forReadme ? 8082 : await freePort();
    ports.console = forReadme ? 5173 : await freePort();
    const env = {
      ROUTER_PORT: String(ports.gateway),
      NOETL_DOUBLE_PORT: String(ports.noetl),
      CONSOLE_PORT: String(ports.console),
    };
    dev = new NpmScript('dev', env);
    site = new NpmScript('console', env);
    await dev.waitFor(/^Console:/m);
    const [, url] = await site.waitFor(/Local:\s+(http:\/\/\S+?)\/?\s/);
    consoleUrl = url!;
    gatewayUrl = `http://localhost:${ports.gateway}`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1000, height: 760 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await Promise.all([dev?.stop(), site?.stop()]);
  });

  const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);

  test('npm run console serves the page on CONSOLE_PORT; npm run dev prints where to open it', () => {
    expect(consoleUrl).toBe(`http://localhost:${ports.console}`);
    expect(dev.output).toContain(`http://localhost:${ports.console}/?gateway=${gatewayUrl}`);
  });

  test('log in with a test token, run a playbook, see progress, state and result', async () => {
    await page.goto(`${consoleUrl}/?gateway=${encodeURIComponent(gatewayUrl)}`);
    expect(await byTestId('gateway').inputValue()).toBe(gatewayUrl);
    expect(await byTestId('docs-link').getAttribute('href')).toBe(`${gatewayUrl}/docs`);

    await byTestId('id-token').fill('valid-ann');
    await byTestId('login').click();
    await expect.poll(() => byTestId('user').textContent(), { timeout: 10_000 }).toContain('ann@example.com');
    await expect.poll(() => byTestId('status').getAttribute('data-status')).toBe('open');

    await byTestId('playbook').fill('demo/hello');
    await byTestId('workload').fill('{"greeting": "hello from the console"}');
    await byTestId('run').click();
    await expect
      .poll(() => byTestId('result').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('COMPLETED');
    expect(await byTestId('result').textContent()).toContain('hello from the console');
    const log = await byTestId('log').textContent();
    expect(log).toContain('playbook/progress');
    expect(log).toContain('playbook/state');
    expect(log).toContain('playbook/result');
    // The gateway served the page's calls: its request log has the execute.
    expect(dev.output).toContain('/api/playbooks/execute');

    await mkdir(join(screenshot, '..'), { recursive: true });
    await page.screenshot({ path: screenshot });
    expect(consoleErrors).toEqual([]);
  }, 40_000);

  describe('against a gateway that drops every connection mid-run', () => {
    let stack: Stack;
    beforeAll(async () => {
      // The result comes 1.5 s after the start and the browser reconnects 1 s after a drop: a drop at the
      // half-way progress frame means the result is produced while no stream is open.
      stack = await startStack(
        { CORS_ALLOWED_ORIGINS: consoleUrl, GATEWAY_SSE_RETRY_MS: '1000' },
        { autoCompleteMs: 1500 },
      );
    }, 30_000);
    afterAll(async () => {
      await stack?.stop();
    });

    test('the result arrives after the automatic reconnect', async () => {
      // As the SPAs receive it after the Auth0 implicit flow: the ID token in the URL fragment.
      await page.goto(`${consoleUrl}/?gateway=${encodeURIComponent(stack.url)}#id_token=valid-zoe`);
      expect(await byTestId('id-token').inputValue()).toBe('valid-zoe');
      await byTestId('login').click();
      await expect
        .poll(() => byTestId('user').textContent(), { timeout: 10_000 })
        .toContain('zoe@example.com');
      await expect.poll(() => byTestId('status').getAttribute('data-status')).toBe('open');

      await byTestId('playbook').fill('demo/long-running');
      await byTestId('workload').fill('{"step": 2}');
      await byTestId('run').click();
      // Half way (the progress frame is shown), every connection the gateway holds is cut.
      await expect
        .poll(() => byTestId('result').textContent(), { timeout: 10_000 })
        .toContain('Halfway there');
      stack.gateway.server.closeAllConnections();

      await expect
        .poll(() => byTestId('result').getAttribute('data-status'), { timeout: 15_000 })
        .toBe('COMPLETED');
      expect(await byTestId('result').textContent()).toContain('Playbook demo/long-running completed');
      const log = await byTestId('log').textContent();
      expect(log).toContain('stream lost, reconnecting');
      expect(log).toContain('reconnected: resumed after the last frame received');
      expect(await byTestId('status').getAttribute('data-status')).toBe('open');
      // The dropped connection itself is reported by Chromium as a failed request; nothing else may fail.
      expect(consoleErrors.filter((text) => !/ERR_|Failed to load resource|network/i.test(text))).toEqual([]);
    }, 40_000);
  });
});
