/**
 * Vite config of the console (`npm run console`): serves the page on CONSOLE_PORT (default 5173; a busy
 * port is an error, not a silent move to another port the gateway's CORS would refuse), and resolves
 * `@noetl/gateway-client` and `@noetl/gateway-contract` to their TypeScript sources (the `noetl-source`
 * export condition), so nothing needs building first.
 */
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const port = Number(process.env.CONSOLE_PORT ?? 5173);

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  cacheDir: fileURLToPath(new URL('../../node_modules/.vite/console', import.meta.url)),
  resolve: { conditions: ['noetl-source', ...defaultClientConditions] },
  // The workspace packages' sources live in client/ and src/contract/.
  server: { port, strictPort: true, fs: { allow: [repoRoot] } },
  preview: { port, strictPort: true },
  // Pre-bundled at start, so the first page load does not discover them and reload the page.
  optimizeDeps: { include: ['eventsource', 'openapi-fetch', 'zod/mini', 'zod/locales'] },
  build: { target: 'es2022' },
});
