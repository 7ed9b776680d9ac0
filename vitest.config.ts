import { defaultServerConditions } from 'vite';
import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  // Workspace packages (the contract, the client) resolve to their TypeScript sources, as in tsconfig.json.
  ssr: { resolve: { conditions: ['noetl-source', ...defaultServerConditions] } },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'client/test/**/*.test.ts'],
    exclude: [...configDefaults.exclude, 'dist/**'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    pool: 'forks',
  },
});
