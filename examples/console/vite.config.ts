/**
 * Vite config of the console: serves the page, and resolves `@noetl/gateway-client` to the package's
 * TypeScript sources (its `noetl-source` export condition) so the example needs no build of the package first.
 */
import { fileURLToPath } from 'node:url';
import { defaultClientConditions, defineConfig } from 'vite';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  resolve: { conditions: ['noetl-source', ...defaultClientConditions] },
  // The package's sources import the gateway's contract from ../../src/contract.
  server: { fs: { allow: [repoRoot] } },
  build: { target: 'es2022' },
});
