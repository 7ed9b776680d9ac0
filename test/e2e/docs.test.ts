/**
 * Issue 13, item 4: `/docs` in headless Chromium (Debian's `/usr/bin/chromium`, driven by playwright-core)
 * works offline. Every request the page makes — document, script, fetches, workers, the "Test Request"
 * client — is recorded and must go to the gateway's own origin; the page's Content-Security-Policy must
 * not have had to refuse anything (nothing even tried to leave); Scalar's hosted-service controls (Ask AI,
 * Developer Tools, Share, Deploy) are absent; names such as `client_id` render as written, not in italics.
 * Leaves a screenshot in test/e2e/artifacts/docs.png.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Stack, startStack } from '../support/stack.ts';

const CHROMIUM = '/usr/bin/chromium';
const artifacts = fileURLToPath(new URL('./artifacts/', import.meta.url));

declare global {
  interface Window {
    cspViolations: string[];
  }
}

describe.skipIf(!existsSync(CHROMIUM))('/docs in Chromium', () => {
  let stack: Stack;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    context = await browser.newContext({ viewport: { width: 1300, height: 1000 } });
    // Context-wide: pages, workers and popups alike.
    context.on('request', (request) => requests.push(request.url()));
    page = await context.newPage();
    page.on('websocket', (socket) => requests.push(socket.url()));
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.addInitScript(() => {
      window.cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  // The bundle's zod probes whether it may compile validators (`new Function("")`) and, refused by the
  // policy, validates without: the one expected refusal, and no request.
  const violations = async () =>
    (await page.evaluate(() => window.cspViolations)).filter((entry) => entry !== 'script-src eval');
  const outside = () =>
    requests.filter((url) => !url.startsWith(`${stack.url}/`) && !/^(data|blob):/.test(url));

  test('the reference renders from the gateway alone', async () => {
    await page.goto(`${stack.url}/docs`, { waitUntil: 'networkidle' });
    await page.getByRole('heading', { name: 'NoETL Gateway', exact: true }).first().waitFor();
    await page.getByText('Exchange an Auth0 ID token for a NoETL session').first().waitFor();
    await page.getByText('Start a playbook', { exact: false }).first().waitFor();
    // Open what is collapsed (schemas, properties, responses), so every description is rendered. Twice:
    // opening a schema reveals its nested ones.
    const opened = await page.evaluate(async () => {
      let count = 0;
      for (let round = 0; round < 2; round++) {
        for (const button of document.querySelectorAll<HTMLButtonElement>(
          'main button[aria-expanded="false"]',
        )) {
          button.click();
          count++;
        }
        await new Promise((resolve) => requestAnimationFrame(resolve)); // the reference re-renders
      }
      return count;
    });
    expect(opened).toBeGreaterThan(10);
    // Search (a hosted search or agent would call out here).
    await page.keyboard.press('Control+k');
    await page.keyboard.type('execute');
    await page.getByRole('dialog').getByText('/api/playbooks/execute').first().waitFor();
    await page.keyboard.press('Escape');

    expect(requests).toContain(`${stack.url}/docs`);
    expect(requests).toContain(`${stack.url}/docs/scalar.js`);
    expect(requests).toContain(`${stack.url}/openapi.json`);
    expect(outside()).toEqual([]);
    expect(await violations()).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);

  test('no hosted-service controls', async () => {
    const text = await page.evaluate(() => document.body.innerText);
    for (const control of ['Ask AI', 'Developer Tools', 'Configure', 'Share', 'Deploy', 'Generate SDK']) {
      expect(text, control).not.toContain(control);
    }
  });

  test('names render as written: no emphasis taken from underscores', async () => {
    const text = await page.evaluate(() => document.body.innerText);
    expect(text).toContain('client_id');
    // Italic or emphasised text outside code samples: only the reference's own path-parameter styling
    // (`{path}`) may be.
    const emphasised = await page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((element) => {
          const own = [...element.childNodes]
            .filter((node) => node.nodeType === Node.TEXT_NODE)
            .map((node) => node.textContent ?? '')
            .join('')
            .trim();
          if (!own || /^\{\w+\}$/.test(own)) return false;
          // Syntax highlighting in code samples (a comment in the /docs/scalar.js example) is not Markdown.
          if (element.closest('code, pre')) return false;
          return /^(EM|I|STRONG)$/.test(element.tagName) || getComputedStyle(element).fontStyle === 'italic';
        })
        .map(
          (element) =>
            `${element.tagName}.${element.className} "${element.textContent?.slice(0, 80)}" in ${element.parentElement?.tagName}`,
        ),
    );
    expect(emphasised).toEqual([]);
    await mkdir(artifacts, { recursive: true });
    await page.screenshot({ path: join(artifacts, 'docs.png') });
  });

  test('"Test Request" calls this gateway, with no request proxy', async () => {
    await page
      .getByRole('button', { name: /test request/i })
      .first()
      .click();
    const sent = page.waitForRequest((request) => request.url() === `${stack.url}/api/auth/login`);
    await page.getByRole('button', { name: /^send/i }).first().click();
    expect((await sent).method()).toBe('POST');
    // The gateway's answer (no Auth0 token in the example: 401) is shown.
    await page.getByText('401 Unauthorized').first().waitFor();
    expect(outside()).toEqual([]);
    expect(await violations()).toEqual([]);
  }, 30_000);
});

describe('/docs over HTTP', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.stop());

  test('the page: same-origin Content-Security-Policy, the script from the gateway', async () => {
    const response = await fetch(`${stack.url}/docs`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toMatch(/script-src 'self' 'sha256-[A-Za-z0-9+/=]+'/);
    const html = await response.text();
    expect(html).toContain('<script src="/docs/scalar.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
  });

  test('the vendored bundle is the pinned, recorded file', async () => {
    const readme = await readFile(
      new URL('../../vendor/scalar-api-reference/README.md', import.meta.url),
      'utf8',
    );
    const recorded = /sha256: `([0-9a-f]{64})`/.exec(readme)?.[1];
    const file = await readFile(new URL('../../vendor/scalar-api-reference/standalone.js', import.meta.url));
    expect(createHash('sha256').update(file).digest('hex')).toBe(recorded);
  });

  test('the script: gzip when accepted, identity otherwise, 304 on its ETag', async () => {
    const gzipped = await fetch(`${stack.url}/docs/scalar.js`); // fetch asks for gzip and decodes it
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers.get('content-encoding')).toBe('gzip');
    expect(gzipped.headers.get('vary')).toMatch(/accept-encoding/i);
    const script = await gzipped.text();
    expect(script).toContain('@scalar/api-reference 1.46.4');
    const etag = gzipped.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);

    const plain = await fetch(`${stack.url}/docs/scalar.js`, { headers: { 'accept-encoding': 'identity' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(script);
    const refused = await fetch(`${stack.url}/docs/scalar.js`, {
      headers: { 'accept-encoding': 'gzip;q=0, br' },
    });
    expect(refused.headers.get('content-encoding')).toBeNull();
    await refused.arrayBuffer();

    const cached = await fetch(`${stack.url}/docs/scalar.js`, { headers: { 'if-none-match': etag! } });
    expect(cached.status).toBe(304);
  });
});
