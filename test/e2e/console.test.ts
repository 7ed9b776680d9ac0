/**
 * The console example in headless Chromium (Debian's `/usr/bin/chromium`, driven by playwright-core; no
 * browser download) against a real gateway and the NoETL double, cross-origin as in production: log
 * in, run a playbook, see the result; then drop every connection the gateway holds in the middle of a
 * run and see the result arrive anyway, after the client's automatic reconnect. Leaves a screenshot in
 * test/e2e/artifacts/console.png.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { build, type PreviewServer, preview } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { freePort } from '../support/ports.ts';
import { type Stack, startStack } from '../support/stack.ts';

const CHROMIUM = '/usr/bin/chromium';
const consoleRoot = fileURLToPath(new URL('../../examples/console/', import.meta.url));
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));

describe.skipIf(!existsSync(CHROMIUM))('console in Chromium', () => {
  let stack: Stack;
  let site: PreviewServer;
  let siteUrl: string;
  let outDir: string;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    const sitePort = await freePort();
    siteUrl = `http://127.0.0.1:${sitePort}`;
    // The result comes 1.5 s after the start and the browser reconnects 1 s after a drop: a drop at the
    // half-way progress frame means the result is produced while no stream is open.
    stack = await startStack(
      { CORS_ALLOWED_ORIGINS: siteUrl, GATEWAY_SSE_RETRY_MS: '1000' },
      { autoCompleteMs: 1500 },
    );
    // A production build served statically: what a deployment serves, and no dev-server reloads.
    outDir = await mkdtemp(join(tmpdir(), 'gateway-console-'));
    await build({
      configFile: join(consoleRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
    site = await preview({
      configFile: join(consoleRoot, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir },
      preview: { host: '127.0.0.1', port: sitePort, strictPort: true },
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => consoleErrors.push(error.message));
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => (site ? site.httpServer.close(() => resolve()) : resolve()));
    await stack?.stop();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  const byTestId = (id: string) => page.locator(`[data-testid="${id}"]`);

  test('log in, run a playbook, see the result', async () => {
    await page.goto(`${siteUrl}/?gateway=${encodeURIComponent(stack.url)}#id_token=valid-zoe`);
    expect(await byTestId('id-token').inputValue()).toBe('valid-zoe'); // taken from the fragment
    expect(await byTestId('docs-link').getAttribute('href')).toBe(`${stack.url}/docs`);

    await byTestId('login').click();
    await expect.poll(() => byTestId('user').textContent()).toContain('zoe@example.com');
    await expect.poll(() => byTestId('status').getAttribute('data-status')).toBe('open');

    await byTestId('playbook').fill('demo/hello');
    await byTestId('workload').fill('{"greeting": "hello from chromium"}');
    await byTestId('run').click();
    await expect
      .poll(() => byTestId('result').getAttribute('data-status'), { timeout: 10_000 })
      .toBe('COMPLETED');
    expect(await byTestId('result').textContent()).toContain('hello from chromium');
    const log = await byTestId('log').textContent();
    expect(log).toContain('playbook/progress');
    expect(log).toContain('playbook/state');
    expect(log).toContain('playbook/result');
  }, 30_000);

  test('the stream is dropped mid-run; the result arrives after the automatic reconnect', async () => {
    await byTestId('playbook').fill('demo/long-running');
    await byTestId('workload').fill('{"step": 2}');
    await byTestId('run').click();
    // Half way (the progress frame is shown), every connection the gateway holds is cut.
    await expect.poll(() => byTestId('result').textContent(), { timeout: 10_000 }).toContain('Halfway there');
    stack.gateway.server.closeAllConnections();

    await expect
      .poll(() => byTestId('result').getAttribute('data-status'), { timeout: 15_000 })
      .toBe('COMPLETED');
    expect(await byTestId('result').textContent()).toContain('Playbook demo/long-running completed');
    const log = await byTestId('log').textContent();
    expect(log).toContain('stream lost, reconnecting');
    expect(log).toContain('reconnected: resumed after the last frame received');
    expect(await byTestId('status').getAttribute('data-status')).toBe('open');

    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'console.png'), fullPage: true });
    // The dropped connection itself is reported by Chromium as a failed request; nothing else may fail.
    expect(consoleErrors.filter((text) => !/ERR_|Failed to load resource|network/i.test(text))).toEqual([]);
  }, 40_000);
});
