/**
 * @module http/routes/docsPage
 * `/docs`: the API reference page and its script — Scalar's standalone bundle, vendored in
 * `vendor/scalar-api-reference/` at a pinned version (no 127 MB package in the production install).
 * The page works offline: nothing it loads or calls leaves the gateway's origin (no web fonts, no request
 * proxy, no agent, registry or telemetry calls, none of Scalar's hosted-service buttons), and its
 * Content-Security-Policy makes the browser refuse any request that would.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { PACKAGE_ROOT } from '../../lib/packageInfo.ts';

const SCRIPT_FILE = new URL('vendor/scalar-api-reference/standalone.js', PACKAGE_ROOT);

/**
 * Scalar's settings (`@scalar/api-reference` 1.46.4). `servers` is set in the page to its own origin, so
 * "Test Request" calls this gateway rather than the document's example server.
 */
const SCALAR_SETTINGS = {
  withDefaultFonts: false, // system fonts: no fonts.scalar.com
  hideClientButton: true,
  showDeveloperTools: 'never', // the Developer Tools / Configure / Share / Deploy bar
  agent: { disabled: true }, // "Ask AI", and its registry calls through proxy.scalar.com
  mcp: { disabled: true },
  telemetry: false,
  persistAuth: false, // a pasted session token stays in the tab, not in localStorage
  documentDownloadType: 'json',
  defaultOpenAllTags: true, // one page to read or search with the browser's find
} as const;

export interface DocsPage {
  html: string;
  /** The page's Content-Security-Policy: same-origin only, the one inline script allowed by its hash. */
  contentSecurityPolicy: string;
}

/** Renders the page for a document at `openapiPath` and the script at `scriptPath` (both same-origin). */
export function renderDocsPage(options: {
  title: string;
  openapiPath: string;
  scriptPath: string;
}): DocsPage {
  const settings = JSON.stringify({ url: options.openapiPath, ...SCALAR_SETTINGS });
  const init = `Scalar.createApiReference('#app', Object.assign(${settings}, { servers: [{ url: location.origin, description: 'This gateway' }] }));`;
  const hash = createHash('sha256').update(init).digest('base64');
  const html = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>${escapeHtml(options.title)}</title>
    <link rel="icon" href="data:," />
  </head>
  <body>
    <div id="app"></div>
    <script src="${escapeHtml(options.scriptPath)}"></script>
    <script>${init}</script>
  </body>
</html>
`;
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src 'self' 'sha256-${hash}'`,
    // The bundle injects its styles at run time.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'self'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );
}

export interface DocsScript {
  body: Buffer;
  /** Set when `body` is gzip-compressed. */
  encoding?: 'gzip';
  etag: string;
}

/**
 * The bundle (3.5 MB; 1 MB gzipped), read and compressed on the first request for it (a gateway nobody
 * reads the docs of never loads it), then kept.
 */
export function docsScriptSource(file: URL = SCRIPT_FILE): (acceptsGzip: boolean) => Promise<DocsScript> {
  let loaded: Promise<{ plain: Buffer; gzipped: Buffer; etag: string }> | undefined;
  const load = async () => {
    const plain = await readFile(file);
    const etag = `"${createHash('sha256').update(plain).digest('base64url').slice(0, 27)}"`;
    return { plain, gzipped: await promisify(gzip)(plain, { level: 9 }), etag };
  };
  return async (acceptsGzip) => {
    loaded ??= load().catch((error: unknown) => {
      loaded = undefined; // a missing file is reported per request, not cached
      throw error;
    });
    const { plain, gzipped, etag } = await loaded;
    return acceptsGzip ? { body: gzipped, encoding: 'gzip', etag } : { body: plain, etag };
  };
}

/** Whether an `Accept-Encoding` value accepts gzip (named with a non-zero weight). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (!acceptEncoding) return false;
  return acceptEncoding.split(',').some((part) => {
    const [coding, ...params] = part.trim().toLowerCase().split(';');
    if (coding?.trim() !== 'gzip') return false;
    const q = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
